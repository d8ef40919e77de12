"""Dates of birth as typed ("11/08/1909", "1909-08-11", "11 Aug 09") or said ("the eleventh of august 1909").

UK order (day before month) is assumed for all-numeric dates unless the year
comes first. ASR often splits a year's last digit off as a homophone
("1980 to" for 1982), so a 4-digit year ending in 0 followed by one digit is
read as that year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Optional

from frontdoor.spoken.candidates import Candidate, rank
from frontdoor.spoken.numbers import HOMOPHONES, NumberChunk, chunk_numbers, number_tokens
from frontdoor.spoken.text import clean_transcript

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "oktober": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
FILLER = frozenset("the of on in st nd rd th and year day month born".split())
EARLIEST_YEAR = 1900


class Month(int):
    """A month named in words: unambiguous, unlike a number."""


def _items(text: str) -> list[NumberChunk | Month | str]:
    tokens = number_tokens(re.sub(r"[/.]", " ", text))
    out: list[NumberChunk | Month | str] = []
    for item in chunk_numbers(tokens):
        if isinstance(item, str):
            if item in MONTHS:
                out.append(Month(MONTHS[item]))
            elif item in HOMOPHONES and out and isinstance(out[-1], NumberChunk):
                digit = HOMOPHONES[item]
                out.append(NumberChunk(str(digit), digit, False, -1, -1))
            elif item not in FILLER:
                out.append(item)
        else:
            out.append(item)
    return out


def _years(chunks: Sequence[NumberChunk], this_year: int) -> Iterator[tuple[int, float]]:
    """Years the remaining number chunks may say: "1909", "19 0 9", "19 82", "1980 2", "09"."""
    if not chunks:
        return
    joined = "".join(c.digits for c in chunks)
    if len(joined) == 4:
        yield int(joined), 1.0
    first = chunks[0].digits
    if len(first) == 4 and len(chunks) > 1:
        yield int(first), 0.6
        if first.endswith("0") and len(chunks[1].digits) == 1:
            yield int(first[:3] + chunks[1].digits), 0.8
    if len(joined) == 2:
        year = 2000 + int(joined)
        yield (year if year <= this_year else year - 100), 0.7
    yield from _misheard_years(chunks)


def _misheard_years(chunks: Sequence[NumberChunk]) -> Iterator[tuple[int, float]]:
    """Years behind two named recognition confusions, at low confidence.

    - a unit heard apart from its tens ("nineteen seventy for"), or "-ty" heard as "-teen" before it
      ("nineteen eighteen six" for 1986): no one says a year that way;
    - "-teen" heard as "-ty" in the century ("ninety seventy one" for 1971).
    """
    values = [c.value for c in chunks]
    if len(values) == 3 and 10 <= values[0] <= 20 and len(chunks[2].digits) == 1:
        century, middle, unit = values
        if middle % 10 == 0 and 20 <= middle <= 90:
            yield century * 100 + middle + unit, 0.8
        elif 13 <= middle <= 19:
            yield century * 100 + (middle - 10) * 10 + unit, 0.5
    if len(values) == 2 and values[0] in (80, 90) and values[1] < 100 and not chunks[0].ordinal:
        yield (values[0] // 10 + 10) * 100 + values[1], 0.5


def _make(year: int, month: int, day: int, this_year: int) -> Optional[dt.date]:
    if not EARLIEST_YEAR <= year <= this_year:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _readings(text: str, today: dt.date) -> Iterator[tuple[dt.date, float]]:
    text = clean_transcript(text).lower()
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if iso:
        date = _make(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), today.year)
        if date:
            yield date, 1.0
            return
    compact = re.fullmatch(r"(\d{2})(\d{2})(\d{4})", text.replace(" ", ""))
    if compact:
        date = _make(int(compact.group(3)), int(compact.group(2)), int(compact.group(1)), today.year)
        if date:
            yield date, 0.9
    items = [item for item in _items(text) if not isinstance(item, str)]
    months = [i for i, item in enumerate(items) if isinstance(item, Month)]
    months_named = [item for item in items if isinstance(item, Month)]
    if months:
        at = months[0]
        month = int(months_named[0])
        before = [c for c in items[:at] if isinstance(c, NumberChunk)]
        after = [c for c in items[at + 1 :] if isinstance(c, NumberChunk)]
        if before:
            day_options = [(before[-1].value, 1.0)]
            rest = after
        elif after:
            day_options = [(after[0].value, 0.9)]
            rest = after[1:]
        else:
            return
        for day, day_confidence in day_options:
            for year, year_confidence in _years(rest, today.year):
                date = _make(year, month, day, today.year)
                if date:
                    yield date, day_confidence * year_confidence
        return
    chunks = [item for item in items if isinstance(item, NumberChunk)]
    if len(chunks) >= 3 and chunks[0].value <= 31 and chunks[1].value <= 12:
        for year, confidence in _years(chunks[2:], today.year):
            date = _make(year, chunks[1].value, chunks[0].value, today.year)
            if date:
                yield date, 0.9 * confidence


def parse_date(alternatives: object, today: Optional[dt.date] = None) -> list[Candidate[dt.date]]:
    """Complete dates found in any n-best alternative, best first (never a date in the future)."""
    day = today or dt.date.today()
    return rank(alternatives, lambda text: _readings(text, day))


_WRITTEN_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?![\d/.-])")
_WRITTEN_COMPACT = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_WORD = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WRITTEN_DAY_MONTH = re.compile(rf"\b{_ORDINAL}\s+(?:of\s+)?{_MONTH_WORD},?\s+(\d{{2}}|\d{{4}})\b")
_WRITTEN_MONTH_DAY = re.compile(rf"\b{_MONTH_WORD}\s+(?:the\s+)?{_ORDINAL},?\s+(\d{{2}}|\d{{4}})\b")


def _full_year(text: str, this_year: int) -> Optional[int]:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        year = 2000 + int(text)
        return year if year <= this_year else year - 100
    return None


def written_dates(text: str, today: Optional[dt.date] = None) -> frozenset[dt.date]:
    """Every date a typed answer can mean, and nothing a typo or mishearing would make of it.

    The chat identity check needs the exact date, so this reads only common
    written forms: "14/11/2000", "2000-11-14", "14 Nov 2000", "November 14th,
    2000", "14112000". An all-numeric day/month order is ambiguous only when
    both readings are valid dates; then both are returned.
    """
    this_year = (today or dt.date.today()).year
    lowered = text.lower()
    found: set[dt.date] = set()
    for first, second, third in _WRITTEN_NUMERIC.findall(lowered):
        if len(first) == 4:
            year: Optional[int] = int(first)
            orders = [(int(second), int(third))]  # ISO order: year, month, day
        else:
            year = _full_year(third, this_year)
            orders = [(int(second), int(first)), (int(first), int(second))]  # day first (UK), else month first
        for month, day in orders:
            date = _make(year, month, day, this_year) if year is not None else None
            if date:
                found.add(date)
    for day_text, month_word, year_text in _WRITTEN_DAY_MONTH.findall(lowered):
        _add_named(found, day_text, month_word, year_text, this_year)
    for month_word, day_text, year_text in _WRITTEN_MONTH_DAY.findall(lowered):
        _add_named(found, day_text, month_word, year_text, this_year)
    if not found:
        for day_digits, month_digits, year_text in _WRITTEN_COMPACT.findall(lowered.replace(" ", "")):
            date = _make(int(year_text), int(month_digits), int(day_digits), this_year)
            if date:
                found.add(date)
    return frozenset(found)


def _add_named(found: set[dt.date], day: str, month: str, year_text: str, this_year: int) -> None:
    year = _full_year(year_text, this_year)
    date = _make(year, MONTHS[month], int(day), this_year) if year is not None else None
    if date:
        found.add(date)
