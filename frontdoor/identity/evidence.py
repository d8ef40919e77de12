"""What the caller has said so far, slot by slot, parsed from every n-best alternative of every attempt.

The decision to ask a slot again depends only on whether something complete
was understood, never on whether it matches the profile: re-asking only after
a mismatch would tell an impostor which detail was wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from frontdoor.spoken.dates import parse_date
from frontdoor.identity.matching import DetailScores, Profile, dob_score, name_score, postcode_score
from frontdoor.identity.names import HeardName, parse_name
from frontdoor.spoken.postcodes import parse_postcode, postcode_fragments
from frontdoor.spoken.candidates import Candidate

SLOTS = ("postcode", "name", "dob")


@dataclass
class Evidence:
    """Accumulates parsed readings; ``add`` returns whether the slot now holds a complete value."""

    today: Optional[dt.date] = None
    postcodes: list[str] = field(default_factory=list)
    complete_postcodes: list[str] = field(default_factory=list)
    names: list[HeardName] = field(default_factory=list)
    dates: list[Candidate[dt.date]] = field(default_factory=list)

    def add(self, slot: str, alternatives: object) -> bool:
        if slot == "postcode":
            self.complete_postcodes += [c.value for c in parse_postcode(alternatives)]
            self.postcodes += [f for f in postcode_fragments(alternatives) if f not in self.postcodes]
        elif slot == "name":
            self.names += [n for n in parse_name(alternatives) if n not in self.names]
        elif slot == "dob":
            self.dates += parse_date(alternatives, today=self.today)
        else:
            raise ValueError(f"unknown slot {slot!r}; expected one of {SLOTS}")
        return self.complete(slot)

    def complete(self, slot: str) -> bool:
        if slot == "postcode":
            return bool(self.complete_postcodes)
        if slot == "name":
            return any(n.spelled or len(n.tokens) >= 2 for n in self.names)
        return bool(self.dates)

    def empty(self) -> bool:
        return not (self.postcodes or self.names or self.dates)

    def scores(self, profile: Profile) -> DetailScores:
        return DetailScores(
            postcode=postcode_score(self.postcodes, profile.postcode),
            name=name_score(self.names, profile.first_name, profile.last_name),
            dob=dob_score(self.dates, profile.dob),
        )
