"""Sentences built from table cells for the caller's entities ("Sending 1,200 GBP costs 2.99 GBP.").

Each sentence states only what the tables hold, so an amount-specific answer
can never drift from the handbook. Voice sentences name currencies and avoid
symbols, like the articles' voice lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Dict, List, Optional

from frontdoor.knowledge.slots import Slots
from frontdoor.knowledge.tables import Corridor, FeeQuote, TableLookupError, Tables, TierLimits

SPOKEN_CURRENCY = {
    "GBP": "pounds",
    "USD": "US dollars",
    "EUR": "euros",
    "CAD": "Canadian dollars",
    "KES": "Kenyan shillings",
    "UGX": "Ugandan shillings",
    "TZS": "Tanzanian shillings",
    "GHS": "Ghanaian cedis",
    "NGN": "Nigerian naira",
    "XOF": "West African CFA francs",
    "XAF": "Central African CFA francs",
    "ETB": "Ethiopian birr",
    "PHP": "Philippine pesos",
    "INR": "Indian rupees",
    "PKR": "Pakistani rupees",
    "BDT": "Bangladeshi taka",
    "MXN": "Mexican pesos",
}
METHOD_LABEL = {
    "mobile_money": "mobile money",
    "bank_deposit": "bank deposit",
    "cash_pickup": "cash pickup",
    "airtime": "airtime top-up",
}
# The places "the" goes before a country name when it is spoken or written in a sentence.
WITH_THE = frozenset({"Philippines", "Netherlands", "United Kingdom", "United States"})


def place(country: str) -> str:
    return f"the {country}" if country in WITH_THE else country


def money(value: Decimal, currency: str, channel: str, cents: bool = True) -> str:
    """``1,200 GBP`` in chat, ``1,200 pounds`` on voice; fees always keep their cents."""
    number = f"{value:,.2f}" if cents or value != value.to_integral_value() else f"{value:,.0f}"
    unit = SPOKEN_CURRENCY.get(currency, currency) if channel == "voice" else currency
    return f"{number} {unit}"


def percent(value: Decimal, channel: str) -> str:
    text = f"{value.normalize():f}"
    return f"{text} percent" if channel == "voice" else f"{text}%"


def listing(items: List[str], conjunction: str = "or") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def fee_sentence(quote: FeeQuote, tables: Tables, channel: str) -> str:
    amount = money(quote.amount, quote.currency, channel, cents=False)
    if quote.waived == "airtime":
        return f"Airtime top-ups have no fee, so sending {amount} of airtime costs nothing."
    if quote.waived == "first_transfer":
        limit = money(tables.fees.first_transfer_up_to, quote.currency, channel, cents=False)
        return f"Your first transfer has no fee up to {limit}, so sending {amount} costs nothing."
    how = " for cash pickup" if quote.delivery_method == "cash_pickup" else ""
    total = money(quote.fee, quote.currency, channel)
    base = money(quote.base_fee, quote.currency, channel)
    share = f"{percent(quote.percent, channel)} of the amount" if quote.percent is not None else ""
    if quote.surcharge:
        base_text = f"{share}, {base}" if share else base
        detail = f" ({base_text}, plus {money(quote.surcharge, quote.currency, channel)} for cash pickup)"
    else:
        detail = f" ({share})" if share else ""
    return f"Sending {amount}{how} costs {total}{detail}."


def corridor_sentence(country: str, tables: Tables, method: Optional[str], channel: str, origin: bool = False) -> str:
    """What a destination offers; for a country the customer sends *from* (``origin``), whether that works."""
    found = tables.corridors.corridor(country)
    if found is None:
        sending = tables.corridors.canonical(country) or country
        if sending in tables.corridors.send_from:
            if origin:
                paying = tables.corridors.send_from[sending]
                currency = SPOKEN_CURRENCY[paying] if channel == "voice" else paying
                return f"You can send from {place(sending)}, paying in {currency}."
            name = place(sending)
            return (
                f"{name[0].upper()}{name[1:]} is a country you send from, "
                "and sending between two sending countries isn't supported."
            )
        if origin:
            origins = listing([place(c) for c in tables.corridors.send_from], "and")
            return f"Sending from {place(country)} isn't supported. You can send from {origins}."
        destinations = listing([place(c) for c in tables.corridors.send_to], "and")
        return f"Sending to {place(country)} isn't supported. ZuriSend sends to {destinations}."
    if method is not None:
        return method_sentence(found, method)
    options = []
    for option in found.methods:
        if option == "mobile_money":
            options.append(f"mobile money ({listing(list(found.mobile_money))})")
        else:
            options.append(METHOD_LABEL[option])
    currency = SPOKEN_CURRENCY[found.currency] if channel == "voice" else found.currency
    sentence = f"You can send to {place(found.country)}: your recipient gets {currency} by {listing(options)}."
    missing = [METHOD_LABEL[m] for m in METHOD_LABEL if m not in found.methods]
    if missing:
        missing_text = listing(missing, "and")
        verb = "isn't" if len(missing) == 1 else "aren't"
        sentence += f" {missing_text[0].upper()}{missing_text[1:]} {verb} available for {place(found.country)}."
    return sentence


def method_sentence(found: Corridor, method: str) -> str:
    label = METHOD_LABEL[method]
    label = f"{label[0].upper()}{label[1:]}"
    if not found.offers(method):
        return f"{label} isn't available for {place(found.country)}."
    if method == "mobile_money":
        return f"Mobile money is available for {place(found.country)} through {listing(list(found.mobile_money))}."
    return f"{label} is available for {place(found.country)}."


def limits_sentence(slots: Slots, tables: Tables, channel: str) -> Optional[str]:
    def describe(tier: TierLimits) -> str:
        return (
            f"Tier {tier.tier} lets you send up to {tier.per_transfer:,} per transfer "
            f"and {tier.per_30_days:,} per 30 days."
        )

    if slots.tier is not None:
        try:
            return describe(tables.limits.tier(slots.tier))
        except TableLookupError:
            return None
    if slots.amount is None:
        return None
    amount = money(slots.amount, slots.currency, channel, cents=False) if slots.currency else f"{slots.amount:,f}"
    needed = tables.limits.tier_for(slots.amount)
    if needed is None:
        top = tables.limits.tiers[-1]
        return (
            f"Sending {amount} in one transfer is above the highest limit, "
            f"Tier {top.tier}'s {top.per_transfer:,} per transfer."
        )
    return f"Sending {amount} in one transfer needs at least Tier {needed.tier}. {describe(needed)}"


def delivery_sentence(slots: Slots, tables: Tables, channel: str) -> Optional[str]:
    """How long the caller's method takes, to the caller's country when known."""
    country = slots.country
    if country and tables.corridors.corridor(country) is None:
        return corridor_sentence(country, tables, None, channel, origin=slots.origin)
    found = tables.corridors.corridor(country) if country else None
    methods = [slots.delivery_method] if slots.delivery_method else list(found.methods if found else [])
    sentences = []
    for method in methods:
        time = tables.delivery_time(method, found.country if found else None)
        if time is None and found is not None:
            sentences.append(method_sentence(found, method))
            continue
        assert time is not None  # without a country every method has a time
        where = f" to {place(found.country)}" if found else ""
        if method in ("mobile_money", "airtime"):
            share = percent(Decimal(95), channel)
            label = METHOD_LABEL[method].capitalize()
            text = f"{label}{where} usually arrives within minutes: {share} arrive within {time.p95_minutes} minutes."
        elif method == "cash_pickup":
            unit = "hour" if time.ready_within_hours == 1 else "hours"
            at = f" in {place(found.country)}" if found else ""
            text = f"Cash pickup{at} is ready to collect within {time.ready_within_hours} {unit}."
        else:
            unit = "business day" if time.max_business_days == 1 else "business days"
            usual = " (the same day in most countries)" if time.same_day_usually else ""
            text = f"A bank deposit{where} arrives within {time.max_business_days} {unit}{usual}."
        sentences.append(text)
    return " ".join(sentences) or None


@dataclass(frozen=True)
class Binding:
    """Which table answers an article once entities are known, and what the article implies."""

    table: str  # fees, corridor, limits, delivery
    method: Optional[str] = None
    first_transfer: bool = False
    needs_method: bool = False  # a country page already lists its country; only a method question adds to it
    sentence_only: bool = False  # the filled sentence is the whole answer: the body only holds other rows


# Articles whose question a table cell can answer for the caller's entities.
# Country pages (``country-<name>``) are bound to the corridor table by name.
BINDINGS: Dict[str, Binding] = {
    "fees-by-amount": Binding("fees"),
    "fees-cash-pickup-surcharge": Binding("fees", method="cash_pickup"),
    "fees-airtime-free": Binding("fees", method="airtime"),
    "fees-first-transfer-free": Binding("fees", first_transfer=True),
    "receive-countries": Binding("corridor"),
    "ways-to-receive": Binding("corridor", sentence_only=True),
    "send-from-countries": Binding("corridor"),
    "mobile-money-partners": Binding("corridor", method="mobile_money"),
    "bank-deposit-countries": Binding("corridor", method="bank_deposit"),
    "cash-pickup-countries": Binding("corridor", method="cash_pickup"),
    "airtime-countries": Binding("corridor", method="airtime"),
    "limits-tiers": Binding("limits"),
    "limits-increase": Binding("limits"),
    "delivery-times": Binding("delivery"),
}
COUNTRY_PAGE = "country-"


def binding_for(article_id: str) -> Optional[Binding]:
    if article_id.startswith(COUNTRY_PAGE):
        return Binding("corridor", needs_method=True)
    return BINDINGS.get(article_id)


def filled_sentence(article_id: str, slots: Slots, tables: Tables, channel: str) -> Optional[str]:
    """The table sentence for this article and these slots, or ``None`` when the slots are not enough."""
    binding = binding_for(article_id)
    if binding is None:
        return None
    if binding.table == "fees":
        if slots.amount is None or slots.currency is None:
            return None
        method = slots.delivery_method or binding.method
        try:
            quote = tables.fees.quote(
                slots.amount, slots.currency, method, binding.first_transfer or slots.first_transfer
            )
        except TableLookupError:
            return None
        return fee_sentence(quote, tables, channel)
    if binding.table == "corridor":
        if not slots.country or binding.needs_method and not slots.delivery_method:
            return None
        method = slots.delivery_method or binding.method
        return corridor_sentence(slots.country, tables, method, channel, origin=slots.origin)
    if binding.table == "limits":
        return limits_sentence(slots, tables, channel)
    if not (slots.country or slots.delivery_method):
        return None
    return delivery_sentence(slots, tables, channel)
