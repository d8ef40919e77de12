"""How a caller says values aloud, so voice personas sound like speech-to-text output, not typed text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth"}
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def number(n: int) -> str:
    """0..999,999 in British words: 1250 -> "one thousand two hundred and fifty"."""
    if not 0 <= n < 1_000_000:
        raise ValueError(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + number(rest))
    rest = n % 1000
    joiner = "" if rest == 0 else (" and " if rest < 100 else " ")
    return number(n // 1000) + " thousand" + ("" if rest == 0 else joiner + number(rest))


def ordinal(n: int) -> str:
    if n in _ORDINALS:
        return _ORDINALS[n]
    if n < 20:
        return _ONES[n] + "th"
    tens, ones = divmod(n, 10)
    if ones == 0:
        return _TENS[tens][:-1] + "ieth"
    return _TENS[tens] + " " + ordinal(ones)


def year(y: int) -> str:
    """1909 -> "nineteen oh nine", 2005 -> "two thousand and five", 1980 -> "nineteen eighty"."""
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " and " + _ONES[y - 2000])
    high, low = divmod(y, 100)
    if low == 0:
        return number(high) + " hundred"
    return number(high) + " " + (("oh " + _ONES[low]) if low < 10 else number(low))


def date(d: dt.date) -> str:
    return f"the {ordinal(d.day)} of {_MONTHS[d.month - 1]} {year(d.year)}"


def amount(value: Decimal, currency_word: str) -> str:
    whole = int(value)
    cents = int((value - whole) * 100)
    said = f"{number(whole)} {currency_word}"
    return said + (f" {number(cents)}" if cents else "")


def spell(text: str) -> str:
    """Letters one by one, digits as words: "JE0X 5SB" -> "j e zero x five s b"."""
    return " ".join(_DIGITS[int(c)] if c.isdigit() else c.lower() for c in text if c.isalnum())


def reference(ref: str) -> str:
    """"ZS41230300" -> "zed ess four one two three oh three oh oh"."""
    digits = " ".join("oh" if c == "0" else _DIGITS[int(c)] for c in ref[2:])
    return f"zed ess {digits}"
