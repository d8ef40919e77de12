"""The tables against the handbook: every number below is copied from demo/handbook.md, not from the YAML."""

from __future__ import annotations

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from frontdoor.knowledge import corridor, delivery_time, fee_for, limits
from frontdoor.knowledge.errors import KnowledgeErrors
from frontdoor.knowledge.fill import corridor_sentence, delivery_sentence, fee_sentence, limits_sentence
from frontdoor.knowledge.slots import Slots
from frontdoor.knowledge.tables import TableLookupError, default_directory, default_tables, load_tables

D = Decimal

# Handbook section 2: flat fee up to 500, 500.01 to 2,000; 0.25% above 2,000.
HANDBOOK_FEES = {
    "GBP": (D("1.99"), D("2.99")),
    "USD": (D("2.99"), D("3.99")),
    "EUR": (D("1.99"), D("2.99")),
    "CAD": (D("3.49"), D("4.49")),
}
# Handbook section 1: currency, mobile money, bank deposit, cash pickup, airtime.
HANDBOOK_CORRIDORS = {
    "Kenya": ("KES", ("M-Pesa", "Airtel Money"), True, False, True),
    "Uganda": ("UGX", ("MTN MoMo", "Airtel Money"), True, False, True),
    "Tanzania": ("TZS", ("M-Pesa", "Tigo Pesa"), True, False, False),
    "Ghana": ("GHS", ("MTN MoMo", "Telecel Cash"), True, False, True),
    "Nigeria": ("NGN", (), True, True, True),
    "Senegal": ("XOF", ("Orange Money", "Wave"), False, True, False),
    "Cameroon": ("XAF", ("MTN MoMo", "Orange Money"), False, False, False),
    "Zimbabwe": ("USD", ("EcoCash",), False, True, False),
    "Ethiopia": ("ETB", (), True, True, False),
    "Philippines": ("PHP", ("GCash",), True, True, True),
    "India": ("INR", (), True, False, False),
    "Pakistan": ("PKR", ("JazzCash", "Easypaisa"), True, True, False),
    "Bangladesh": ("BDT", ("bKash",), True, False, False),
    "Mexico": ("MXN", (), True, True, False),
}
HANDBOOK_SEND_FROM = {
    "United Kingdom": "GBP",
    "United States": "USD",
    "Canada": "CAD",
    "France": "EUR",
    "Germany": "EUR",
    "Italy": "EUR",
    "Spain": "EUR",
    "Netherlands": "EUR",
    "Belgium": "EUR",
    "Ireland": "EUR",
}
# Handbook section 4: per transfer, per 30 days.
HANDBOOK_TIERS = {1: (D(1000), D(2500)), 2: (D(5000), D(15000)), 3: (D(10000), D(50000))}


@pytest.mark.parametrize("currency", sorted(HANDBOOK_FEES))
@pytest.mark.parametrize(
    ("amount", "band"),
    [("0.01", 0), ("1", 0), ("499.99", 0), ("500", 0), ("500.01", 1), ("1200", 1), ("2000", 1)],
)
def test_flat_fee_bands(currency: str, amount: str, band: int) -> None:
    quote = fee_for(D(amount), currency, None)
    assert quote.fee == HANDBOOK_FEES[currency][band]
    assert quote.percent is None and quote.surcharge == 0


@pytest.mark.parametrize("currency", sorted(HANDBOOK_FEES))
@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("2000.01", "5.00"),
        ("2001", "5.00"),
        ("2002", "5.01"),
        ("4000", "10.00"),
        ("10000", "25.00"),
        ("2345.67", "5.86"),
    ],
)
def test_quarter_percent_above_2000(currency: str, amount: str, fee: str) -> None:
    quote = fee_for(D(amount), currency)
    assert quote.percent == D("0.25")
    assert quote.fee == D(fee) == (D(amount) * D("0.0025")).quantize(D("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("currency", sorted(HANDBOOK_FEES))
def test_cash_pickup_adds_one_in_every_band(currency: str) -> None:
    low, middle = HANDBOOK_FEES[currency]
    assert fee_for(D(300), currency, "cash_pickup").fee == low + 1
    assert fee_for(D(1500), currency, "cash_pickup").fee == middle + 1
    assert fee_for(D(4000), currency, "cash_pickup").fee == D("11.00")
    assert fee_for(D(4000), currency, "cash_pickup").surcharge == D("1.00")


@pytest.mark.parametrize("currency", sorted(HANDBOOK_FEES))
def test_airtime_and_first_transfer_are_free(currency: str) -> None:
    assert fee_for(D(50), currency, "airtime").fee == 0
    assert fee_for(D(3000), currency, "airtime").waived == "airtime"
    assert fee_for(D(1000), currency, "bank_deposit", first_transfer=True).fee == 0
    assert fee_for(D(1000), currency, "cash_pickup", first_transfer=True).waived == "first_transfer"
    # Above the Tier 1 limit (1,000) the first transfer pays the normal fee.
    assert fee_for(D("1000.01"), currency, None, first_transfer=True).fee == HANDBOOK_FEES[currency][1]


def test_other_methods_cost_the_band_fee_and_bad_input_is_refused() -> None:
    assert fee_for(D(100), "gbp", "mobile_money").fee == D("1.99")
    assert fee_for("1,200", "USD", "bank_deposit").fee == D("3.99")
    with pytest.raises(TableLookupError, match="KES"):
        fee_for(D(100), "KES")
    with pytest.raises(TableLookupError):
        fee_for(D(0), "GBP")
    with pytest.raises(TableLookupError, match="delivery method"):
        fee_for(D(10), "GBP", "pigeon")


@pytest.mark.parametrize("country", sorted(HANDBOOK_CORRIDORS))
def test_every_destination(country: str) -> None:
    currency, partners, bank, cash, airtime = HANDBOOK_CORRIDORS[country]
    found = corridor(country)
    assert found is not None and found.country == country
    assert found.currency == currency
    assert found.mobile_money == partners
    assert (found.bank_deposit, found.cash_pickup, found.airtime) == (bank, cash, airtime)
    assert found.offers("mobile_money") == bool(partners)
    assert corridor(country.upper()) == found


def test_sending_countries_and_unknown_countries_are_not_destinations() -> None:
    corridors = default_tables().corridors
    assert dict(corridors.send_from) == HANDBOOK_SEND_FROM
    assert set(corridors.send_to) == set(HANDBOOK_CORRIDORS)
    for country in [*HANDBOOK_SEND_FROM, "UK", "the Netherlands", "Brazil", "Atlantis"]:
        assert corridor(country) is None
    assert corridors.is_send_country("uk") and not corridors.is_send_country("Brazil")
    assert corridor("the Philippines") is not None


@pytest.mark.parametrize("tier", sorted(HANDBOOK_TIERS))
def test_every_tier_limit(tier: int) -> None:
    assert (limits(tier).per_transfer, limits(tier).per_30_days) == HANDBOOK_TIERS[tier]
    assert limits(f"Tier {tier}") == limits(str(tier)) == limits(tier)


def test_tier_requirements_and_lookups() -> None:
    assert limits(1).requirements == ("phone number", "basic details")
    assert limits(2).requirements == ("verified photo ID", "selfie")
    assert set(limits(3).requirements) >= {"proof of address", "source of funds"}
    table = default_tables().limits
    assert table.tier_for(D(1000)).tier == 1
    assert table.tier_for(D("1000.01")).tier == 2
    assert table.tier_for(D(10000)).tier == 3
    assert table.tier_for(D("10000.01")) is None
    with pytest.raises(TableLookupError):
        limits(4)


def test_delivery_times() -> None:
    # Handbook section 5: minutes for mobile money and airtime, 1 hour for cash, business days for banks.
    for method in ("mobile_money", "airtime"):
        assert delivery_time(method).p95_minutes == 5
    assert delivery_time("cash_pickup").ready_within_hours == 1
    assert delivery_time("bank_deposit").max_business_days == 1
    for country in ("India", "Pakistan", "Bangladesh"):
        assert delivery_time("bank_deposit", country).max_business_days == 2
        assert not delivery_time("bank_deposit", country).same_day_usually
    assert delivery_time("bank_deposit", "Kenya").max_business_days == 1
    assert delivery_time("bank_deposit", "Kenya").same_day_usually
    assert delivery_time("cash_pickup", "Kenya") is None  # not offered there
    assert delivery_time("mobile_money", "Brazil") is None
    assert default_tables().delivery.compliance_review_max_hours == 48


@pytest.mark.parametrize("country", sorted(HANDBOOK_CORRIDORS))
def test_delivery_time_for_every_destination_and_method(country: str) -> None:
    _, partners, bank, cash, airtime = HANDBOOK_CORRIDORS[country]
    offered = {"mobile_money": bool(partners), "bank_deposit": bank, "cash_pickup": cash, "airtime": airtime}
    for method, available in offered.items():
        assert (delivery_time(method, country) is not None) == available


def test_sentences_state_table_facts() -> None:
    tables = default_tables()
    assert fee_sentence(fee_for(D(1200), "GBP"), tables, "chat") == "Sending 1,200 GBP costs 2.99 GBP."
    assert fee_sentence(fee_for(D(1200), "GBP"), tables, "voice") == "Sending 1,200 pounds costs 2.99 pounds."
    assert (
        fee_sentence(fee_for(D(4000), "EUR"), tables, "chat")
        == "Sending 4,000 EUR costs 10.00 EUR (0.25% of the amount)."
    )
    assert fee_sentence(fee_for(D(4000), "EUR"), tables, "voice") == (
        "Sending 4,000 euros costs 10.00 euros (0.25 percent of the amount)."
    )
    assert fee_sentence(fee_for(D(300), "USD", "cash_pickup"), tables, "chat") == (
        "Sending 300 USD for cash pickup costs 3.99 USD (2.99 USD, plus 1.00 USD for cash pickup)."
    )
    assert "no fee" in fee_sentence(fee_for(D(20), "CAD", "airtime"), tables, "chat")
    assert corridor_sentence("Ghana", tables, None, "chat") == (
        "You can send to Ghana: your recipient gets GHS by mobile money (MTN MoMo or Telecel Cash), "
        "bank deposit or airtime top-up. Cash pickup isn't available for Ghana."
    )
    assert corridor_sentence("Kenya", tables, "cash_pickup", "chat") == "Cash pickup isn't available for Kenya."
    brazil = corridor_sentence("Brazil", tables, None, "chat")
    assert brazil.startswith("Sending to Brazil isn't supported. ZuriSend sends to ") and brazil.endswith("and Mexico.")
    assert corridor_sentence("Portugal", tables, None, "chat", origin=True) == (
        "Sending from Portugal isn't supported. You can send from the United Kingdom, the United States, Canada, "
        "France, Germany, Italy, Spain, the Netherlands, Belgium and Ireland.")
    assert corridor_sentence("uk", tables, None, "voice", origin=True) == (
        "You can send from the United Kingdom, paying in pounds."
    )
    assert "sending between two sending countries isn't supported" in corridor_sentence("France", tables, None, "chat")
    assert (
        limits_sentence(Slots(tier=2), tables, "chat")
        == "Tier 2 lets you send up to 5,000 per transfer and 15,000 per 30 days."
    )
    assert delivery_sentence(Slots(country="India", delivery_method="bank_deposit"), tables, "chat") == (
        "A bank deposit to India arrives within 2 business days."
    )


def _copy_tables(tmp_path: Path) -> Path:
    target = tmp_path / "tables"
    shutil.copytree(default_directory(), target)
    return target


def test_a_wrong_table_is_reported_with_file_and_line(tmp_path: Path) -> None:
    tables = _copy_tables(tmp_path)
    fees = tables / "fees.yml"
    text = fees.read_text()
    fees.write_text(
        text.replace("- {from: 500.01, up_to: 2000, fee: 2.99}", "- {from: 600, up_to: 2000, fee: 2.99}", 1)
    )
    line = next(i for i, row in enumerate(fees.read_text().splitlines(), 1) if "from: 600" in row)
    with pytest.raises(KnowledgeErrors, match=rf"fees.yml:{line}: band must start at 500.01"):
        load_tables(tables)


def test_a_table_type_error_names_the_key(tmp_path: Path) -> None:
    tables = _copy_tables(tmp_path)
    corridors = tables / "corridors.yml"
    corridors.write_text(
        corridors.read_text().replace("cash_pickup: false, airtime: true}", "cash_pickup: maybe, airtime: true}", 1)
    )
    with pytest.raises(KnowledgeErrors, match=r"corridors.yml:\d+: send_to.Kenya.cash_pickup must be a bool"):
        load_tables(tables)
