"""How well what was heard matches one profile: a score per detail and one combined score in [0, 1].

Every slot keeps the best match over all its n-best alternatives and attempts.
Details are combined half by their mean, half by their minimum: the mean keeps
one misheard detail (the usual ASR failure) from sinking a genuine caller, the
minimum keeps someone who knows only two of the three details from passing.
The acceptance threshold comes from the EVI benchmark (``make bench-evi``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from frontdoor.identity.names import HeardName
from frontdoor.spoken.postcodes import compact
from frontdoor.identity.similarity import phonetic, ratio
from frontdoor.spoken.candidates import Candidate
from frontdoor.spoken.text import strip_accents


@dataclass(frozen=True)
class Profile:
    """What the check compares against (never shown to the caller)."""

    customer_id: str
    first_name: str
    last_name: str
    dob: dt.date
    postcode: str


@dataclass(frozen=True)
class DetailScores:
    """Per-detail similarity in [0, 1]; ``None`` when nothing usable was heard for it."""

    postcode: Optional[float]
    name: Optional[float]
    dob: Optional[float]


ALPHA = 0.5
"""Weight of the minimum against the mean when combining details."""
ACCEPT_THRESHOLD = 0.6
"""Pass at or above this combined score: above every impostor in EVI (its FAR 1/1000 point is at about 0.39)."""


def postcode_score(fragments: Sequence[str], reference: str) -> Optional[float]:
    """Best edit similarity of any heard character string to the profile's postcode (spaces ignored)."""
    if not fragments:
        return None
    key = compact(reference)
    return max(ratio(compact(fragment), key) for fragment in fragments)


def _part(heard: str, reference: str) -> float:
    return max(ratio(heard, reference), ratio(phonetic(heard), phonetic(reference)) * 0.95)


def name_score(names: Sequence[HeardName], first: str, last: str) -> Optional[float]:
    """Best match of any reading: the full name, first and last name parts, or a spelling of either."""
    if not names:
        return None
    first_key = "".join(_letters(first))
    last_key = "".join(_letters(last))
    best = 0.0
    for heard in names:
        if heard.spelled:
            letters = heard.joined
            spelled_part = 0.8 * max(ratio(letters, first_key), ratio(letters, last_key))
            best = max(best, ratio(letters, first_key + last_key), spelled_part)
            continue
        full = _part(heard.joined, first_key + last_key)
        if len(heard.tokens) >= 2:
            parts = (_part(heard.tokens[0], first_key) + _part(heard.tokens[-1], last_key)) / 2
        else:
            parts = 0.6 * max(_part(heard.tokens[0], first_key), _part(heard.tokens[0], last_key))
        best = max(best, full, parts)
    return best


def _letters(name: str) -> list[str]:
    return [c for c in strip_accents(name).lower() if c.isalpha()]


def dob_score(dates: Iterable[Candidate[dt.date]], reference: dt.date) -> Optional[float]:
    """1.0 for the exact date; otherwise the share of day, month and year that agree."""
    values = [c.value for c in dates]
    if not values:
        return None
    return max(
        ((d.day == reference.day) + (d.month == reference.month) + (d.year == reference.year)) / 3 for d in values
    )


def combine(scores: DetailScores) -> float:
    """``ALPHA`` x the weakest detail + (1 - ``ALPHA``) x their mean; a detail not heard counts as 0."""
    values = [scores.postcode or 0.0, scores.name or 0.0, scores.dob or 0.0]
    value = ALPHA * min(values) + (1 - ALPHA) * sum(values) / len(values)
    return max(0.0, min(1.0, value))
