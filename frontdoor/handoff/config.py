"""``config/handoff.yml``: priorities, expected waits, handoff triggers and delivery settings.

One file so ops can tune who waits how long and when the bot gives up without
touching code; the delivery settings can also be overridden from the
environment, which is how deployments and tests change them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

from frontdoor.paths import project_path

log = logging.getLogger(__name__)

PRIORITIES = ("urgent", "high", "normal")
"""Most urgent first."""
DEV_SECRET = "frontdoor-dev-secret-not-for-production"


class HandoffConfigError(ValueError):
    """The handoff config is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Triggers:
    handoff_kinds: Tuple[str, ...] = ("handoff",)
    consecutive_fallbacks: int = 2
    not_helpful_votes: int = 2
    identity_check_attempts: int = 3
    compliance_review_hours: int = 48
    kyc_failed_attempts: int = 3
    kyc_articles: Tuple[str, ...] = ("kyc-failed",)
    """After answering one of these the bot asks: has the app's check already failed ``kyc_failed_attempts`` times?"""


@dataclass(frozen=True)
class Delivery:
    webhook_url: str = "http://127.0.0.1:8001/cases"
    timeout_seconds: float = 10.0
    retry_window: timedelta = timedelta(hours=24)
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 900.0
    lease_seconds: float = 60.0
    poll_seconds: float = 1.0
    batch_size: int = 20


@dataclass(frozen=True)
class HandoffConfig:
    default_priority: str = "normal"
    category_priority: Mapping[str, str] = field(default_factory=dict)
    reason_priority: Mapping[str, str] = field(default_factory=dict)
    expected_wait_minutes: Mapping[str, int] = field(default_factory=dict)
    triggers: Triggers = field(default_factory=Triggers)
    bot_actions: Mapping[str, str] = field(default_factory=dict)
    delivery: Delivery = field(default_factory=Delivery)
    agent_articles: Mapping[str, str] = field(default_factory=dict)
    """Knowledge articles whose answer is "an agent must do this": article id -> handoff reason."""

    def priority(self, category: str, handoff_reason: str) -> str:
        """The more urgent of the category's and the handoff reason's priority."""
        candidates = [
            self.category_priority.get(category, self.default_priority),
            self.reason_priority.get(handoff_reason, self.default_priority),
        ]
        return min(candidates, key=PRIORITIES.index)

    def expected_wait(self, priority: str) -> int:
        """Minutes the bot announces while connecting the customer."""
        return int(self.expected_wait_minutes.get(priority, max(self.expected_wait_minutes.values(), default=15)))


def _priority(path: Path, key: str, value: Any) -> str:
    if value not in PRIORITIES:
        raise HandoffConfigError(f"{path}: {key} is {value!r}, expected one of {PRIORITIES}")
    return str(value)


def _priorities(path: Path, key: str, raw: Any) -> Dict[str, str]:
    if not isinstance(raw, dict):
        raise HandoffConfigError(f"{path}: {key} must be a mapping")
    return {str(name): _priority(path, f"{key}.{name}", value) for name, value in raw.items()}


def parse_config(path: Path) -> HandoffConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise HandoffConfigError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise HandoffConfigError(f"{path}: expected a mapping at the top level")
    priority = data.get("priority") or {}
    waits = data.get("expected_wait_minutes") or {}
    for name in waits:
        _priority(path, f"expected_wait_minutes.{name}", name)
    triggers = dict(data.get("triggers") or {})
    for key in ("handoff_kinds", "kyc_articles"):
        if key in triggers:
            triggers[key] = tuple(triggers[key])
    delivery = dict(data.get("delivery") or {})
    if "retry_window_hours" in delivery:
        delivery["retry_window"] = timedelta(hours=float(delivery.pop("retry_window_hours")))
    try:
        return HandoffConfig(
            default_priority=_priority(path, "priority.default", priority.get("default", "normal")),
            category_priority=_priorities(path, "priority.categories", priority.get("categories") or {}),
            reason_priority=_priorities(path, "priority.reasons", priority.get("reasons") or {}),
            expected_wait_minutes={str(k): int(v) for k, v in waits.items()},
            triggers=Triggers(**triggers),
            bot_actions={str(k): str(v) for k, v in (data.get("bot_actions") or {}).items()},
            delivery=Delivery(**delivery),
            agent_articles={str(k): str(v) for k, v in (data.get("agent_articles") or {}).items()},
        )
    except TypeError as error:
        raise HandoffConfigError(f"{path}: {error}") from error


@lru_cache(maxsize=1)
def load_config() -> HandoffConfig:
    """``$FRONTDOOR_HANDOFF_CONFIG`` or ``config/handoff.yml``, read once."""
    return parse_config(project_path("FRONTDOOR_HANDOFF_CONFIG", "config/handoff.yml"))


_ENV_FLOATS = {
    "HANDOFF_TIMEOUT_SECONDS": "timeout_seconds",
    "HANDOFF_BACKOFF_BASE_SECONDS": "backoff_base_seconds",
    "HANDOFF_BACKOFF_MAX_SECONDS": "backoff_max_seconds",
    "HANDOFF_LEASE_SECONDS": "lease_seconds",
    "HANDOFF_POLL_SECONDS": "poll_seconds",
}


def delivery_settings(base: Optional[Delivery] = None, env: Optional[Mapping[str, str]] = None) -> Delivery:
    """The config file's delivery settings with ``HANDOFF_*`` environment overrides applied."""
    env = os.environ if env is None else env
    values: Dict[str, Any] = dict((base or load_config().delivery).__dict__)
    if env.get("HANDOFF_WEBHOOK_URL"):
        values["webhook_url"] = env["HANDOFF_WEBHOOK_URL"]
    for name, key in _ENV_FLOATS.items():
        if env.get(name):
            values[key] = float(env[name])
    if env.get("HANDOFF_RETRY_WINDOW_SECONDS"):
        values["retry_window"] = timedelta(seconds=float(env["HANDOFF_RETRY_WINDOW_SECONDS"]))
    if env.get("HANDOFF_BATCH_SIZE"):
        values["batch_size"] = int(env["HANDOFF_BATCH_SIZE"])
    return Delivery(**values)


def webhook_secret(env: Optional[Mapping[str, str]] = None) -> bytes:
    """``HANDOFF_WEBHOOK_SECRET``; the documented development default only with a warning."""
    env = os.environ if env is None else env
    secret = env.get("HANDOFF_WEBHOOK_SECRET")
    if secret:
        return secret.encode("utf-8")
    log.warning("HANDOFF_WEBHOOK_SECRET is not set: using the development secret, never do this in production")
    return DEV_SECRET.encode("utf-8")
