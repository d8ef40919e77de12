"""Mask sensitive customer data in any text: transcripts, case summaries, logs.

A case leaves our systems for a third-party queue and logs are read by many
people, so dates of birth, UK postcodes, card numbers, one-time codes and phone
numbers (all but the last 3 digits) are masked wherever they appear, typed or
spoken ("oh seven seven double oh...", "twelfth of March nineteen eighty five").
Masking errs on the side of hiding: a lost digit costs an agent a question, a
leaked date of birth costs the customer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Collection, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from frontdoor.spoken.numbers import NumberChunk, chunk_numbers

DOB = "[date of birth]"
POSTCODE = "[postcode]"
CARD = "[card number]"
CODE = "[code]"


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_POSTCODE_COMPACT = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")
_NUMERIC_DATE = re.compile(
    r"(?<![\w/.-])(?:(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})|(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2}))(?![\w/-])"
)
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_SEPARATOR = re.compile(r"[\s\-()]*")
"""What may sit between the parts of one phone, card or code ("(020) 7946-0018"); commas separate amounts."""
_DATE_SEPARATOR = re.compile(r"[\s\-,]*")
_DOB_CONTEXT = re.compile(r"\b(?:born|birth|birthday|dob|d\.?\s?o\.?\s?b)\b", re.IGNORECASE)
_CODE_CONTEXT = re.compile(
    r"\b(?:code|codes|otp|pin|passcode|password|one[\s-]time|verification|security|3d\s?secure|sms)\b", re.IGNORECASE
)
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:pounds?|quid|gbp|usd|dollars?|bucks|eur|euros?|cad|kes|ugx|tzs|ghs|ngn|xof|xaf|etb|php|inr|pkr|bdt|mxn"
    r"|shillings?|naira|cedis?|pesos?|rupees?|k\b)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"[£$€]\s*$|\b(?:gbp|usd|eur|cad|kes|ngn|ghs|inr|php)\s*$", re.IGNORECASE)
_PROMPTS = {
    "dob": re.compile(r"date of birth|birthday|born", re.IGNORECASE),
    "postcode": re.compile(r"post\s?code|zip", re.IGNORECASE),
    "phone": re.compile(r"phone|mobile number", re.IGNORECASE),
    "card": re.compile(r"card number", re.IGNORECASE),
    "code": re.compile(r"\bcode\b|otp|\bpin\b", re.IGNORECASE),
}
_MIN_AGE_YEARS = 12
"""A full date at least this many years back is treated as a date of birth even without context."""


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


Span = Tuple[int, int, str]


def phone_mask(digits: str) -> str:
    return f"[phone ending {digits[-3:]}]"


def luhn_valid(digits: str) -> bool:
    """The card-number checksum (ISO/IEC 7812)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def expected_from_prompt(bot_text: Optional[str]) -> FrozenSet[str]:
    """What the customer's next message probably contains (``dob``, ``postcode``, ``phone``, ``card``, ``code``)."""
    if not bot_text:
        return frozenset()
    return frozenset(kind for kind, pattern in _PROMPTS.items() if pattern.search(bot_text))


def redact(text: str, expect: Collection[str] = (), today: Optional[date] = None) -> str:
    """``text`` with every sensitive value replaced by a bracketed label.

    ``expect`` names what the message is an answer to (see ``expected_from_prompt``):
    a bare "12 March" answering "What is your date of birth?" is masked too.
    """
    if not text:
        return text
    today = today or date.today()
    dob_context = "dob" in expect or bool(_DOB_CONTEXT.search(text))
    spans: List[Span] = []
    for match in _POSTCODE.finditer(text):
        spans.append((match.start(), match.end(), POSTCODE))
    for match in _NUMERIC_DATE.finditer(text):
        year = match.group(3) or match.group(4)
        if dob_context or _is_birth_year(year, today):
            spans.append((match.start(), match.end(), DOB))
    tokens = [_Token(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    free = [t for t in tokens if not _covered(t, spans)]
    for segment in _segments(text, free, _DATE_SEPARATOR):
        spans.extend(_spoken_dates(segment, dob_context, today))
    free = [t for t in free if not _covered(t, spans)]
    for segment in _segments(text, free, _SEPARATOR):
        spans.extend(_digit_runs(text, segment, expect, dob_context))
    return _apply(text, spans)


def _is_birth_year(year: Optional[str], today: date) -> bool:
    if not year:
        return False
    value = int(year)
    if len(year) == 2:
        value += 2000 if value <= today.year % 100 else 1900
    return 1900 <= value <= today.year - _MIN_AGE_YEARS


def _covered(token: _Token, spans: Sequence[Span]) -> bool:
    return any(start < token.end and token.start < end for start, end, _ in spans)


def _segments(text: str, tokens: Sequence[_Token], separator: re.Pattern[str]) -> List[List[_Token]]:
    """Tokens split wherever something other than ``separator`` lies between them."""
    segments: List[List[_Token]] = []
    for token in tokens:
        if segments and separator.fullmatch(text[segments[-1][-1].end : token.start]):
            segments[-1].append(token)
        else:
            segments.append([token])
    return segments


def _chunks(segment: Sequence[_Token]) -> List[Tuple[int, int, Optional[NumberChunk]]]:
    """(first token, end token, chunk or None for a word) over a segment, using the spoken-number reader."""
    out: List[Tuple[int, int, Optional[NumberChunk]]] = []
    position = 0
    for item in chunk_numbers([t.text for t in segment]):
        if isinstance(item, NumberChunk):
            out.append((item.start, item.end, item))
            position = item.end
        else:
            out.append((position, position + 1, None))
            position += 1
    return out


def _spoken_dates(segment: Sequence[_Token], dob_context: bool, today: date) -> List[Span]:
    """ "12 March 1985", "March 12th, 1985", "the twelfth of march nineteen eighty five"."""
    chunks = _chunks(segment)
    spans: List[Span] = []
    for index, (start, end, chunk) in enumerate(chunks):
        if chunk is not None or segment[start].text not in _MONTHS:
            continue
        first, last = start, end
        before = index - 1
        if before >= 0 and chunks[before][2] is None and segment[chunks[before][0]].text == "of":
            before -= 1
        has_day = before >= 0 and _is_day(chunks[before][2])
        if has_day:
            first = chunks[before][0]
        after = index + 1
        if after + 1 < len(chunks) and chunks[after][2] is None and segment[chunks[after][0]].text == "the":
            after += 1
        if not has_day and after < len(chunks) and _is_day(chunks[after][2]):
            has_day, last, after = True, chunks[after][1], after + 1
        year, year_end = _year_after(chunks, after)
        if year:
            last = year_end
        if (has_day or year) and (dob_context or _is_birth_year(year, today)):
            spans.append((segment[first].start, segment[last - 1].end, DOB))
    return spans


def _is_day(chunk: Optional[NumberChunk]) -> bool:
    return chunk is not None and 1 <= chunk.value <= 31 and len(chunk.digits) <= 2


def _year_after(chunks: Sequence[Tuple[int, int, Optional[NumberChunk]]], index: int) -> Tuple[Optional[str], int]:
    """A year in one chunk ("1985", "two thousand and one"), two ("nineteen" "eighty five") or three ("... oh five")."""
    first = chunks[index][2] if index < len(chunks) else None
    if first is None:
        return None, 0
    if len(first.digits) == 4 and 1900 <= first.value <= 2099:
        return first.digits, chunks[index][1]
    if first.value not in (19, 20):
        return None, 0
    digits, end = first.digits, chunks[index][1]
    for _, chunk_end, chunk in chunks[index + 1 : index + 3]:
        if chunk is None or len(digits) + len(chunk.digits) > 4:
            break
        digits, end = digits + chunk.digits, chunk_end
    return (digits, end) if len(digits) == 4 else (None, 0)


def _digit_runs(text: str, segment: Sequence[_Token], expect: Collection[str], dob_context: bool) -> List[Span]:
    """Cards, phones, codes and spoken postcodes in runs of digits, number words and single letters."""
    spans: List[Span] = []
    run: List[Tuple[int, int, str]] = []
    for start, end, chunk in [*_chunks(segment), (len(segment), len(segment), None)]:
        word = segment[start].text if start < len(segment) else ""
        if chunk is not None and not chunk.ordinal:
            run.append((start, end, chunk.digits))
            continue
        if chunk is None and len(word) == 1 and word.isalpha():
            run.append((start, end, word.upper()))
            continue
        spans.extend(_classify_run(text, segment, run, expect, dob_context))
        run = []
    return spans


def _classify_run(
    text: str, segment: Sequence[_Token], run: Sequence[Tuple[int, int, str]], expect: Collection[str], dob: bool
) -> List[Span]:
    if not run:
        return []
    for i in range(len(run)):
        for j in range(len(run), i, -1):
            if any(_POSTCODE_COMPACT.fullmatch(c) for c in _readings(segment, run[i:j])):
                return [(segment[run[i][0]].start, segment[run[j - 1][1] - 1].end, POSTCODE)]
    spans: List[Span] = []
    digits_only = [part for part in run if part[2].isdigit()]
    groups: List[List[Tuple[int, int, str]]] = []
    for part in run:
        if part[2].isdigit() and groups and groups[-1][-1][1] == part[0]:
            groups[-1].append(part)
        elif part[2].isdigit():
            groups.append([part])
    if not digits_only:
        return []
    for group in groups:
        digits = "".join(part for _, _, part in group)
        start, end = segment[group[0][0]].start, segment[group[-1][1] - 1].end
        if start > 0 and text[start - 1] in "+(":
            start -= 1
        label = _label(digits, text, start, end, expect, dob)
        if label:
            spans.append((start, end, label))
    return spans


def _readings(segment: Sequence[_Token], run: Sequence[Tuple[int, int, str]]) -> List[str]:
    """The run as one string, with each spoken "o" read both as zero and as the letter O."""
    readings = [""]
    for start, end, part in run:
        options = [part, "O"] if end - start == 1 and segment[start].text == "o" else [part]
        readings = [r + option for r in readings for option in options][:16]
    return readings


def _label(digits: str, text: str, start: int, end: int, expect: Collection[str], dob: bool) -> Optional[str]:
    if 9 <= len(digits) <= 15 and (text[start] == "+" or digits.startswith("0")):
        return phone_mask(digits)
    if 13 <= len(digits) <= 19 and (luhn_valid(digits) or len(digits) == 16 or "card" in expect):
        return CARD
    if 9 <= len(digits) <= 15:
        return phone_mask(digits)
    if len(digits) > 15:
        return CARD
    money = bool(_CURRENCY_AFTER.match(text[end:]) or _CURRENCY_BEFORE.search(text[:start]))
    if 4 <= len(digits) <= 8 and not money:
        window = text[max(0, start - 60) : end + 30]
        if "code" in expect or _CODE_CONTEXT.search(window):
            return CODE
        if "dob" in expect or (dob and len(digits) == 4 and digits[:2] in ("19", "20")):
            return DOB
        if "phone" in expect and len(digits) >= 6:
            return phone_mask(digits)
    return None


def _apply(text: str, spans: Iterable[Span]) -> str:
    chosen: List[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and span[0] < chosen[-1][1]:
            continue
        chosen.append(span)
    for start, end, label in reversed(chosen):
        text = text[:start] + label + text[end:]
    return text


class RedactingFilter(logging.Filter):
    """Redacts each record's final message, so no handler ever writes the raw values."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_redaction(logger: Optional[logging.Logger] = None) -> None:
    """Attach ``RedactingFilter`` to every handler of ``logger`` (default: root), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def configure_redacted_logging(level: int = logging.INFO) -> None:
    """Plain stderr logging with every message redacted (the worker's and the reference queue's)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()
