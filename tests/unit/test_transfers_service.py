"""Transfer status, overdue detection, cancel, refund and recipient fixes on a real database (both backends)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from frontdoor.database import create_schema
from frontdoor.transfers.replies import status_reply
from frontdoor.transfers.service import (
    TransferNotFound,
    add_business_days,
    cancel,
    correct_recipient,
    find_reference,
    get_transfer,
    recent_transfers,
    refund_status,
    status_report,
)
from frontdoor.transfers.tables import CUSTOMERS, TRANSFER_HISTORY, TRANSFERS

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
ME = "en.GB.0"
OTHER = "en.GB.1"


def ago(**kwargs: float) -> dt.datetime:
    return NOW - dt.timedelta(**kwargs)


def add(
    engine,
    reference: str,
    status: str,
    *,
    delivery: str = "mobile_money",
    payment: str = "debit_card",
    promised_by: dt.datetime = NOW,
    created: dt.datetime = NOW - dt.timedelta(hours=1),
    events: tuple[tuple[str, dt.datetime], ...] = (),
    customer: str = ME,
) -> None:
    with engine.begin() as connection:
        connection.execute(TRANSFERS.insert().values(
            reference=reference, customer_id=customer, created_at=created, send_currency="GBP",
            send_amount=Decimal("100.00"), fee=Decimal("2.99"), fx_rate=Decimal("160.5"), receive_country="Kenya",
            receive_currency="KES", receive_amount=Decimal("16050.00"), delivery_method=delivery,
            payout_partner="M-Pesa", recipient_name="Mwangi Njoroge", recipient_phone="+254700000000",
            payment_method=payment, status=status, promised_by=promised_by, updated_at=created,
        ))  # fmt: skip
        history = events or (("created", created), (status, created + dt.timedelta(minutes=1)))
        connection.execute(
            TRANSFER_HISTORY.insert(),
            [{"reference": reference, "status": s, "at": at, "source": "seed"} for s, at in history],
        )


@pytest.fixture
def engine(db_engine):
    create_schema(db_engine)
    with db_engine.begin() as connection:
        for customer in (ME, OTHER):
            connection.execute(CUSTOMERS.insert().values(
                customer_id=customer, first_name="A", last_name="B", full_name="A B", dob=dt.date(1980, 1, 1),
                postcode="W2 0AB", postcode_key="W20AB", created_at=NOW,
            ))  # fmt: skip
    return db_engine


def statuses(engine, reference: str) -> list[str]:
    with engine.connect() as connection:
        query = sa.select(TRANSFER_HISTORY.c.status).where(TRANSFER_HISTORY.c.reference == reference)
        return list(connection.execute(query.order_by(TRANSFER_HISTORY.c.at, TRANSFER_HISTORY.c.id)).scalars())


@pytest.mark.parametrize(
    "text, expected",
    [("ZS40318822", "ZS40318822"), ("my ref is zs 4031 8822", "ZS40318822"),
     (["zed s four oh three one eight eight two two"], "ZS40318822"), ("Z S 4 0 3 1 8 8 2 2", "ZS40318822"),
     ("ZS4031882", None), ("", None), (None, None), (b"\xff", None)],
)  # fmt: skip
def test_reference_typed_or_spoken(text: object, expected: str | None) -> None:
    assert find_reference(text) == expected


@pytest.mark.parametrize("status", ["created", "payment_received", "in_review"])
def test_cancel_allowed_before_payout(engine, status: str) -> None:
    add(engine, "ZS00000001", status, payment="bank_transfer")
    result = cancel(engine, ME, "ZS00000001", now=NOW)
    assert result.cancelled and not result.needs_agent and result.status == "cancelled"
    assert result.refund is not None and result.refund.amount == Decimal("102.99")
    assert (result.refund.min_business_days, result.refund.max_business_days) == (1, 3)
    assert get_transfer(engine, ME, "ZS00000001").status == "cancelled"
    assert statuses(engine, "ZS00000001")[-1] == "cancelled"


def test_cancel_ready_for_pickup_cash(engine) -> None:
    add(engine, "ZS00000002", "ready_for_pickup", delivery="cash_pickup", payment="apple_pay")
    result = cancel(engine, ME, "ZS00000002", now=NOW)
    assert result.cancelled and result.refund is not None and result.refund.max_business_days == 5


@pytest.mark.parametrize("status", ["sent_to_partner", "delivered", "collected"])
def test_cancel_refused_after_payout_offers_recall_by_agent(engine, status: str) -> None:
    add(engine, "ZS00000003", status)
    result = cancel(engine, ME, "ZS00000003", now=NOW)
    assert not result.cancelled and result.needs_agent and result.reason == "recall_request"
    assert "10 business days" in result.text
    assert get_transfer(engine, ME, "ZS00000003").status == status
    assert statuses(engine, "ZS00000003")[-1] == status


@pytest.mark.parametrize("status", ["failed", "cancelled", "refunded"])
def test_cancel_refused_when_already_refunding(engine, status: str) -> None:
    add(engine, "ZS00000004", status)
    result = cancel(engine, ME, "ZS00000004", now=NOW)
    assert not result.cancelled and not result.needs_agent
    assert result.text.startswith("there is nothing left to cancel, as ")
    assert ("business days" in result.text) is (status != "refunded"), "where the money is, unless it is back"


def test_someone_elses_or_unknown_transfer_is_not_found(engine) -> None:
    add(engine, "ZS00000005", "created", customer=OTHER)
    for reference in ("ZS00000005", "ZS99999999", "", "DROP TABLE", "x" * 10_000):
        with pytest.raises(TransferNotFound):
            cancel(engine, ME, reference, now=NOW)
    assert get_transfer(engine, OTHER, "ZS00000005").status == "created"


@pytest.mark.parametrize("customer", [None, 42, "", "x" * 100, b"en.GB.0"])
def test_bad_customer_ids_are_clear_errors(engine, customer: object) -> None:
    add(engine, "ZS00000019", "created")
    with pytest.raises(ValueError):
        cancel(engine, customer, "ZS00000019", now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        recent_transfers(engine, customer)  # type: ignore[arg-type]


def test_status_timeline_and_next_step(engine) -> None:
    events = (("created", ago(minutes=10)), ("payment_received", ago(minutes=9)), ("sent_to_partner", ago(minutes=8)))
    add(engine, "ZS00000006", "sent_to_partner", promised_by=NOW + dt.timedelta(minutes=5), events=events)
    report = status_report(engine, ME, "ZS00000006", now=NOW)
    assert [e.status for e in report.timeline] == ["created", "payment_received", "sent_to_partner"]
    assert "M-Pesa" in report.now_text and "minutes" in report.next_text
    assert not report.overdue and not report.needs_agent


@pytest.mark.parametrize(
    "delivery, promised_by, overdue",
    [("mobile_money", ago(hours=2, minutes=1), True), ("mobile_money", ago(hours=1, minutes=59), False),
     ("cash_pickup", ago(hours=3), True), ("airtime", ago(hours=1), False),
     ("bank_deposit", NOW - dt.timedelta(days=1), True), ("bank_deposit", NOW.replace(hour=0, minute=1), False)],
)  # fmt: skip
def test_overdue_rules(engine, delivery: str, promised_by: dt.datetime, overdue: bool) -> None:
    add(engine, "ZS00000007", "sent_to_partner", delivery=delivery, promised_by=promised_by)
    report = status_report(engine, ME, "ZS00000007", now=NOW)
    assert report.overdue is overdue
    assert report.needs_agent is overdue
    assert report.reason == ("transfer_not_received" if overdue else None)


def test_delivered_is_never_overdue(engine) -> None:
    add(engine, "ZS00000008", "delivered", promised_by=ago(days=3))
    assert not status_report(engine, ME, "ZS00000008", now=NOW).overdue


@pytest.mark.parametrize("hours, needs_agent", [(47, False), (49, True)])
def test_compliance_review_over_48_hours_needs_agent(engine, hours: int, needs_agent: bool) -> None:
    add(engine, "ZS00000009", "in_review", promised_by=ago(hours=hours),
        events=(("created", ago(hours=hours + 1)), ("in_review", ago(hours=hours))))  # fmt: skip
    report = status_report(engine, ME, "ZS00000009", now=NOW)
    assert report.needs_agent is needs_agent and not report.overdue
    assert report.reason == ("compliance_review_over_48h" if needs_agent else None)


def test_refund_status(engine) -> None:
    sent = dt.datetime(2026, 11, 16, 10, tzinfo=dt.timezone.utc)
    add(engine, "ZS00000010", "refunded", payment="debit_card",
        events=(("created", sent - dt.timedelta(days=1)), ("cancelled", sent), ("refunded", sent)))  # fmt: skip
    on_time = refund_status(engine, ME, "ZS00000010", now=NOW)
    assert on_time.applies and on_time.expected_by == dt.date(2026, 11, 23) and not on_time.needs_agent
    late = refund_status(engine, ME, "ZS00000010", now=dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc))
    assert late.needs_agent and late.reason == "refund_overdue"
    add(engine, "ZS00000011", "failed")
    assert refund_status(engine, ME, "ZS00000011", now=NOW).applies
    add(engine, "ZS00000012", "delivered")
    assert not refund_status(engine, ME, "ZS00000012", now=NOW).applies


def test_a_refunded_transfers_status_says_when_the_refund_was_due(engine) -> None:
    """Handbook 8: never "nothing more is needed" for a refund; past its window only the customer knows whether
    it arrived, so the status offers an agent (asking about the refund hands it off: ``refund_status``)."""
    sent = dt.datetime(2026, 11, 16, 10, tzinfo=dt.timezone.utc)
    add(engine, "ZS00000013", "refunded", payment="debit_card",
        events=(("created", sent - dt.timedelta(days=1)), ("failed", sent), ("refunded", sent)))  # fmt: skip
    on_time = status_report(engine, ME, "ZS00000013", now=NOW)
    assert not on_time.needs_agent and "3 to 5 business days: expect it by 23 November" in on_time.next_text
    late = status_report(engine, ME, "ZS00000013", now=dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc))
    assert not late.needs_agent and "if it still hasn't reached you, tell me" in late.next_text
    assert "nothing more" not in status_reply(late).chat
    assert refund_status(engine, ME, "ZS00000013", now=dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)).needs_agent


def test_business_days_skip_weekends() -> None:
    assert add_business_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)
    assert add_business_days(dt.date(2026, 11, 16), 5) == dt.date(2026, 11, 23)


@pytest.mark.parametrize("status", ["created", "payment_received", "in_review"])
def test_recipient_fix_allowed_before_payout(engine, status: str) -> None:
    add(engine, "ZS00000013", status)
    result = correct_recipient(engine, ME, "ZS00000013", name="Mwangi Njoroge Kamau", now=NOW)
    assert result.changed and not result.needs_agent
    assert get_transfer(engine, ME, "ZS00000013").recipient_name == "Mwangi Njoroge Kamau"


@pytest.mark.parametrize(
    "status, needs_agent, reason",
    [("ready_for_pickup", True, "pickup_name_fix"), ("sent_to_partner", True, "recall_request"),
     ("delivered", True, "recall_request"), ("collected", True, "recall_request"), ("refunded", False, None)],
)  # fmt: skip
def test_recipient_fix_refused_after_payout(engine, status: str, needs_agent: bool, reason: str | None) -> None:
    add(engine, "ZS00000014", status, delivery="cash_pickup")
    result = correct_recipient(engine, ME, "ZS00000014", phone="+254711111111", now=NOW)
    assert not result.changed and result.needs_agent is needs_agent and result.reason == reason
    assert get_transfer(engine, ME, "ZS00000014").recipient_phone == "+254700000000"


def test_recipient_fix_needs_a_value(engine) -> None:
    add(engine, "ZS00000015", "created")
    with pytest.raises(ValueError):
        correct_recipient(engine, ME, "ZS00000015", name="  ", now=NOW)
    with pytest.raises(ValueError):
        correct_recipient(engine, ME, "ZS00000015", name="x" * 500, now=NOW)


def test_recent_transfers_newest_first_and_only_mine(engine) -> None:
    add(engine, "ZS00000016", "delivered", created=ago(days=3))
    add(engine, "ZS00000017", "delivered", created=ago(days=1))
    add(engine, "ZS00000018", "delivered", created=ago(days=2), customer=OTHER)
    assert [t.reference for t in recent_transfers(engine, ME)] == ["ZS00000017", "ZS00000016"]
    assert recent_transfers(engine, "nobody") == []


@pytest.mark.parametrize(
    "payment, days", [("debit_card", "3 to 5"), ("bank_transfer", "1 to 3"), ("apple_pay", "3 to 5")]
)
@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_a_failed_or_cancelled_transfer_says_when_the_refund_arrives(engine, status: str, payment: str, days: str):
    add(engine, "ZS00000010", status, payment=payment)
    report = status_report(engine, ME, "ZS00000010", now=NOW)
    assert "102.99 GBP" in report.next_text and f"{days} business days" in report.next_text


def test_a_review_comes_with_its_48_hour_window(engine) -> None:
    add(engine, "ZS00000011", "in_review", events=(("created", ago(hours=2)), ("in_review", ago(hours=1))))
    assert "48 hours" in status_report(engine, ME, "ZS00000011", now=NOW).next_text


def test_a_late_transfer_is_called_late_and_no_passed_time_is_promised(engine) -> None:
    add(engine, "ZS00000012", "sent_to_partner", delivery="cash_pickup", promised_by=ago(hours=3))
    late = status_report(engine, ME, "ZS00000012", now=NOW).next_text
    assert late.startswith("it is late") and "should be ready" not in late
    add(engine, "ZS00000013", "sent_to_partner", promised_by=ago(minutes=30))
    due = status_report(engine, ME, "ZS00000013", now=NOW).next_text
    assert "should arrive by" not in due and "very soon" in due


def test_a_collected_transfer_names_who_collected_it(engine) -> None:
    add(engine, "ZS00000014", "collected", delivery="cash_pickup")
    assert status_report(engine, ME, "ZS00000014", now=NOW).now_text == "Mwangi Njoroge collected the cash"
