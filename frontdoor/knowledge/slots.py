"""The entities an answer can use (country, amount, currency, delivery method, tier).

The caller passes what NLU extracted; anything it did not pass is spotted in
the question with a few plain rules, so "and for Ghana?" works even when only
the text is at hand.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Dict, Mapping, Optional, Tuple

from frontdoor.knowledge.cities import CITIES, CITIES_OF
from frontdoor.knowledge.tables import DELIVERY_METHODS, Tables
from frontdoor.knowledge.text import STOPWORDS, fold, words
from frontdoor.spoken.numbers import UNITS


@dataclass(frozen=True)
class Slots:
    country: Optional[str] = None  # handbook spelling when the tables know it, else as given
    amount: Optional[Decimal] = None
    currency: Optional[str] = None
    delivery_method: Optional[str] = None
    tier: Optional[int] = None
    first_transfer: bool = False
    origin: bool = False  # the country is where the customer sends from ("I'm in Portugal")

    def merged_over(self, older: Slots) -> Slots:
        """These slots, with gaps filled from ``older`` (a follow-up keeps the earlier amount)."""
        return Slots(
            country=self.country or older.country,
            origin=self.origin if self.country else older.origin,
            amount=self.amount if self.amount is not None else older.amount,
            currency=self.currency or older.currency,
            delivery_method=self.delivery_method or older.delivery_method,
            tier=self.tier if self.tier is not None else older.tier,
            first_transfer=self.first_transfer or older.first_transfer,
        )

    def as_dict(self) -> Dict[str, Any]:
        """JSON-safe (amount as a string), to keep in a tracker slot between turns."""
        data = asdict(self)
        data["amount"] = None if self.amount is None else str(self.amount)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Slots:
        amount = data.get("amount")
        return cls(
            country=data.get("country"),
            amount=None if amount in (None, "") else Decimal(str(amount)),
            currency=data.get("currency"),
            delivery_method=data.get("delivery_method"),
            tier=data.get("tier"),
            first_transfer=bool(data.get("first_transfer", False)),
            origin=bool(data.get("origin", False)),
        )

    @property
    def has_entities(self) -> bool:
        """A country, amount, currency, method or tier: something a follow-up can change."""
        return (self.country, self.amount, self.currency, self.delivery_method, self.tier) != (None,) * 5


# Spoken and written names for methods and currencies, longest first where they overlap.
METHOD_PHRASES: Tuple[Tuple[str, str], ...] = (
    ("cash pickup", "cash_pickup"),
    ("cash pick up", "cash_pickup"),
    ("cash pick-up", "cash_pickup"),
    ("pick up cash", "cash_pickup"),
    ("pick up the cash", "cash_pickup"),
    ("pick the cash up", "cash_pickup"),
    ("pickup cash", "cash_pickup"),
    ("collect cash", "cash_pickup"),
    ("collect the cash", "cash_pickup"),
    ("cash collection", "cash_pickup"),
    ("in cash", "cash_pickup"),
    ("as cash", "cash_pickup"),
    ("wants cash", "cash_pickup"),
    ("want cash", "cash_pickup"),
    ("needs cash", "cash_pickup"),
    ("prefers cash", "cash_pickup"),
    ("receive cash", "cash_pickup"),
    ("get cash", "cash_pickup"),
    ("mobile money", "mobile_money"),
    ("mobile wallet", "mobile_money"),
    ("momo", "mobile_money"),
    ("mpesa", "mobile_money"),
    ("bank deposit", "bank_deposit"),
    ("bank account", "bank_deposit"),
    ("to a bank", "bank_deposit"),
    ("airtime", "airtime"),
    ("top up", "airtime"),
    ("top-up", "airtime"),
    ("topup", "airtime"),
    ("topping up", "airtime"),
    ("topped up", "airtime"),
    ("phone credit", "airtime"),
)
OTHER_WALLETS: Tuple[str, ...] = (
    "paytm", "phonepe", "upi", "paymaya", "maya wallet", "coins ph", "chipper cash", "opay", "palmpay",
    "moniepoint", "vodafone cash", "airteltigo money", "halopesa", "t kash", "nagad",
    "sadapay", "nayapay", "mercado pago", "venmo", "zelle", "cash app", "safaricom", "airtel", "telebirr",
    "onemoney",
)
"""Wallets, payment apps and operators customers name that the partner lists do not spell out ("Paytm?").

Naming one means mobile money, and its words are entities, not unknown topic words: the country page
answers with the partners there are, as it does for a country ZuriSend does not serve.
"""
WALLET_WORDS = frozenset(w for name in OTHER_WALLETS for w in words(name))
CURRENCY_WORDS = {
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "£": "GBP",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "$": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "cad": "CAD",
    "canadian dollar": "CAD",
    "canadian dollars": "CAD",
}
_MONEY = re.compile(
    r"(?P<pre>[£$€])?\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{1,2}))?\s?(?P<k>k\b)?"
    r"\s?(?P<post>gbp|usd|eur|cad|canadian dollars?|pounds?|quid|sterling|dollars?|bucks|euros?)?",
    re.IGNORECASE,
)
_SEND_VERB = re.compile(r"\b(send|sending|transfer|transferring|sent|pay|paying|of)\s*$", re.IGNORECASE)
_TIER = re.compile(r"\b(?:tier|level)\s*(\d|one|two|three)\b", re.IGNORECASE)
_TIER_BY_DOCUMENTS = (
    (3, re.compile(r"\bproof of (?:address|funds)|\bsource of funds\b", re.IGNORECASE)),
    (2, re.compile(r"\b(?:photo\s*id|selfie|passport|driving licen[cs]e|national id(?:entity)? card|"
                   r"residence permit|verified (?:my )?id|id (?:is )?verified)\b", re.IGNORECASE)),
    (1, re.compile(r"\b(?:without|no|not|before)\s+(?:uploading\s+|sending\s+|giving\s+|any\s+)*"
                   r"(?:photo\s*)?(?:id|documents?)\b|\b(?:just|only)\b.{0,20}\b(?:phone number|basic details)\b",
                   re.IGNORECASE)),
)
"""Tiers as handbook 4 names them, by what the customer has provided ("after my passport and selfie")."""
_DURATION = r"\s*(?:business\s+|working\s+)?(?:days?|hours?|minutes?|mins?|weeks?|months?|years?)\b"
_FIRST = re.compile(r"\bfirst[\s-]*(?:ever\s+)?(?:transfer|time|send|payment)", re.IGNORECASE)


def method_name(value: str) -> Optional[str]:
    """``"Cash pickup"`` / ``"cash_pickup"`` -> ``"cash_pickup"``; ``None`` for anything else."""
    key = fold(value).strip().replace("-", " ").replace("_", " ")
    if key.replace(" ", "_") in DELIVERY_METHODS:
        return key.replace(" ", "_")
    return next((m for phrase, m in METHOD_PHRASES if phrase.replace("-", " ") == key), None)


def currency_code(value: str) -> Optional[str]:
    return CURRENCY_WORDS.get(fold(value).strip())


def _amount(value: Any) -> Optional[Decimal]:
    text = str(value).replace(",", "").strip().lower()
    scale = Decimal(1000) if text.endswith("k") else Decimal(1)
    try:
        amount = Decimal(text.rstrip("k").lstrip("£$€")) * scale
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount > 0 else None


def slots_from_entities(entities: Optional[Mapping[str, Any]], tables: Tables) -> Slots:
    """Caller entities (Rasa slot values or canonical NLU values) as typed slots; unknown keys are ignored."""
    if not entities:
        return Slots()
    country = entities.get("country")
    method = entities.get("delivery_method") or ("mobile_money" if entities.get("payout_partner") else None)
    currency = entities.get("currency")
    amount = entities.get("amount")
    tier = entities.get("tier")
    name = str(country).strip() if country else None
    return Slots(
        country=(tables.corridors.canonical(name) or name) if name else None,
        amount=_amount(amount) if amount not in (None, "") else None,
        currency=(currency_code(str(currency)) or str(currency).upper()) if currency else None,
        delivery_method=method_name(str(method)) if method else None,
        tier=int(str(tier).lower().replace("tier", "").strip()) if tier and str(tier).strip()[-1:].isdigit() else None,
        first_transfer=bool(entities.get("first_transfer", False)),
    )


def _country_names(tables: Tables) -> Tuple[Tuple[str, str], ...]:
    names = [(fold(n), n) for n in (*tables.corridors.send_to, *tables.corridors.send_from)]
    names += [(alias, tables.corridors.canonical(alias) or "") for alias in ("uk", "usa", "britain", "holland")]
    return tuple(sorted(names, key=lambda pair: -len(pair[0])))


# CLDR codes that are regions or test data, not countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"})


@lru_cache(maxsize=1)
def world_countries() -> Tuple[Tuple[str, str], ...]:
    """(folded name, English name) of every country, from CLDR via Babel (locked in requirements.lock).

    Only used to recognise a country ZuriSend does not serve ("to Jamaica"),
    so it can be answered as not supported; without Babel that falls back to NLU's entity.
    """
    try:
        from babel import Locale
    except ImportError:
        return ()
    names = []
    for code, name in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            plain = re.sub(r"\s*\(.*?\)", "", name).replace("&", "and")
            names.append((" ".join(words(plain)), plain))
    return tuple(sorted(names, key=lambda pair: -len(pair[0])))


_SENDER_SIDE = (r"(?:(?<!\bis )(?<!\bam )(?<!\bare )(?<! m )(?<!\bwas )(?<!\bcomes )from"
                r"|(?:i ?m|i am|im|live|living|based|resident|reside|stay|staying|work|working) in"
                r"|(?:moved|moving|relocated) to)")
"""Where the customer sends from; "my wife is from Morocco" says where she is from, not where money leaves."""


def is_origin(question: str, country: Optional[str]) -> bool:
    """True when ``country`` is where the customer is ("from Portugal", "I live in Portugal", "I'm in Toronto")."""
    if not country:
        return False
    names = "|".join(re.escape(n) for n in (" ".join(words(country)), *CITIES_OF.get(country, ())))
    return re.search(rf"\b{_SENDER_SIDE} (?:the )?(?:{names})\b", " ".join(words(question))) is not None


def _spot_country(folded: str, tables: Tables) -> Optional[str]:
    """A handbook country (destinations first), else another country after "to", "from" or "in"."""
    named = [(key, name) for key, name in _country_names(tables) if f" {key} " in folded]
    found = [name for _, name in named]
    destinations = [name for name in found if name in tables.corridors.send_to]
    if destinations:
        return destinations[0]
    # Two sending countries ("I live in Spain, can I send to Italy?"): the one sent *to* is the question,
    # and the corridor sentence says sending between two sending countries is not supported.
    sent_to = [name for key, name in named if f" to {key} " in folded or f" to the {key} " in folded]
    if found:
        return (sent_to or found)[0]
    cities = [(key, country) for key, country in CITIES if f" {key} " in folded]
    if cities:  # "from London to my sister in Paris": the city not sent from, a destination first
        ranked = sorted(cities, key=lambda c: (c[1] not in tables.corridors.send_to, f" from {c[0]} " in folded))
        return ranked[0][1]
    match = _world_pattern().search(folded)
    return dict(world_countries())[match.group(1)] if match else None


@lru_cache(maxsize=1)
def _world_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(key) for key, _ in world_countries()) or r"(?!)"
    return re.compile(rf" (?:to|from|in|into) (?:the )?({names}) ")


def _partners(tables: Tables) -> Tuple[str, ...]:
    """Mobile money partner names ("M-Pesa", "bKash"): naming one means mobile money."""
    return tuple(sorted({p for c in tables.corridors.send_to.values() for p in c.mobile_money}))


def spot_slots(question: str, tables: Tables, bare_amounts: bool = False) -> Slots:
    """Entities written out in ``question``.

    Amounts count only next to a currency or a "send" verb, unless ``bare_amounts``
    (a follow-up such as "what about 3000?" after a fee answer).
    """
    folded = " " + " ".join(words(question)) + " "
    country = _spot_country(folded, tables)
    method = next((m for phrase, m in METHOD_PHRASES if f" {' '.join(words(phrase))} " in folded), None)
    if method is None and any(f" {' '.join(words(p))} " in folded for p in (*_partners(tables), *OTHER_WALLETS)):
        method = "mobile_money"
    amount = currency = None
    for match in _MONEY.finditer(question):
        marker = match.group("pre") or match.group("post")
        before = question[: match.start()]
        if not marker and not bare_amounts and not _SEND_VERB.search(before):
            continue
        if re.search(r"(zs|tier|level)\s*$", before, re.IGNORECASE):
            continue  # a transfer reference or a tier, not an amount
        number = match.group("num") + (f".{match.group('cents')}" if match.group("cents") else "")
        amount = _amount(number + ("k" if match.group("k") else ""))
        currency = currency_code(marker) if marker else None
        break
    if currency is None:
        currency = next((CURRENCY_WORDS[w] for w in ("canadian dollars", "canadian dollar") if w in folded), None)
        currency = currency or next((CURRENCY_WORDS[w] for w in words(question) if w in CURRENCY_WORDS), None)
    tier = _TIER.search(question)
    described = next((n for n, pattern in _TIER_BY_DOCUMENTS if pattern.search(question)), None)
    return Slots(
        country=country,
        amount=amount,
        currency=currency,
        delivery_method=method,
        tier=UNITS.get(tier.group(1).lower(), 0) or int(tier.group(1)) if tier else described,  # "tier three"
        first_transfer=bool(_FIRST.search(question)),
    )


def without_durations(slots: Slots, question: str) -> Slots:
    """An "amount" that is a duration in the question ("over 30 days") is no amount."""
    if slots.amount is None:
        return slots
    number = f"{slots.amount:,f}"
    number = number.rstrip("0").rstrip(".") if "." in number else number
    plain = number.replace(",", "")
    if re.search(rf"\b(?:{re.escape(number)}|{re.escape(plain)}){_DURATION}", question, re.IGNORECASE):
        return replace(slots, amount=None)
    return slots


def with_origin(slots: Slots, question: str) -> Slots:
    return replace(slots, origin=is_origin(question, slots.country))


FOLLOW_UP_CUES = frozenset("and what about how for instead same then in with via by as".split())


def is_follow_up(question: str, slots: Slots, tables: Tables) -> bool:
    """True for elliptical questions ("and for Ghana?", "what about 3,000 USD?") that only change a slot."""
    if not slots.has_entities:
        return False
    remaining = set(words(question)) - STOPWORDS - FOLLOW_UP_CUES
    entity_words = set(words(" ".join((*tables.corridors.send_to, *tables.corridors.send_from))))
    entity_words |= {w for phrase, _ in METHOD_PHRASES for w in words(phrase)}
    entity_words |= WALLET_WORDS
    entity_words |= set(CURRENCY_WORDS) | {"k", "tier", "level", "the", "canadian", "uk", "usa"}
    entity_words |= set(words(slots.country or ""))  # a caller's country the tables do not know ("Brazil")
    remaining = {w for w in remaining - entity_words if not w.isdigit()}
    return len(remaining) == 0
