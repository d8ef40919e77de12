"""The handoff clock: real UTC time, or a fixed instant from ``$FRONTDOOR_CLOCK`` (a test and demo hook).

Whether phone agents are working depends on the time of day, so the e2e
tests and demos need to stand at 23:30 on purpose; only the business-hours
decisions of ``frontdoor.handoff`` read this, nothing else moves with it.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Mapping, Optional

CLOCK_ENV = "FRONTDOOR_CLOCK"


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant with an offset or ``Z``; a naive one is rejected (it would mean different hours)."""
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{CLOCK_ENV}={value!r} needs a time zone (e.g. 2026-12-03T23:30:00Z)")
    return moment.astimezone(timezone.utc)


def now(env: Optional[Mapping[str, str]] = None) -> datetime:
    """``$FRONTDOOR_CLOCK`` when set, else the system's UTC time."""
    env = os.environ if env is None else env
    fixed = env.get(CLOCK_ENV)
    return parse_instant(fixed) if fixed else datetime.now(timezone.utc)
