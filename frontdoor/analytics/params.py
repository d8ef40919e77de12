"""Query parameters of the analytics API and CLI, checked once so every caller gets the same clear errors."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Mapping, Optional

from frontdoor.analytics.summary import CHANNELS, OUTCOMES, Filters

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
_SINCE = re.compile(r"^(\d{1,4})([hdw])$")
_KNOWN = {"summary": {"from", "to", "channel"},
          "conversations": {"from", "to", "channel", "outcome", "page", "page_size"}}


class ParamError(ValueError):
    """A parameter the caller must fix; the message says which and how."""


def _day(name: str, value: Optional[str]) -> Optional[date]:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParamError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def filters_from(query: Mapping[str, str], endpoint: str = "summary") -> Filters:
    """``from``/``to`` are UTC dates, both inclusive; ``channel`` is chat or voice."""
    unknown = sorted(set(query) - _KNOWN[endpoint])
    if unknown:
        raise ParamError(f"unknown parameter {unknown[0]!r}; expected {', '.join(sorted(_KNOWN[endpoint]))}")
    start, end = _day("from", query.get("from")), _day("to", query.get("to"))
    if start and end and start > end:
        raise ParamError(f"from ({start}) is after to ({end})")
    channel = query.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        raise ParamError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    return Filters(
        start=_epoch(start) if start else None,
        end=_epoch(end + timedelta(days=1)) if end else None,
        channel=channel,
    )


def outcome_from(query: Mapping[str, str]) -> Optional[str]:
    outcome = query.get("outcome") or None
    if outcome is not None and outcome not in OUTCOMES:
        raise ParamError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    return outcome


def _positive(name: str, value: Optional[str], default: int) -> int:
    if value is None or value == "":
        return default
    if not re.fullmatch(r"\d{1,9}", value):
        raise ParamError(f"{name} must be a whole number, not {value!r}")
    number = int(value)
    if number < 1:
        raise ParamError(f"{name} must be at least 1")
    return number


def page_from(query: Mapping[str, str]) -> tuple[int, int]:
    page = _positive("page", query.get("page"), 1)
    size = _positive("page_size", query.get("page_size"), DEFAULT_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise ParamError(f"page_size must be at most {MAX_PAGE_SIZE}, not {size}")
    return page, size


def since(value: str, now: Optional[float] = None) -> Filters:
    """``7d``, ``24h`` or ``2w`` back from ``now``, for ``python -m frontdoor report --since``."""
    match = _SINCE.match(value.strip())
    if not match:
        raise ParamError(f"--since must look like 24h, 7d or 2w, not {value!r}")
    hours = int(match.group(1)) * {"h": 1, "d": 24, "w": 168}[match.group(2)]
    moment = datetime.now(timezone.utc).timestamp() if now is None else now
    return Filters(start=moment - hours * 3600)
