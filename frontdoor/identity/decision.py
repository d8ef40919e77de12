"""Whether each identity detail matches the profile, decided per detail and per channel (docs/identity.md).

Every detail must pass on its own: two exact details never carry a wrong
third, because the people who attack an account (an ex-partner, a relative)
usually know most of it. Typed chat answers are not misheard, so chat asks
for the exact date and postcode and tolerates only what people really type
differently in a name. Voice tolerates what speech recognition gets wrong,
but only recognition confusions that can be named: a different day, month,
year or inward code is otherwise a different answer.

Each detail also gets a score in [0, 1] with its pass mark at ``PASS_MARK``;
the weakest detail is the check's score, so ``make bench-evi`` can draw a DET
curve of the same rule that decides live.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from frontdoor.identity.names import HeardName
from frontdoor.identity.similarity import phonetic, ratio
from frontdoor.spoken.candidates import Candidate
from frontdoor.spoken.postcodes import compact
from frontdoor.spoken.text import strip_accents

PASS_MARK = 0.5
"""A detail passes at or above this calibrated score; so does the check, whose score is the weakest detail's."""
VOICE_NAME_FLOOR = 0.8
"""Fuzzy name similarity a caller must reach (calibrated on EVI: ``make bench-evi``)."""
VOICE_OUTWARD_FLOOR = 0.5
"""Edit similarity of the outward code (the district): one misheard character in it is tolerated."""
MAX_MIDDLE_NAMES = 2
MIN_TYPO_PART = 4
"""A typed name part may have one typo only when it has at least this many letters."""

LETTER_CONFUSIONS = tuple(
    frozenset(group) for group in ("BCDEGPTV", "LMN", "FSX", "AJK", "IY", "QUW")
)
"""Letter names that rhyme, which recognisers swap: the E-set ("bee", "dee", "pee"...; Z is "zed" here), "el"/"em"/"en",
"ef"/"es"/"ex", "ay"/"jay"/"kay", "eye"/"why", "queue"/"you"/"double-you"."""
DAY_CONFUSIONS = {13: (30,), 30: (13,)}
"""Days said with "-teen" and "-ty" ("thirteenth"/"thirtieth")."""


@dataclass(frozen=True)
class Profile:
    """What the check compares against (never shown to the caller)."""

    customer_id: str
    first_name: str
    last_name: str
    dob: dt.date
    postcode: str


@dataclass(frozen=True)
class Decision:
    """Calibrated per-detail scores; a detail passes at ``PASS_MARK``. ``None``: nothing usable was given."""

    postcode: Optional[float]
    name: Optional[float]
    dob: Optional[float]

    @property
    def score(self) -> float:
        """The weakest detail: what a DET curve ranks trials by."""
        return min(self.postcode or 0.0, self.name or 0.0, self.dob or 0.0)

    @property
    def passed(self) -> bool:
        return self.score >= PASS_MARK

    def matched(self, detail: str) -> Optional[bool]:
        value = getattr(self, detail)
        return None if value is None else value >= PASS_MARK


def _calibrate(similarity: float, floor: float) -> float:
    """Map [0, floor) onto [0, PASS_MARK) and [floor, 1] onto [PASS_MARK, 1]."""
    if similarity >= floor:
        return PASS_MARK + (1 - PASS_MARK) * (similarity - floor) / (1 - floor) if floor < 1 else 1.0
    return PASS_MARK * similarity / floor


# --- chat: typed answers -------------------------------------------------------------------------------


def typed_postcode_score(postcodes: Sequence[str], reference: str) -> Optional[float]:
    """Exact once spaces and case are ignored; several different postcodes in one answer are a guess, not one."""
    if not postcodes:
        return None
    distinct = {compact(p) for p in postcodes}
    return 1.0 if distinct == {compact(reference)} else 0.0


def typed_dob_score(readings: Iterable[frozenset[dt.date]], reference: dt.date) -> Optional[float]:
    """Exact; an ambiguous day/month order passes only if the profile's date is one of its two readings."""
    answers = [r for r in readings if r]
    if not answers:
        return None
    return 1.0 if all(reference in r and len(r) <= 2 for r in answers) else 0.0


def _parts(name: str) -> tuple[str, ...]:
    """Lower case, no accents or apostrophes; hyphens separate parts like spaces do."""
    folded = strip_accents(name).lower().replace("'", "").replace("\u2019", "")
    return tuple(re.findall(r"[a-z]+", folded))


def _typos(heard: str, reference: str) -> int:
    """0 if equal, 1 for one substitution, insertion, deletion or swap of neighbours, else 2."""
    if heard == reference:
        return 0
    if abs(len(heard) - len(reference)) > 1:
        return 2
    if len(heard) == len(reference):
        diffs = [i for i, (a, b) in enumerate(zip(heard, reference, strict=True)) if a != b]
        if len(diffs) == 1:
            return 1
        swapped = len(diffs) == 2 and diffs[1] == diffs[0] + 1
        return 1 if swapped and heard[diffs[0]] == reference[diffs[1]] and heard[diffs[1]] == reference[diffs[0]] else 2
    short, long_ = sorted((heard, reference), key=len)
    return 1 if any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_))) else 2


def _part_typos(heard: tuple[str, ...], reference: tuple[str, ...]) -> int:
    """Typos between name parts compared without their separators ("Smith-Jones" = "Smith Jones" = "SmithJones")."""
    joined = "".join(reference)
    typos = _typos("".join(heard), joined)
    return 2 if typos == 1 and len(joined) < MIN_TYPO_PART else typos


def typed_name_score(names: Sequence[HeardName], first: str, last: str) -> Optional[float]:
    """Same first and last name; case, accents, hyphens, apostrophes, added middle names and one typo are fine.

    A different first or last name is never a typo: one edit is allowed in a
    part of ``MIN_TYPO_PART`` letters or more, and only one in the whole name.
    """
    if not names:
        return None
    first_parts, last_parts = _parts(first), _parts(last)
    for heard in names:
        if heard.spelled:
            if _part_typos((heard.joined,), first_parts + last_parts) <= 1:
                return 1.0
            continue
        tokens = _parts(" ".join(heard.tokens))
        for cut in range(1, len(tokens)):
            head = _part_typos(tokens[:cut], first_parts)
            if head > 1:
                continue
            for start in range(cut, min(len(tokens), cut + MAX_MIDDLE_NAMES + 1)):
                if head + _part_typos(tokens[start:], last_parts) <= 1:
                    return 1.0
    return 0.0


# --- voice: what the recogniser heard -----------------------------------------------------------------


def _letters_confusable(heard: str, reference: str) -> bool:
    if heard == reference:
        return True
    return any(heard in group and reference in group for group in LETTER_CONFUSIONS)


def _inward_heard(heard: str, reference: str) -> bool:
    """The inward code (last three characters) as said, or with one letter swapped for a sound-alike."""
    if len(heard) != 3 or heard[0] != reference[0]:
        return False
    differing = [(h, r) for h, r in zip(heard[1:], reference[1:], strict=True) if h != r]
    return len(differing) <= 1 and all(_letters_confusable(h, r) for h, r in differing)


def spoken_postcode_score(fragments: Sequence[str], reference: str) -> Optional[float]:
    """Best reading: the district within one misheard character, and the inward code as said.

    A reading that matches only the district (the part before the space) stays
    below the pass mark whatever else was heard, however close the whole string is.
    """
    if not fragments:
        return None
    key = compact(reference)
    outward, inward = key[:-3], key[-3:]
    best = 0.0
    for fragment in fragments:
        whole = ratio(fragment, key)
        heard_outward = ratio(fragment[:-3], outward)
        if len(fragment) > 3 and _inward_heard(fragment[-3:], inward) and heard_outward >= VOICE_OUTWARD_FLOOR:
            best = max(best, _calibrate(max(whole, heard_outward), VOICE_OUTWARD_FLOOR))
        else:
            best = max(best, PASS_MARK * 0.9 * whole)
    return best


def _part(heard: str, reference: str) -> float:
    return max(ratio(heard, reference), ratio(phonetic(heard), phonetic(reference)) * 0.95)


def _letters(name: str) -> str:
    return "".join(c for c in strip_accents(name).lower() if c.isalpha())


def spoken_name_similarity(names: Sequence[HeardName], first: str, last: str) -> Optional[float]:
    """Best match of any reading: both parts (sound-alike allowed), or a spelling of the whole name.

    Each part counts on its own floor through the minimum, so the right
    surname never carries a different first name (a relative).
    """
    if not names:
        return None
    first_key, last_key = _letters(first), _letters(last)
    best = 0.0
    for heard in names:
        if heard.spelled:
            best = max(best, ratio(heard.joined, first_key + last_key))
            continue
        whole = _part(heard.joined, first_key + last_key)
        if len(heard.tokens) >= 2:
            parts = min(_part(heard.tokens[0], first_key), _part(heard.tokens[-1], last_key))
            best = max(best, max(parts, min(whole, parts + 0.1)))
        else:
            best = max(best, whole)
    return best


def spoken_name_score(names: Sequence[HeardName], first: str, last: str) -> Optional[float]:
    similarity = spoken_name_similarity(names, first, last)
    return None if similarity is None else _calibrate(similarity, VOICE_NAME_FLOOR)


def _confusable_dates(heard: dt.date) -> set[dt.date]:
    """Dates a recogniser may have heard as ``heard`` through one named confusion.

    - "-teen"/"-ty" in the year ("nineteen fifteen" heard as "nineteen fifty", and back) and in the day
      (13th/30th); "oh seven"/"seventy" in the year (1907 heard as 1970, and back);
    - a day said as two numbers with the first dropped ("twenty seventh" heard as "seventh");
    - "June"/"July";
    - day and month swapped when both were said as numbers.
    A different day, month or year that is none of these fails.
    """
    century, rest = divmod(heard.year, 100)
    tens, unit = divmod(rest, 10)
    options: list[Optional[dt.date]] = []
    if tens == 1 and unit >= 3:
        options.append(_safe(century * 100 + unit * 10, heard.month, heard.day))
    if unit == 0 and tens >= 3:
        options.append(_safe(century * 100 + 10 + tens, heard.month, heard.day))
    if unit == 0 and tens >= 1:
        options.append(_safe(century * 100 + tens, heard.month, heard.day))
    if tens == 0 and unit >= 1:
        options.append(_safe(century * 100 + unit * 10, heard.month, heard.day))
    days = list(DAY_CONFUSIONS.get(heard.day, ()))
    if heard.day < 10:
        days += [20 + heard.day, 30 + heard.day]
    options += [_safe(heard.year, heard.month, day) for day in days]
    if heard.month in (6, 7):
        options.append(_safe(heard.year, 13 - heard.month, heard.day))
    if heard.day <= 12:
        options.append(_safe(heard.year, heard.day, heard.month))
    return {d for d in options if d is not None and d != heard}


def _safe(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def spoken_dob_score(dates: Iterable[Candidate[dt.date]], reference: dt.date) -> Optional[float]:
    """1.0 for the exact date, 0.75 for a named recognition confusion, below the pass mark otherwise."""
    values = [c.value for c in dates]
    if not values:
        return None
    if reference in values:
        return 1.0
    if any(reference in _confusable_dates(value) for value in values):
        return 0.75
    agree = max((d.day == reference.day) + (d.month == reference.month) + (d.year == reference.year) for d in values)
    return PASS_MARK * 0.9 * agree / 3
