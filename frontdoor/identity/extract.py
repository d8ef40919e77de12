"""Several identity details in one typed message, in any order ("Teresa Smith, JE0X 5SB, born 11/08/1909").

The form asks for whatever is still missing; this pulls out what a message
already holds so customers are not asked twice. Postcodes and dates are found
by their shape and cut out; the words left over are the name, if they look
like one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from frontdoor.identity.names import looks_like_code
from frontdoor.spoken.dates import MONTHS, parse_date
from frontdoor.spoken.postcodes import compact, parse_postcode
from frontdoor.spoken.text import as_alternatives, normalise_text

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b"
    rf"|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
    rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\.?|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?),?\s+\d{{2,4}}\b",
    re.IGNORECASE,
)
_NOT_NAME = re.compile(
    r"\b(?:my|name|is|it's|its|i'm|im|i|am|and|postcode|post|code|zip|date|of|birth|dob|born|on|the|in|"
    r"live|at|hi|hello|hey|yes|sure|ok|okay|please|thanks|details|are|was|called|call|me|from|here)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """What one message contained; ``None`` for a detail it did not mention."""

    postcode: Optional[str]
    dob: Optional[dt.date]
    name: Optional[str]
    dob_text: Optional[str] = None
    """The date as written, for the verifier to read by its channel's rule (an ambiguous 03/04 stays ambiguous)."""


def extract_details(alternatives: object, today: Optional[dt.date] = None) -> Found:
    """The details in the best alternative that holds any (n-best lists accepted)."""
    for text in as_alternatives(alternatives):
        found = _extract(normalise_text(text), today)
        if found.postcode or found.dob or found.name:
            return found
    return Found(None, None, None)


def _extract(text: str, today: Optional[dt.date]) -> Found:
    postcode = None
    match = _POSTCODE.search(text)
    if match:
        candidates = parse_postcode(match.group(0))
        if candidates and candidates[0].value == compact(match.group(0)):
            postcode = candidates[0].value
            text = text[: match.start()] + " " + text[match.end() :]
    dob = dob_text = None
    match = _DATE.search(text)
    if match:
        dates = parse_date(match.group(0), today=today)
        if dates:
            dob, dob_text = dates[0].value, match.group(0)
            text = text[: match.start()] + " " + text[match.end() :]
    if looks_like_code(re.sub(r"\d", "", text)):
        return Found(postcode, dob, None, dob_text)
    leftover = _NOT_NAME.sub(" ", re.sub(r"[^\w' -]", " ", text))
    words = [w for w in leftover.split() if w.replace("'", "").replace("-", "").isalpha()]
    name = " ".join(words) if 2 <= len(words) <= 4 else None
    return Found(postcode, dob, name, dob_text)
