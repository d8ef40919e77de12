"""UK postcodes as typed ("w20ab", "W2 0AB") or dictated ("whiskey two oh alpha bravo", "double L")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from frontdoor.spoken.candidates import Candidate, rank
from frontdoor.spoken.spelling import spelled_readings
from frontdoor.spoken.text import as_alternatives, clean_transcript

POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
"""The shape of every UK postcode (outward code, inward code), spaces removed."""
_TO_DIGIT = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "Z": "2", "B": "8", "G": "6", "Q": "0"})
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "2": "Z", "8": "B", "6": "G", "4": "A"})


def compact(postcode: str) -> str:
    """The comparison key: upper case, no spaces or dashes."""
    return re.sub(r"[^A-Z0-9]", "", postcode.upper())


def format_postcode(key: str) -> str:
    """ "W20AB" -> "W2 0AB" (the inward code is always the last three characters)."""
    return f"{key[:-3]} {key[-3:]}" if len(key) > 3 else key


def is_postcode(text: str) -> bool:
    return bool(POSTCODE.match(compact(text)))


def coerce(key: str) -> str:
    """Fix letter/digit confusions that the postcode shape rules out ("W2 OAB" -> "W2 0AB")."""
    if not 5 <= len(key) <= 7:
        return key
    inward = key[-3].translate(_TO_DIGIT) + key[-2:].translate(_TO_LETTER)
    outward = key[:-3]
    outward = outward[0].translate(_TO_LETTER) + outward[1:]
    return outward + inward


def _readings(text: str) -> Iterator[tuple[str, float]]:
    text = clean_transcript(text)
    typed = coerce(compact(text))
    if POSTCODE.match(typed):
        yield typed, 1.0
    for index, reading in enumerate(spelled_readings(text)):
        prior = 1.0 / (1 + 0.2 * index)
        if POSTCODE.match(reading):
            yield reading, prior
            continue
        fixed = coerce(reading)
        if POSTCODE.match(fixed):
            yield fixed, 0.8 * prior


def parse_postcode(alternatives: object) -> list[Candidate[str]]:
    """Complete postcodes (compact form) found in any n-best alternative, best first."""
    return rank(alternatives, _readings)


def postcode_fragments(alternatives: object, limit: int = 12) -> list[str]:
    """Every character string the alternatives may spell, valid postcode or not: the fuzzy matcher's input."""
    out = [candidate.value for candidate in parse_postcode(alternatives)]
    for text in as_alternatives(alternatives):
        for reading in spelled_readings(clean_transcript(text), limit=4):
            if 2 <= len(reading) <= 8 and reading not in out:
                out.append(reading)
    return out[:limit]


_TYPED = re.compile(r"(?<![A-Z0-9])[A-Z]{1,2}\d[A-Z\d]?[ \t-]*\d[A-Z]{2}(?![A-Z0-9])", re.IGNORECASE)


def typed_postcodes(text: str) -> list[str]:
    """Postcode-shaped spans of a typed answer, compact, exactly as typed (no letter/digit fixes)."""
    found = [compact(span) for span in _TYPED.findall(text)]
    return [key for key in dict.fromkeys(found) if POSTCODE.match(key)]
