"""Facts the personas expect, read from the handbook itself so the evaluation cannot drift from policy.

The fee table and the corridor table are parsed from ``demo/handbook.md``; the
rest (refund periods, the overdue rule) are one-line readings of its sections,
written as regexes that accept the usual ways of saying them on chat and voice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

from frontdoor.paths import ROOT

HANDBOOK = ROOT / "demo" / "handbook.md"
CURRENCIES = ("GBP", "USD", "EUR", "CAD")
CASH_PICKUP_EXTRA = Decimal("1.00")  # section 2
# Section 8: debit card, Apple Pay and Google Pay 3 to 5 business days; bank transfer 1 to 3.
_DAYS = r"(?:business|working) days"
REFUND_PERIOD = {
    "debit_card": rf"\b(?:3|three) ?(?:to|-|–|and) ?(?:5|five) {_DAYS}",
    "apple_pay": rf"\b(?:3|three) ?(?:to|-|–|and) ?(?:5|five) {_DAYS}",
    "google_pay": rf"\b(?:3|three) ?(?:to|-|–|and) ?(?:5|five) {_DAYS}",
    "bank_transfer": rf"\b(?:1|one) ?(?:to|-|–|and) ?(?:3|three) {_DAYS}",
}


@dataclass(frozen=True)
class Corridor:
    country: str
    currency: str
    mobile_money: Tuple[str, ...]
    bank_deposit: bool
    cash_pickup: bool
    airtime: bool


def _table_after(text: str, heading: str) -> List[List[str]]:
    """Rows of the first Markdown table after ``heading`` (header and separator dropped)."""
    start = text.index(heading)
    rows: List[List[str]] = []
    for line in text[start:].splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("|"):
            rows.append([cell.strip() for cell in stripped.strip("|").split("|")])
        elif rows:
            break
    return [r for r in rows[2:] if r]


@lru_cache(maxsize=1)
def _text(path: Path = HANDBOOK) -> str:
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def corridors() -> Dict[str, Corridor]:
    """Section 1's receive-country table."""
    found = {}
    for country, currency, mobile, bank, cash, airtime in _table_after(_text(), "## 1. "):
        partners = () if mobile == "no" else tuple(p.strip() for p in mobile.split(","))
        found[country] = Corridor(country, currency, partners, bank == "yes", cash == "yes", airtime == "yes")
    return found


@lru_cache(maxsize=1)
def fee_bands() -> List[Tuple[Decimal, Dict[str, str]]]:
    """Section 2: (upper bound of the band, fee per currency); the last band is open-ended."""
    bands = []
    for label, *fees in _table_after(_text(), "## 2. "):
        numbers = re.findall(r"[\d,]+(?:\.\d+)?", label)
        upper = Decimal(numbers[-1].replace(",", "")) if "above" not in label else Decimal("Infinity")
        bands.append((upper, dict(zip(CURRENCIES, fees, strict=True))))
    return bands


def flat_fees() -> List[Decimal]:
    """Every flat fee in the table, in any currency (the cells a wrong answer would quote)."""
    cells = {Decimal(f) for _, fees in fee_bands() for f in fees.values() if "%" not in f}
    return sorted(cells)


def fee(amount: Decimal, currency: str, method: str = "bank_deposit") -> str:
    """The handbook fee as text: "1.99", or "0.25%" above 2,000; cash pickup adds 1.00."""
    for upper, fees in fee_bands():
        if amount <= upper:
            cell = fees[currency].split(" of ")[0]
            if "%" in cell:
                return "0.25%"
            value = Decimal(cell) + (CASH_PICKUP_EXTRA if method == "cash_pickup" else 0)
            return f"{value:.2f}"
    raise ValueError(amount)


def fee_regex(value: str) -> str:
    """How the bot may say a fee: "1.99", "£1.99", "one pound ninety-nine"; "0.25%" as "0.25 percent"."""
    if value.endswith("%"):
        return r"0\.25 ?(?:%|per ?cent)|nought point two five|zero point two five"
    whole, cents = value.split(".")
    words = _WORDS.get(int(whole), whole)
    tens = _TENS.get(cents, cents)
    return rf"(?<![\d.]){re.escape(value)}(?!\d)|\b{words} (?:pounds?|dollars?|euros?)(?: and)? {tens}"


def wrong_fee_regex(right: str, allowed: Tuple[str, ...] = ()) -> str:
    """Any other flat fee of the table: quoting one means the wrong cell (or the whole table) was read."""
    wrong = [f"{f:.2f}" for f in flat_fees() if f"{f:.2f}" not in (right, *allowed)]
    return r"(?<![\d.])(?:" + "|".join(re.escape(w) for w in wrong) + r")(?!\d)"


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_TENS = {"99": "ninety[- ]nine", "49": "forty[- ]nine", "00": "(?:zero|)"}


def is_overdue(method: str, promised_by: dt.datetime, now: dt.datetime) -> bool:
    """Section 5: past the promised time plus 2 hours, or for a bank deposit past the promised day."""
    if method == "bank_deposit":
        return now.date() > promised_by.date()
    return now > promised_by + dt.timedelta(hours=2)
