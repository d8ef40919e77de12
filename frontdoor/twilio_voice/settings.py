"""Where a handed-off Twilio call goes and how the bot speaks: the ``twilio`` section of ``config/handoff.yml``.

It sits beside the other handoff settings so ops change the queue in one file; ``TWILIO_QUEUE``,
``TWILIO_WAIT_URL`` and ``TWILIO_DIAL`` override it per deployment. A bad value stops Rasa at start-up rather
than dropping a caller.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from frontdoor.paths import project_path

ENV_OVERRIDES = {"TWILIO_QUEUE": "queue", "TWILIO_WAIT_URL": "wait_url", "TWILIO_DIAL": "dial"}
MAX_QUEUE_NAME = 64
"""Twilio's limit on an ``<Enqueue>`` queue name."""
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_CLIENT = re.compile(r"^client:[A-Za-z0-9_.@-]{1,120}$")
_LANGUAGE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


class TwilioConfigError(ValueError):
    """The ``twilio`` settings are malformed; the message names the key."""


@dataclass(frozen=True)
class TwilioSettings:
    queue: str = "frontdoor-agents"
    wait_url: str = ""
    """Hold music TwiML for ``<Enqueue waitUrl>``; the case reference is added to its query."""
    workflow_sid: str = ""
    """A TaskRouter workflow: the case then travels in the ``<Task>`` attributes."""
    dial: str = ""
    """When set, a handoff dials this instead of queueing: ``+<E.164>``, ``sip:...`` or ``client:<identity>``."""
    language: str = "en-GB"
    voice: str = "Polly.Amy"

    def __post_init__(self) -> None:
        if not self.queue or len(self.queue) > MAX_QUEUE_NAME:
            raise TwilioConfigError(f"twilio.queue must be 1 to {MAX_QUEUE_NAME} characters")
        if self.dial and not (_E164.match(self.dial) or self.dial.startswith("sip:") or _CLIENT.match(self.dial)):
            raise TwilioConfigError("twilio.dial must be an E.164 number (+44...), a sip: URI or client:<identity>")
        if self.wait_url and not self.wait_url.startswith(("https://", "http://")):
            raise TwilioConfigError("twilio.wait_url must be an absolute http(s) URL")
        if not _LANGUAGE.match(self.language):
            raise TwilioConfigError("twilio.language must be a language tag like en-GB")


def parse_settings(raw: Any, env: Mapping[str, str]) -> TwilioSettings:
    """The ``twilio`` mapping (absent: the defaults) with the environment's overrides."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TwilioConfigError("twilio must be a mapping")
    values = {str(key): "" if value is None else str(value) for key, value in raw.items()}
    values.update({key: env[name] for name, key in ENV_OVERRIDES.items() if env.get(name)})
    try:
        return TwilioSettings(**values)
    except TypeError as error:
        raise TwilioConfigError(f"twilio: {error}") from error


def load_settings(path: Optional[Path] = None, env: Optional[Mapping[str, str]] = None) -> TwilioSettings:
    """``$FRONTDOOR_HANDOFF_CONFIG`` (or ``config/handoff.yml``), section ``twilio``."""
    path = path or project_path("FRONTDOOR_HANDOFF_CONFIG", "config/handoff.yml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise TwilioConfigError(f"{path}: {error}") from error
    section = data.get("twilio") if isinstance(data, dict) else None
    try:
        return parse_settings(section, os.environ if env is None else env)
    except TwilioConfigError as error:
        raise TwilioConfigError(f"{path}: {error}") from error
