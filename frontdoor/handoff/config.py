"""``config/handoff.yml``: priorities, hours, queues and their waits, handoff triggers and delivery settings.

One file so ops can tune who waits how long and when the bot gives up without
touching code; the delivery settings can also be overridden from the
environment, which is how deployments and tests change them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from frontdoor.handoff.hours import Hours
from frontdoor.handoff.queues import Queue, Rule, choose_queue
from frontdoor.paths import project_path

log = logging.getLogger(__name__)

PRIORITIES = ("urgent", "high", "normal")
"""Most urgent first."""
DEV_SECRET = "frontdoor-dev-secret-not-for-production"


_HANDBOOK_HOURS = {"voice": Hours(opens=time(8), closes=time(22)), "chat": Hours()}
"""Handbook 21, for a config file without an ``hours`` section."""
_GENERAL = Queue("general", "General", {"urgent": 2, "high": 5, "normal": 15})
"""The one queue of a config file without ``queues``."""


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
    hours: Mapping[str, Hours] = field(default_factory=lambda: dict(_HANDBOOK_HOURS))
    """Agents' working hours per channel."""
    queues: Mapping[str, Queue] = field(default_factory=lambda: {"general": _GENERAL})
    routing: Tuple[Rule, ...] = (Rule("general"),)
    triggers: Triggers = field(default_factory=Triggers)
    bot_actions: Mapping[str, str] = field(default_factory=dict)
    delivery: Delivery = field(default_factory=Delivery)
    agent_articles: Mapping[str, str] = field(default_factory=dict)
    """Knowledge articles whose answer is "an agent must do this": article id -> handoff reason."""
    ask_before_callback: Tuple[str, ...] = ("agent_requested", "repeated_fallback", "not_helpful", "request_human")
    """Handoff reasons and categories of a call that only wants a person: outside phone hours it is asked
    whether an agent should call back, and nothing is recorded on a no. Any other case is recorded at once."""

    def asks_before_callback(self, handoff_reason: str, category: str) -> bool:
        return handoff_reason in self.ask_before_callback or category in self.ask_before_callback

    def priority(self, category: str, handoff_reason: str) -> str:
        """The more urgent of the category's and the handoff reason's priority."""
        candidates = [
            self.category_priority.get(category, self.default_priority),
            self.reason_priority.get(handoff_reason, self.default_priority),
        ]
        return min(candidates, key=PRIORITIES.index)

    def queue(self, category: str, language: str = "en") -> Queue:
        """The queue that takes a case of ``category`` from a customer speaking ``language``."""
        return self.queues[choose_queue(self.routing, category, language)]

    def expected_wait(self, queue: str, priority: str) -> int:
        """Minutes the bot announces while connecting the customer: the queue's figure for the priority."""
        return int(self.queues[queue].wait_minutes[priority])


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
    queues = _queues(path, data["queues"]) if "queues" in data else {"general": _GENERAL}
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
            hours=_hours(path, data["hours"]) if "hours" in data else dict(_HANDBOOK_HOURS),
            queues=queues,
            routing=_routing(path, data.get("routing", [{"queue": "general"}]), queues),
            triggers=Triggers(**triggers),
            bot_actions={str(k): str(v) for k, v in (data.get("bot_actions") or {}).items()},
            delivery=Delivery(**delivery),
            agent_articles={str(k): str(v) for k, v in (data.get("agent_articles") or {}).items()},
            **({"ask_before_callback": tuple(str(v) for v in data["ask_before_callback"])}
               if "ask_before_callback" in data else {}),
        )
    except TypeError as error:
        raise HandoffConfigError(f"{path}: {error}") from error


def _clock_time(path: Path, key: str, value: Any) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError as error:
        raise HandoffConfigError(f"{path}: {key} is {value!r}, expected HH:MM") from error


def _hours(path: Path, raw: Any) -> Dict[str, Hours]:
    if not isinstance(raw, dict):
        raise HandoffConfigError(f"{path}: hours must be a mapping with time_zone, voice and chat")
    zone, label = str(raw.get("time_zone") or ""), str(raw.get("label") or "")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise HandoffConfigError(f"{path}: hours.time_zone {zone!r} is not an IANA time zone") from error
    found: Dict[str, Hours] = {}
    for channel in ("voice", "chat"):
        value = raw.get(channel)
        if value == "always":
            found[channel] = Hours(zone, label)
        elif isinstance(value, dict) and channel == "voice":
            opens = _clock_time(path, f"hours.{channel}.opens", value.get("opens"))
            closes = _clock_time(path, f"hours.{channel}.closes", value.get("closes"))
            if opens == closes:
                raise HandoffConfigError(f"{path}: hours.{channel} opens and closes at the same time")
            found[channel] = Hours(zone, label, opens, closes)
        else:
            allowed = "`always` or {opens: HH:MM, closes: HH:MM}" if channel == "voice" else "`always`"
            raise HandoffConfigError(f"{path}: hours.{channel} must be {allowed}")
    return found


def _queues(path: Path, raw: Any) -> Dict[str, Queue]:
    if not isinstance(raw, dict) or not raw:
        raise HandoffConfigError(f"{path}: queues must be a non-empty mapping")
    found: Dict[str, Queue] = {}
    for name, spec in raw.items():
        waits = (spec or {}).get("wait_minutes") if isinstance(spec, dict) else None
        if not isinstance(waits, dict) or set(waits) != set(PRIORITIES):
            raise HandoffConfigError(f"{path}: queues.{name}.wait_minutes needs exactly {PRIORITIES}")
        found[str(name)] = Queue(str(name), str(spec.get("title") or name), {k: int(v) for k, v in waits.items()})
    return found


def _routing(path: Path, raw: Any, queues: Mapping[str, Queue]) -> Tuple[Rule, ...]:
    if not isinstance(raw, list) or not raw:
        raise HandoffConfigError(f"{path}: routing must be a non-empty list of rules")
    rules: List[Rule] = []
    for index, spec in enumerate(raw):
        if not isinstance(spec, dict) or spec.get("queue") not in queues or set(spec) - {"queue", "category",
                                                                                        "language"}:
            raise HandoffConfigError(f"{path}: routing[{index}] needs a queue of `queues` and only category/language")
        rules.append(Rule(str(spec["queue"]), spec.get("category"), spec.get("language")))
    if rules[-1].category is not None or rules[-1].language is not None:
        raise HandoffConfigError(f"{path}: the last routing rule must have no conditions (the catch-all)")
    return tuple(rules)


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
