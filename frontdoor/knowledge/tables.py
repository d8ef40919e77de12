"""The handbook's tables (``knowledge/tables/*.yml``) as typed data with pure lookups.

Actions and answers quote these cell by cell, so a fee or a delivery option is
never paraphrased from an article or guessed by a model.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from frontdoor.knowledge.errors import KnowledgeError, KnowledgeErrors
from frontdoor.knowledge.yamllines import Located, load_located
from frontdoor.paths import project_path

DELIVERY_METHODS = ("mobile_money", "bank_deposit", "cash_pickup", "airtime")
CENT = Decimal("0.01")
Number = Union[Decimal, int, str]


class TableLookupError(ValueError):
    """A lookup the tables cannot answer (a currency ZuriSend does not send in, an unknown tier)."""


def to_decimal(value: Number) -> Decimal:
    """Exact decimal from a YAML number or an NLU string; floats go through ``str`` to stay exact."""
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as error:
        raise TableLookupError(f"{value!r} is not an amount") from error


def check_method(method: Optional[str]) -> Optional[str]:
    if method is not None and method not in DELIVERY_METHODS:
        raise TableLookupError(f"{method!r} is not a delivery method ({', '.join(DELIVERY_METHODS)})")
    return method


# --- fees (handbook section 2) ------------------------------------------------


@dataclass(frozen=True)
class FeeBand:
    """``up_to`` is inclusive; the last band has no ``up_to`` and charges ``percent`` of the amount."""

    up_to: Optional[Decimal]
    flat: Optional[Decimal]
    percent: Optional[Decimal]


@dataclass(frozen=True)
class FeeQuote:
    amount: Decimal
    currency: str
    delivery_method: Optional[str]
    fee: Decimal
    base_fee: Decimal
    surcharge: Decimal
    percent: Optional[Decimal]
    waived: Optional[str]  # "airtime" or "first_transfer" when no fee is due


@dataclass(frozen=True)
class FeeTable:
    currencies: Tuple[str, ...]
    bands: Mapping[str, Tuple[FeeBand, ...]]
    cash_pickup_surcharge: Mapping[str, Decimal]
    airtime_fee: Decimal
    first_transfer_fee: Decimal
    first_transfer_up_to: Decimal

    def quote(
        self,
        amount: Number,
        currency: str,
        delivery_method: Optional[str] = None,
        first_transfer: bool = False,
    ) -> FeeQuote:
        """The fee for one transfer; bands are matched on the amount rounded to the cent."""
        value = to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
        code = currency.upper()
        if value <= 0:
            raise TableLookupError(f"the amount must be positive, not {amount}")
        if code not in self.bands:
            raise TableLookupError(f"ZuriSend does not send in {currency}; fees exist for {', '.join(self.currencies)}")
        method = check_method(delivery_method)
        band = next(b for b in self.bands[code] if b.up_to is None or value <= b.up_to)
        if band.percent is not None:
            base = (value * band.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            base = band.flat or Decimal(0)
        surcharge = self.cash_pickup_surcharge[code] if method == "cash_pickup" else Decimal(0)
        waived = None
        if method == "airtime":
            waived, base, surcharge = "airtime", self.airtime_fee, Decimal(0)
        elif first_transfer and value <= self.first_transfer_up_to:
            waived, base, surcharge = "first_transfer", self.first_transfer_fee, Decimal(0)
        fee = (base + surcharge).quantize(CENT)
        return FeeQuote(value, code, method, fee, base.quantize(CENT), surcharge.quantize(CENT), band.percent, waived)


# --- corridors (handbook section 1) -------------------------------------------


@dataclass(frozen=True)
class Corridor:
    country: str
    currency: str
    mobile_money: Tuple[str, ...]
    bank_deposit: bool
    cash_pickup: bool
    airtime: bool

    def offers(self, method: str) -> bool:
        check_method(method)
        return bool(self.mobile_money) if method == "mobile_money" else bool(getattr(self, method))

    @property
    def methods(self) -> Tuple[str, ...]:
        return tuple(m for m in DELIVERY_METHODS if self.offers(m))


@dataclass(frozen=True)
class Corridors:
    send_from: Mapping[str, str]  # country -> currency the sender pays in
    send_to: Mapping[str, Corridor]

    def canonical(self, country: str) -> Optional[str]:
        """The handbook spelling of a send or receive country, ignoring case and a leading "the"."""
        key = _country_key(country)
        for name in (*self.send_to, *self.send_from):
            if _country_key(name) == key:
                return name
        return COUNTRY_ALIASES.get(key)

    def corridor(self, country: str) -> Optional[Corridor]:
        """``None`` for every country ZuriSend does not send to, including the sending countries."""
        name = self.canonical(country)
        return self.send_to.get(name) if name else None

    def is_send_country(self, country: str) -> bool:
        return self.canonical(country) in self.send_from


def _country_key(name: str) -> str:
    key = " ".join(name.lower().replace(".", "").split())
    return key[4:] if key.startswith("the ") else key


# Everyday names for the sending countries; the handbook's own spelling always works.
COUNTRY_ALIASES = {
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "us": "United States",
    "usa": "United States",
    "america": "United States",
    "united states of america": "United States",
    "holland": "Netherlands",
}


# --- limits (handbook section 4) ----------------------------------------------


@dataclass(frozen=True)
class TierLimits:
    tier: int
    requirements: Tuple[str, ...]
    per_transfer: Decimal
    per_30_days: Decimal


@dataclass(frozen=True)
class Limits:
    tiers: Tuple[TierLimits, ...]
    upgrade_path: str

    def tier(self, tier: Union[int, str]) -> TierLimits:
        number = str(tier).lower().replace("tier", "").strip()
        for limits in self.tiers:
            if str(limits.tier) == number:
                return limits
        raise TableLookupError(f"there is no tier {tier!r}; tiers are {', '.join(str(t.tier) for t in self.tiers)}")

    def tier_for(self, amount: Number) -> Optional[TierLimits]:
        """The lowest tier whose per-transfer limit covers ``amount``; ``None`` above every tier."""
        value = to_decimal(amount)
        return next((t for t in self.tiers if value <= t.per_transfer), None)


# --- delivery times (handbook section 5) --------------------------------------


@dataclass(frozen=True)
class MethodTime:
    method: str
    wording: str
    p95_minutes: Optional[int] = None
    ready_within_hours: Optional[int] = None
    max_business_days: Optional[int] = None
    exceptions: Mapping[str, int] = field(default_factory=dict)  # country -> max business days
    overdue_after: str = ""


@dataclass(frozen=True)
class DeliveryTime:
    """How long one method takes, for one destination when ``country`` is given."""

    method: str
    country: Optional[str]
    p95_minutes: Optional[int]
    ready_within_hours: Optional[int]
    max_business_days: Optional[int]
    same_day_usually: bool  # bank deposits: "same day in most countries" applies


@dataclass(frozen=True)
class DeliveryTimes:
    methods: Mapping[str, MethodTime]
    compliance_review_max_hours: int

    def time(self, method: str, country: Optional[str] = None) -> DeliveryTime:
        spec = self.methods[check_method(method) or ""]
        days = spec.max_business_days
        exception = spec.exceptions.get(country or "")
        return DeliveryTime(
            method=method,
            country=country,
            p95_minutes=spec.p95_minutes,
            ready_within_hours=spec.ready_within_hours,
            max_business_days=exception if exception is not None else days,
            same_day_usually=method == "bank_deposit" and exception is None,
        )


# --- all tables ---------------------------------------------------------------


@dataclass(frozen=True)
class Tables:
    fees: FeeTable
    corridors: Corridors
    limits: Limits
    delivery: DeliveryTimes

    def delivery_time(self, method: str, country: Optional[str] = None) -> Optional[DeliveryTime]:
        """``None`` when ``country`` is given but is not a destination offering ``method``."""
        if country is None:
            return self.delivery.time(method)
        corridor = self.corridors.corridor(country)
        if corridor is None or not corridor.offers(method):
            return None
        return self.delivery.time(method, corridor.country)

    @property
    def currencies(self) -> Tuple[str, ...]:
        """Every currency code the tables name, sent or received."""
        received = {c.currency for c in self.corridors.send_to.values()}
        return tuple(sorted(set(self.fees.currencies) | set(self.corridors.send_from.values()) | received))


def default_directory() -> Path:
    return project_path("FRONTDOOR_KNOWLEDGE", "knowledge") / "tables"


TABLE_FILES = ("fees.yml", "corridors.yml", "limits.yml", "delivery_times.yml")


def load_tables(directory: Optional[Path] = None) -> Tables:
    """Parse and check all four tables; every problem is reported with its file and line."""
    directory = directory or default_directory()
    errors = []
    parsed: Dict[str, Any] = {}
    readers = {"fees.yml": _fees, "corridors.yml": _corridors, "limits.yml": _limits, "delivery_times.yml": _delivery}
    for name in TABLE_FILES:
        path = directory / name
        try:
            doc = load_located(path.read_text(encoding="utf-8"), path)
            parsed[name] = readers[name](doc)
        except FileNotFoundError:
            errors.append(KnowledgeError(path, None, "table file is missing"))
        except KnowledgeError as error:
            errors.append(error)
    if errors:
        raise KnowledgeErrors(errors)
    tables = Tables(parsed["fees.yml"], parsed["corridors.yml"], parsed["limits.yml"], parsed["delivery_times.yml"])
    _cross_check(tables, directory)
    return tables


_default: Optional[Tables] = None
_default_lock = threading.Lock()


def default_tables() -> Tables:
    """The project's tables, parsed once per process."""
    global _default
    with _default_lock:
        if _default is None:
            _default = load_tables()
        return _default


def fee_for(
    amount: Number, currency: str, delivery_method: Optional[str] = None, first_transfer: bool = False
) -> FeeQuote:
    """Fee for one transfer from the project's fee table (see ``FeeTable.quote``)."""
    return default_tables().fees.quote(amount, currency, delivery_method, first_transfer)


def corridor(country: str) -> Optional[Corridor]:
    """What a destination offers; ``None`` when ZuriSend does not send there."""
    return default_tables().corridors.corridor(country)


def limits(tier: Union[int, str]) -> TierLimits:
    """Per-transfer and 30-day limits of a verification tier (1, 2, 3 or "Tier 2")."""
    return default_tables().limits.tier(tier)


def delivery_time(method: str, country: Optional[str] = None) -> Optional[DeliveryTime]:
    """Delivery time of a method, for a destination when given (``None`` if it is not offered there)."""
    return default_tables().delivery_time(method, country)


# --- parsing ------------------------------------------------------------------


def _require(doc: Located, data: Any, kind: type, *keys: Any) -> Any:
    if not isinstance(data, kind) or isinstance(data, bool) and kind is not bool:
        where = ".".join(str(k) for k in keys) or "top level"
        raise doc.error(f"{where} must be a {kind.__name__}, not {type(data).__name__}", *keys)
    return data


def _number(doc: Located, data: Any, *keys: Any) -> Decimal:
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise doc.error(f"{'.'.join(str(k) for k in keys)} must be a number, not {data!r}", *keys)
    return Decimal(str(data))


def _fees(doc: Located) -> FeeTable:
    root = _require(doc, doc.data, dict)
    currencies = tuple(str(c) for c in _require(doc, root.get("currencies"), list, "currencies"))
    raw_bands = _require(doc, root.get("bands"), dict, "bands")
    bands: Dict[str, Tuple[FeeBand, ...]] = {}
    for code in currencies:
        rows = _require(doc, raw_bands.get(code), list, "bands", code)
        parsed = []
        previous: Optional[Decimal] = None
        for index, row in enumerate(rows):
            row = _require(doc, row, dict, "bands", code, index)
            at = ("bands", code, index)
            if "above" in row:
                above = _number(doc, row["above"], *at, "above")
                if index != len(rows) - 1 or above != previous:
                    raise doc.error(
                        f"'above: {row['above']}' must be the last band and start where the last 'up_to' ends", *at
                    )
                parsed.append(FeeBand(None, None, _number(doc, row.get("percent"), *at, "percent")))
                continue
            up_to = _number(doc, row.get("up_to"), *at, "up_to")
            if previous is not None and (
                up_to <= previous or _number(doc, row.get("from"), *at, "from") != previous + CENT
            ):
                raise doc.error(f"band must start at {previous + CENT} and end above it", *at)
            parsed.append(FeeBand(up_to, _number(doc, row.get("fee"), *at, "fee"), None))
            previous = up_to
        if not parsed or parsed[-1].up_to is not None:
            raise doc.error("the last band must be 'above' the highest 'up_to'", "bands", code)
        bands[code] = tuple(parsed)
    surcharge_raw = _require(doc, root.get("cash_pickup_surcharge"), dict, "cash_pickup_surcharge")
    surcharge = {c: _number(doc, surcharge_raw.get(c), "cash_pickup_surcharge", c) for c in currencies}
    first = _require(doc, root.get("first_transfer"), dict, "first_transfer")
    return FeeTable(
        currencies=currencies,
        bands=bands,
        cash_pickup_surcharge=surcharge,
        airtime_fee=_number(doc, root.get("airtime_fee"), "airtime_fee"),
        first_transfer_fee=_number(doc, first.get("fee"), "first_transfer", "fee"),
        first_transfer_up_to=_number(doc, first.get("up_to"), "first_transfer", "up_to"),
    )


def _currency_code(doc: Located, value: Any, *keys: Any) -> str:
    if not (isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()):
        raise doc.error(f"currency {value!r} is not a three-letter code", *keys)
    return value


def _corridors(doc: Located) -> Corridors:
    root = _require(doc, doc.data, dict)
    send_from = {}
    for index, row in enumerate(_require(doc, root.get("send_from"), list, "send_from")):
        row = _require(doc, row, dict, "send_from", index)
        country = _require(doc, row.get("country"), str, "send_from", index, "country")
        send_from[country] = _currency_code(doc, row.get("currency"), "send_from", index, "currency")
    send_to = {}
    for country, row in _require(doc, root.get("send_to"), dict, "send_to").items():
        row = _require(doc, row, dict, "send_to", country)
        flags = {}
        for method in ("bank_deposit", "cash_pickup", "airtime"):
            flags[method] = _require(doc, row.get(method), bool, "send_to", country, method)
        partners = _require(doc, row.get("mobile_money"), list, "send_to", country, "mobile_money")
        send_to[country] = Corridor(
            country=country,
            currency=_currency_code(doc, row.get("currency"), "send_to", country, "currency"),
            mobile_money=tuple(str(p) for p in partners),
            **flags,
        )
        if country in send_from:
            raise doc.error(f"{country} is both a sending and a receiving country", "send_to", country)
    return Corridors(send_from, send_to)


def _limits(doc: Located) -> Limits:
    root = _require(doc, doc.data, dict)
    tiers: List[TierLimits] = []
    for index, row in enumerate(_require(doc, root.get("tiers"), list, "tiers")):
        row = _require(doc, row, dict, "tiers", index)
        tier = TierLimits(
            tier=int(_number(doc, row.get("tier"), "tiers", index, "tier")),
            requirements=tuple(
                str(r) for r in _require(doc, row.get("requirements"), list, "tiers", index, "requirements")
            ),
            per_transfer=_number(doc, row.get("per_transfer"), "tiers", index, "per_transfer"),
            per_30_days=_number(doc, row.get("per_30_days"), "tiers", index, "per_30_days"),
        )
        if tier.tier != index + 1:
            raise doc.error(f"tiers must be numbered 1, 2, 3... in order; found tier {tier.tier}", "tiers", index)
        if tiers and (tier.per_transfer <= tiers[-1].per_transfer or tier.per_30_days <= tiers[-1].per_30_days):
            raise doc.error("a higher tier must have higher limits", "tiers", index)
        tiers.append(tier)
    return Limits(tuple(tiers), str(_require(doc, root.get("upgrade_path_in_app"), str, "upgrade_path_in_app")))


def _optional_int(doc: Located, data: Any, *keys: Any) -> Optional[int]:
    return None if data is None else int(_number(doc, data, *keys))


def _delivery(doc: Located) -> DeliveryTimes:
    root = _require(doc, doc.data, dict)
    raw = _require(doc, root.get("methods"), dict, "methods")
    methods = {}
    for method in DELIVERY_METHODS:
        spec = _require(doc, raw.get(method), dict, "methods", method)
        exceptions = {
            country: int(_number(doc, (value or {}).get("max_business_days"), "methods", method, "exceptions", country))
            for country, value in (spec.get("exceptions") or {}).items()
        }
        methods[method] = MethodTime(
            method=method,
            wording=str(_require(doc, spec.get("wording"), str, "methods", method, "wording")),
            p95_minutes=_optional_int(doc, spec.get("p95_minutes"), "methods", method, "p95_minutes"),
            ready_within_hours=_optional_int(
                doc, spec.get("ready_within_hours"), "methods", method, "ready_within_hours"
            ),
            max_business_days=_optional_int(doc, spec.get("max_business_days"), "methods", method, "max_business_days"),
            exceptions=exceptions,
            overdue_after=str(spec.get("overdue_after", "")),
        )
    unknown = set(raw) - set(DELIVERY_METHODS)
    if unknown:
        raise doc.error(f"unknown delivery method {sorted(unknown)[0]!r}", "methods", sorted(unknown)[0])
    needed = {
        "mobile_money": "p95_minutes",
        "airtime": "p95_minutes",
        "cash_pickup": "ready_within_hours",
        "bank_deposit": "max_business_days",
    }
    for method, key in needed.items():
        if getattr(methods[method], key) is None:
            raise doc.error(f"{method} needs '{key}'", "methods", method)
    review = _require(doc, root.get("compliance_review"), dict, "compliance_review")
    return DeliveryTimes(methods, int(_number(doc, review.get("max_hours"), "compliance_review", "max_hours")))


def _cross_check(tables: Tables, directory: Path) -> None:
    """Facts that span two tables must agree (a fee currency must be a sending currency, and so on)."""
    errors = []
    sending = set(tables.corridors.send_from.values())
    if sending != set(tables.fees.currencies):
        errors.append(
            KnowledgeError(
                directory / "fees.yml",
                None,
                f"fee currencies {sorted(tables.fees.currencies)} differ from "
                f"the sending currencies {sorted(sending)} in corridors.yml",
            )
        )
    for country in tables.delivery.methods["bank_deposit"].exceptions:
        if country not in tables.corridors.send_to:
            errors.append(
                KnowledgeError(
                    directory / "delivery_times.yml",
                    None,
                    f"exception for {country!r}, which is not a destination in corridors.yml",
                )
            )
    if tables.fees.first_transfer_up_to != tables.limits.tiers[0].per_transfer:
        errors.append(
            KnowledgeError(
                directory / "fees.yml",
                None,
                "first_transfer.up_to must equal the Tier 1 per-transfer limit in limits.yml",
            )
        )
    if errors:
        raise KnowledgeErrors(errors)
