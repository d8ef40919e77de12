"""Numbers as people type and say them: cardinals, digit-by-digit readings, ordinals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

UNITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "naught": 0, "nil": 0, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
HOMOPHONES = {"won": 1, "to": 2, "too": 2, "tu": 2, "tree": 3, "for": 4, "fore": 4, "ate": 8}
"""ASR spellings of digits, trusted only where a digit is expected (postcodes, references)."""
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
REPEATS = {"double": 2, "triple": 3, "treble": 3}

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_ORDINAL_DIGITS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")


@dataclass(frozen=True)
class NumberChunk:
    """A run of tokens read as one number.

    ``digits`` is what a digit-by-digit reading contributes ("oh" -> "0",
    "double eight" -> "88", "nineteen" -> "19"); ``value`` is the cardinal.
    """

    digits: str
    value: int
    ordinal: bool
    start: int
    end: int


Item = NumberChunk | str


def number_tokens(text: str) -> list[str]:
    """Lower-case tokens with hyphenated number words split ("twenty-five") and thousands commas kept."""
    text = text.lower().replace("-", " ")
    return re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:st|nd|rd|th|k|m)?|[^\W\d_]+(?:'[^\W\d_]+)*", text)


def word_value(token: str, homophones: bool) -> int | None:
    """The digit a single word stands for, if any."""
    if token in UNITS:
        return UNITS[token]
    if homophones:
        return HOMOPHONES.get(token)
    return None


class _Builder:
    """Accumulates one cardinal ("three hundred and five", "twenty first")."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.total = 0
        self.current = 0
        self.last = ""
        self.ordinal = False
        self.tokens = 0
        self.zero_only = False

    def value(self) -> int:
        return self.total + self.current

    def accepts(self, kind: str) -> bool:
        if self.ordinal or self.zero_only:
            return False
        if kind == "unit":
            return self.last in ("tens", "hundred", "scale", "and")
        if kind in ("teen", "tens", "ordinal"):
            return self.last in ("hundred", "scale", "and")
        if kind == "ordinal_unit":
            return self.last in ("tens", "hundred", "scale", "and")
        if kind == "hundred":
            return self.last in ("unit", "teen", "tens") and self.current < 100
        if kind == "scale":
            return self.last in ("unit", "teen", "tens", "hundred")
        if kind == "and":
            return self.last in ("hundred", "scale")
        return False


def chunk_numbers(tokens: Sequence[str], *, homophones: bool = False) -> list[Item]:
    """Group number words into chunks; other tokens pass through unchanged."""
    items: list[Item] = []
    builder: _Builder | None = None
    end = 0

    def flush() -> None:
        nonlocal builder
        if builder is not None and builder.tokens:
            digits = "0" if builder.zero_only else str(builder.value())
            items.append(NumberChunk(digits, builder.value(), builder.ordinal, builder.start, end))
        builder = None

    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind, value = _classify(token, homophones)
        if kind == "repeat" and index + 1 < len(tokens):
            digit = word_value(tokens[index + 1], homophones)
            nxt = tokens[index + 1]
            if digit is None and nxt.isdigit() and len(nxt) == 1:
                digit = int(nxt)
            if digit is not None:
                flush()
                times = REPEATS[token]
                end = index + 2
                items.append(NumberChunk(str(digit) * times, int(str(digit) * times), False, index, end))
                index += 2
                continue
        if kind in ("", "repeat"):
            flush()
            items.append(token)
            index += 1
            continue
        if kind == "digits":
            flush()
            end = index + 1
            items.append(_digit_chunk(token, index))
            index += 1
            continue
        if kind == "a":
            nxt = tokens[index + 1] if index + 1 < len(tokens) else ""
            if nxt in SCALES:
                flush()
                builder = _Builder(index)
                builder.current, builder.last, builder.tokens = 1, "unit", 1
                end = index + 1
            else:
                flush()
                items.append(token)
            index += 1
            continue
        if builder is not None and not builder.accepts(kind):
            if kind == "and":
                flush()
                items.append(token)
                index += 1
                continue
            flush()
        if builder is None:
            if kind in ("and", "hundred", "scale"):
                if kind == "and":
                    items.append(token)
                    index += 1
                    continue
                builder = _Builder(index)
                builder.current, builder.last = 1, "unit"
            else:
                builder = _Builder(index)
        _feed(builder, kind, value, token)
        end = index + 1
        index += 1
    flush()
    return items


def _classify(token: str, homophones: bool) -> tuple[str, int]:
    if token in REPEATS:
        return "repeat", 0
    if _DIGITS.match(token) or _ORDINAL_DIGITS.match(token):
        return "digits", 0
    if token in ("oh", "o", "zero", "nought", "naught", "nil"):
        return "zero", 0
    digit = word_value(token, homophones)
    if digit is not None:
        return "unit", digit
    if token in TEENS:
        return "teen", TEENS[token]
    if token in TENS:
        return "tens", TENS[token]
    if token in ORDINALS:
        value = ORDINALS[token]
        return ("ordinal_unit" if value < 10 else "ordinal"), value
    if token == "hundred":
        return "hundred", 100
    if token in SCALES:
        return "scale", SCALES[token]
    if token == "and":
        return "and", 0
    if token == "a":
        return "a", 0
    return "", 0


def _feed(builder: _Builder, kind: str, value: int, token: str) -> None:
    builder.tokens += 1
    if kind == "zero":
        builder.zero_only = True
        builder.current = 0
        builder.last = "zero"
    elif kind in ("unit", "teen", "tens"):
        builder.current += value
        builder.last = kind
    elif kind == "ordinal_unit":
        builder.current += value
        builder.ordinal = True
    elif kind == "ordinal":
        if value in (20, 30) or builder.last not in ("tens",):
            builder.current += value
        builder.ordinal = True
    elif kind == "hundred":
        builder.current = max(builder.current, 1) * 100
        builder.last = "hundred"
    elif kind == "scale":
        builder.total += max(builder.current, 1) * SCALES[token]
        builder.current = 0
        builder.last = "scale"
    elif kind == "and":
        builder.tokens -= 1
        builder.last = "and"


def _digit_chunk(token: str, index: int) -> NumberChunk:
    match = _ORDINAL_DIGITS.match(token)
    if match:
        return NumberChunk(match.group(1), int(match.group(1)), True, index, index + 1)
    digits = token.replace(",", "")
    return NumberChunk(digits, int(digits), False, index, index + 1)
