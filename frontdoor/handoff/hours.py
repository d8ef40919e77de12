"""When agents work on a channel (handbook 21: phone 08:00-22:00 UK time every day, chat 24/7).

Local wall-clock times in an IANA zone (``zoneinfo``), so the phone window
stays 08:00-22:00 in London across the clock changes; a window may also run
past midnight (``opens`` later than ``closes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Hours:
    """Agents' working hours on one channel; ``opens``/``closes`` None means around the clock."""

    time_zone: str = "Europe/London"
    label: str = "UK time"
    """How the customer hears the zone ("08:00 to 22:00 UK time")."""
    opens: Optional[time] = None
    closes: Optional[time] = None

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("business hours need an aware datetime")
        return moment.astimezone(ZoneInfo(self.time_zone))

    def is_open(self, moment: datetime) -> bool:
        """Agents are working at ``moment``: ``opens`` inclusive, ``closes`` exclusive."""
        if self.opens is None or self.closes is None:
            return True
        at = self._local(moment).time().replace(tzinfo=None)
        if self.opens < self.closes:
            return self.opens <= at < self.closes
        return at >= self.opens or at < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """The first opening at or after ``moment`` (``moment`` itself while open), in the zone's local time."""
        local = self._local(moment)
        if self.opens is None or self.is_open(moment):
            return local
        zone = ZoneInfo(self.time_zone)
        today = datetime.combine(local.date(), self.opens, tzinfo=zone)
        return today if today >= local else datetime.combine(local.date() + timedelta(days=1), self.opens, tzinfo=zone)

    def window(self, spoken: bool = False) -> str:
        """ "08:00 to 22:00 UK time" for chat; "8 am to 10 pm UK time" for speech, where "22:00" reads badly."""
        if self.opens is None or self.closes is None:
            return "24 hours a day"
        return f"{_clock(self.opens, spoken)} to {_clock(self.closes, spoken)} {self.label}"

    def opening(self, spoken: bool = False) -> str:
        """ "08:00 UK time": when a callback can be made; "now" around the clock."""
        return "now" if self.opens is None else f"{_clock(self.opens, spoken)} {self.label}"


def _clock(moment: time, spoken: bool) -> str:
    return spoken_time(moment) if spoken else f"{moment:%H:%M}"


def spoken_time(moment: time) -> str:
    """A clock time as people say it: "8 am", "10 pm", "8:30 am", "midnight", "noon"."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"
