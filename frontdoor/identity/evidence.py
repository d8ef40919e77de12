"""What the customer has given so far, slot by slot: typed text as typed, speech parsed from every alternative.

The decision to ask a slot again depends only on whether something complete
was understood, never on whether it matches the profile: re-asking only after
a mismatch would tell an impostor which detail was wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from frontdoor.identity.decision import (
    Decision,
    Profile,
    spoken_dob_score,
    spoken_name_score,
    spoken_postcode_score,
    typed_dob_score,
    typed_name_score,
    typed_postcode_score,
)
from frontdoor.identity.names import HeardName, parse_name
from frontdoor.spoken.candidates import Candidate
from frontdoor.spoken.dates import parse_date, written_dates
from frontdoor.spoken.postcodes import parse_postcode, postcode_fragments, typed_postcodes
from frontdoor.spoken.text import as_alternatives

SLOTS = ("postcode", "name", "dob")
CHANNELS = ("chat", "voice")


@dataclass
class Evidence:
    """Accumulates readings; ``add`` returns whether the slot now holds a complete value.

    ``channel`` picks the rule (``frontdoor.identity.decision``): on chat only
    what was typed counts, exactly; on voice every n-best alternative does.
    """

    today: Optional[dt.date] = None
    channel: str = "voice"
    postcodes: list[str] = field(default_factory=list)
    complete_postcodes: list[str] = field(default_factory=list)
    names: list[HeardName] = field(default_factory=list)
    dates: list[Candidate[dt.date]] = field(default_factory=list)
    typed_postcodes: list[str] = field(default_factory=list)
    typed_dates: list[frozenset[dt.date]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}, not {self.channel!r}")

    def add(self, slot: str, alternatives: object) -> bool:
        if slot == "postcode":
            self.complete_postcodes += [c.value for c in parse_postcode(alternatives)]
            self.postcodes += [f for f in postcode_fragments(alternatives) if f not in self.postcodes]
            for text in as_alternatives(alternatives)[:1] if self.channel == "chat" else ():
                self.typed_postcodes += typed_postcodes(text)
        elif slot == "name":
            self.names += [n for n in parse_name(alternatives) if n not in self.names]
        elif slot == "dob":
            heard = parse_date(alternatives, today=self.today)
            self.dates += heard
            for text in as_alternatives(alternatives)[:1] if self.channel == "chat" else ():
                self.typed_dates.append(written_dates(text, self.today) or _single(parse_date(text, self.today)))
        else:
            raise ValueError(f"unknown slot {slot!r}; expected one of {SLOTS}")
        return self.complete(slot)

    def _complete_names(self) -> list[HeardName]:
        return [n for n in self.names if n.spelled or len(n.tokens) >= 2]

    def complete(self, slot: str) -> bool:
        if slot == "postcode":
            return bool(self.typed_postcodes if self.channel == "chat" else self.complete_postcodes)
        if slot == "name":
            return bool(self._complete_names())
        return any(self.typed_dates) if self.channel == "chat" else bool(self.dates)

    def empty(self) -> bool:
        return not (self.postcodes or self.names or self.dates)

    def candidate_dates(self) -> set[dt.date]:
        """Dates to look profiles up by when the customer is identified from the details alone."""
        if self.channel == "chat":
            return set().union(*self.typed_dates) if self.typed_dates else set()
        return {c.value for c in self.dates}

    def candidate_postcodes(self) -> set[str]:
        return set(self.typed_postcodes if self.channel == "chat" else self.complete_postcodes)

    def decide(self, profile: Profile) -> Decision:
        if self.channel == "chat":
            return Decision(
                postcode=typed_postcode_score(self.typed_postcodes, profile.postcode),
                name=typed_name_score(self._complete_names()[-1:], profile.first_name, profile.last_name),
                dob=typed_dob_score(self.typed_dates, profile.dob),
            )
        return Decision(
            postcode=spoken_postcode_score(self.postcodes, profile.postcode),
            name=spoken_name_score(self.names, profile.first_name, profile.last_name),
            dob=spoken_dob_score(self.dates, profile.dob),
        )


def _single(candidates: list[Candidate[dt.date]]) -> frozenset[dt.date]:
    """A date written in words counts on chat only when it has one reading."""
    return frozenset({candidates[0].value}) if len(candidates) == 1 else frozenset()
