"""A call outside phone hours is called back rather than left waiting for agents who are not there.

Handbook 21 puts phone agents on 08:00-22:00 UK time; handbook 18 says fraud
must reach the fraud team at once. So an urgent case is still recorded at
once and marked for an urgent callback; any other caller is offered a
callback from the next opening (or chat, which is staffed 24/7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from frontdoor.handoff.config import HandoffConfig


@dataclass(frozen=True)
class Callback:
    """The case's ``callback``: who must be called back, and from when."""

    urgent: bool
    not_before: Optional[datetime]
    """The next opening of the phone lines; None for an urgent callback (as soon as possible)."""


def callback_for(config: HandoffConfig, *, channel: str, priority: str, now: datetime) -> Optional[Callback]:
    """The callback a handoff on ``channel`` at ``now`` needs: None while its agents are working."""
    hours = config.hours.get(channel)
    if hours is None or hours.is_open(now):
        return None
    urgent = priority == "urgent"
    return Callback(urgent, None if urgent else hours.next_opening(now))
