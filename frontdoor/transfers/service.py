"""What the assistant may tell and do about a verified customer's transfers (handbook sections 5-9).

Plain functions over the app database returning typed results: what happened,
what to tell the customer, and whether an agent is needed and why. Callers
must verify the customer first; every lookup is scoped to that customer, so a
reference belonging to someone else looks exactly like an unknown one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from frontdoor.dbtypes import utcnow
from frontdoor.handoff.config import load_config
from frontdoor.handoff.triggers import compliance_review_overdue, transfer_overdue
from frontdoor.spoken.spelling import spelled_readings
from frontdoor.spoken.text import as_alternatives
from frontdoor.transfers.tables import TRANSFER_HISTORY, TRANSFERS

REFERENCE = re.compile(r"ZS\d{8}")
CANCELLABLE = frozenset({"created", "payment_received", "in_review"})
CORRECTABLE = frozenset({"created", "payment_received", "in_review"})
PAID_OUT = frozenset({"sent_to_partner", "delivered", "collected"})
REFUND_STATUSES = frozenset({"failed", "cancelled", "refunded"})
REFUND_DAYS = {"debit_card": (3, 5), "apple_pay": (3, 5), "google_pay": (3, 5), "bank_transfer": (1, 3)}
PAYMENT_NAMES = {"debit_card": "debit card", "apple_pay": "Apple Pay", "google_pay": "Google Pay",
                 "bank_transfer": "bank transfer"}  # fmt: skip
RECALL = "an agent can ask the payout partner for a recall; it is not guaranteed and takes up to 10 business days"

STATUS_TEXT = {
    "created": "you confirmed it; we have not received your payment yet",
    "payment_received": "we have received your money",
    "in_review": "it is held for a compliance check, which can take up to 48 hours",
    "sent_to_partner": "it was passed to the payout partner, {partner}",
    "delivered": "it was delivered to {recipient}",
    "ready_for_pickup": "the cash is ready to collect at {partner}",
    "collected": "{recipient} collected the cash",
    "failed": "the payout partner rejected it",
    "cancelled": "it was cancelled before payout",
    "refunded": "the refund was sent back to you",
}


class TransferNotFound(LookupError):
    """No such reference for this customer (deliberately the same whether it exists for someone else or not)."""


@dataclass(frozen=True)
class Transfer:
    reference: str
    customer_id: str
    created_at: dt.datetime
    send_currency: str
    send_amount: Decimal
    fee: Decimal
    receive_country: str
    receive_currency: str
    receive_amount: Decimal
    delivery_method: str
    payout_partner: str
    recipient_name: str
    recipient_phone: str
    payment_method: str
    status: str
    promised_by: dt.datetime


@dataclass(frozen=True)
class StatusEvent:
    status: str
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class Refund:
    payment_method: str
    amount: Decimal
    currency: str
    min_business_days: int
    max_business_days: int
    text: str


@dataclass(frozen=True)
class StatusReport:
    transfer: Transfer
    timeline: tuple[StatusEvent, ...]
    now_text: str
    now_at: dt.datetime
    next_text: str
    overdue: bool
    needs_agent: bool
    reason: Optional[str]


@dataclass(frozen=True)
class CancelResult:
    cancelled: bool
    status: str
    refund: Optional[Refund]
    text: str
    needs_agent: bool
    reason: Optional[str]


@dataclass(frozen=True)
class RefundStatus:
    applies: bool
    sent_at: Optional[dt.datetime]
    expected_by: Optional[dt.date]
    refund: Optional[Refund]
    text: str
    needs_agent: bool
    reason: Optional[str]


@dataclass(frozen=True)
class CorrectionResult:
    changed: bool
    text: str
    needs_agent: bool
    reason: Optional[str]


def find_reference(alternatives: object) -> Optional[str]:
    """The first transfer reference typed or said in any alternative ("ZS40318822", "zed s four oh three ...")."""
    for text in as_alternatives(alternatives):
        match = REFERENCE.search(re.sub(r"[\s-]", "", text.upper()))
        if match:
            return match.group(0)
        for reading in spelled_readings(text, limit=4):
            match = REFERENCE.search(reading)
            if match:
                return match.group(0)
    return None


def _transfer(row: sa.engine.Row) -> Transfer:
    return Transfer(**{name: row._mapping[name] for name in Transfer.__dataclass_fields__})


def _require_customer(customer_id: object) -> None:
    if not isinstance(customer_id, str) or not customer_id or len(customer_id) > 64:
        raise ValueError("customer_id must be a non-empty string of at most 64 characters")


def _load(connection: Connection, customer_id: str, reference: str, lock: bool = False) -> Transfer:
    _require_customer(customer_id)
    if not isinstance(reference, str) or not REFERENCE.fullmatch(reference.strip().upper()):
        raise TransferNotFound(reference)
    query = sa.select(TRANSFERS).where(
        TRANSFERS.c.reference == reference.strip().upper(), TRANSFERS.c.customer_id == customer_id
    )
    row = connection.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise TransferNotFound(reference)
    return _transfer(row)


def get_transfer(engine: Engine, customer_id: str, reference: str) -> Transfer:
    with engine.connect() as connection:
        return _load(connection, customer_id, reference)


def recent_transfers(engine: Engine, customer_id: str, limit: int = 5) -> list[Transfer]:
    """The customer's latest transfers, newest first: what to offer when they do not give a reference."""
    _require_customer(customer_id)
    query = (
        sa.select(TRANSFERS)
        .where(TRANSFERS.c.customer_id == customer_id)
        .order_by(TRANSFERS.c.created_at.desc(), TRANSFERS.c.reference)
        .limit(max(1, min(int(limit), 20)))
    )
    with engine.connect() as connection:
        return [_transfer(row) for row in connection.execute(query)]


def history(engine: Engine, reference: str) -> list[tuple[str, dt.datetime]]:
    query = (
        sa.select(TRANSFER_HISTORY.c.status, TRANSFER_HISTORY.c.at)
        .where(TRANSFER_HISTORY.c.reference == reference)
        .order_by(TRANSFER_HISTORY.c.at, TRANSFER_HISTORY.c.id)
    )
    with engine.connect() as connection:
        return [(row.status, row.at) for row in connection.execute(query)]


def _status_text(transfer: Transfer, status: str) -> str:
    return STATUS_TEXT[status].format(partner=transfer.payout_partner, recipient=transfer.recipient_name)


def is_overdue(transfer: Transfer, now: dt.datetime) -> bool:
    """Section 5: past the promised time plus 2 hours, or for bank deposits past the promised day."""
    if transfer.status not in ("created", "payment_received", "sent_to_partner"):
        return False
    return transfer_overdue(transfer.delivery_method, transfer.promised_by, now)


def _review_started(events: list[tuple[str, dt.datetime]]) -> Optional[dt.datetime]:
    started = [at for status, at in events if status == "in_review"]
    return started[-1] if started else None


def _next_text(transfer: Transfer, overdue: bool, now: dt.datetime) -> str:
    """What happens now, with the facts the state implies (handbook 5, 6, 8); never a promise already broken."""
    status = transfer.status
    if overdue:
        return (
            f"it is late: we promised it by {transfer.promised_by:%-d %B %H:%M} UTC, "
            "so an agent will chase it with the payout partner"
        )
    if status == "created":
        return "once your payment reaches us we send the money on"
    if status in ("payment_received", "sent_to_partner") and transfer.promised_by <= now:
        return (
            f"it was due by {transfer.promised_by:%-d %B %H:%M} UTC and is only just past that, "
            "so it should arrive very soon; if it is more than 2 hours late, an agent chases it"
        )
    if status in ("payment_received", "sent_to_partner"):
        if transfer.delivery_method in ("mobile_money", "airtime"):
            return f"it should arrive within minutes, by {transfer.promised_by:%-d %B %H:%M} UTC at the latest"
        if transfer.delivery_method == "cash_pickup":
            return f"the cash should be ready to collect by {transfer.promised_by:%-d %B %H:%M} UTC"
        return f"it should reach the bank account by the end of {transfer.promised_by:%-d %B}"
    if status == "in_review":
        return (
            "the check takes up to 48 hours; if we need more information you will be told in the app, "
            "otherwise the transfer continues after it"
        )
    if status == "ready_for_pickup":
        return "the recipient brings ID and the transfer reference; uncollected cash is refunded after 30 days"
    if status in ("failed", "cancelled"):
        refund = refund_for(transfer)
        return (
            f"the full {_money(refund.amount)} {refund.currency} is refunded to your "
            f"{PAYMENT_NAMES[transfer.payment_method]}, which takes {refund.min_business_days} to "
            f"{refund.max_business_days} business days"
        )
    return "nothing more is needed"


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def status_report(engine: Engine, customer_id: str, reference: str, now: Optional[dt.datetime] = None) -> StatusReport:
    """The timeline in plain language, what happens next, and whether an agent must take over."""
    now = now or utcnow()
    transfer = get_transfer(engine, customer_id, reference)
    events = history(engine, transfer.reference)
    timeline = tuple(StatusEvent(status, at, _status_text(transfer, status)) for status, at in events)
    overdue = is_overdue(transfer, now)
    review = _review_started(events) if transfer.status == "in_review" else None
    refund = _refund_state(transfer, events, now, LATE_REFUND_OFFER) if transfer.status == "refunded" else None
    reason: Optional[str] = None
    if overdue:
        reason = "transfer_not_received"
    elif review is not None and compliance_review_overdue(review, now, load_config().triggers):
        reason = "compliance_review_over_48h"
    return StatusReport(
        transfer=transfer,
        timeline=timeline,
        now_text=_status_text(transfer, transfer.status),
        now_at=timeline[-1].at if timeline else transfer.created_at,
        next_text=refund.text if refund is not None else _next_text(transfer, overdue, now),
        overdue=overdue,
        needs_agent=reason is not None,
        reason=reason,
    )


def refund_for(transfer: Transfer) -> Refund:
    """Section 8: the full amount and fee back to the original payment method, in its time window."""
    low, high = REFUND_DAYS[transfer.payment_method]
    amount = transfer.send_amount + transfer.fee
    method = PAYMENT_NAMES[transfer.payment_method]
    text = f"{amount:.2f} {transfer.send_currency} back to your {method} within {low} to {high} business days"
    return Refund(transfer.payment_method, amount, transfer.send_currency, low, high, text)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """Working days after ``start``, skipping weekends (bank holidays are not modelled)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def cancel(
    engine: Engine, customer_id: str, reference: str, now: Optional[dt.datetime] = None, source: str = "assistant"
) -> CancelResult:
    """Section 7: cancel in one transaction (status + history row) when allowed, else say why and who can help."""
    now = now or utcnow()
    with engine.begin() as connection:
        transfer = _load(connection, customer_id, reference, lock=True)
        allowed = transfer.status in CANCELLABLE or (
            transfer.status == "ready_for_pickup" and transfer.delivery_method == "cash_pickup"
        )
        if not allowed:
            return _refused_cancel(transfer)
        updated = connection.execute(
            TRANSFERS.update()
            .where(TRANSFERS.c.reference == transfer.reference, TRANSFERS.c.status == transfer.status)
            .values(status="cancelled", updated_at=now)
        )
        if updated.rowcount != 1:
            return CancelResult(False, transfer.status, None, "the transfer changed while we were cancelling it",
                                True, "concurrent_update")  # fmt: skip
        connection.execute(
            TRANSFER_HISTORY.insert().values(reference=transfer.reference, status="cancelled", at=now, source=source)
        )
    refund = refund_for(transfer)
    return CancelResult(True, "cancelled", refund, f"cancelled free of charge; {refund.text}", False, None)


def _refused_cancel(transfer: Transfer) -> CancelResult:
    if transfer.status in PAID_OUT:
        text = f"it can no longer be cancelled because {_status_text(transfer, transfer.status)}; {RECALL}"
        return CancelResult(False, transfer.status, None, text, True, "recall_request")
    if transfer.status in REFUND_STATUSES:
        # Already stopped (in the app, or by the partner): say so, and where the money is, once.
        text = f"there is nothing left to cancel, as {_status_text(transfer, transfer.status)}"
        if transfer.status != "refunded":
            text += f"; the refund is {refund_for(transfer).text}"
        return CancelResult(False, transfer.status, None, text, False, None)
    return CancelResult(False, transfer.status, None, "this transfer cannot be cancelled here", True, "cannot_cancel")


def refund_status(engine: Engine, customer_id: str, reference: str, now: Optional[dt.datetime] = None) -> RefundStatus:
    """Section 8: where the refund of a failed or cancelled transfer is, and whether it is late."""
    transfer = get_transfer(engine, customer_id, reference)
    return _refund_state(transfer, history(engine, transfer.reference), now or utcnow(), LATE_REFUND)


LATE_REFUND = "; it is later than it should be, so an agent will look into it"
"""Asked about the refund itself: past its window the customer asking means it has not arrived."""
LATE_REFUND_OFFER = "; if it still hasn't reached you, tell me and an agent will look into it"
"""Asked where the transfer is: whether a refund past its window arrived only the customer knows."""


def _refund_state(
    transfer: Transfer, events: list[tuple[str, dt.datetime]], now: dt.datetime, late_text: str
) -> RefundStatus:
    if transfer.status not in REFUND_STATUSES:
        text = f"there is no refund for this transfer: {_status_text(transfer, transfer.status)}"
        return RefundStatus(False, None, None, None, text, False, None)
    refund = refund_for(transfer)
    if transfer.status != "refunded":
        text = f"{_status_text(transfer, transfer.status)}; the refund is on its way: {refund.text}"
        return RefundStatus(True, None, None, refund, text, False, None)
    sent_at = max(at for status, at in events if status == "refunded") if events else now
    expected = add_business_days(sent_at.date(), refund.max_business_days)
    late = now.date() > expected
    text = (
        f"the refund of {refund.amount:.2f} {refund.currency} was sent to your {PAYMENT_NAMES[transfer.payment_method]}"
        f" on {sent_at:%-d %B}, which takes {refund.min_business_days} to {refund.max_business_days} business days"
    )
    text += f": expect it by {expected:%-d %B}" + (late_text if late else "")
    return RefundStatus(True, sent_at, expected, refund, text, late, "refund_overdue" if late else None)


def correct_recipient(
    engine: Engine,
    customer_id: str,
    reference: str,
    *,
    name: Optional[str] = None,
    phone: Optional[str] = None,
    now: Optional[dt.datetime] = None,
) -> CorrectionResult:
    """Section 9: fix the recipient's name or phone before payout; afterwards, or for pickups, an agent decides."""
    now = now or utcnow()
    changes = {key: value.strip() for key, value in (("recipient_name", name), ("recipient_phone", phone))
               if isinstance(value, str) and value.strip()}  # fmt: skip
    if not changes:
        raise ValueError("give the corrected recipient name or phone number")
    if any(len(value) > 128 for value in changes.values()):
        raise ValueError("recipient details are at most 128 characters")
    with engine.begin() as connection:
        transfer = _load(connection, customer_id, reference, lock=True)
        if transfer.status == "ready_for_pickup":
            text = "the name must match the recipient's ID exactly, so an agent will make this fix"
            return CorrectionResult(False, text, True, "pickup_name_fix")
        if transfer.status not in CORRECTABLE:
            text = f"the details can no longer be changed because {_status_text(transfer, transfer.status)}"
            if transfer.status in PAID_OUT:
                return CorrectionResult(False, f"{text}; {RECALL}", True, "recall_request")
            return CorrectionResult(False, text, False, None)
        connection.execute(
            TRANSFERS.update()
            .where(TRANSFERS.c.reference == transfer.reference, TRANSFERS.c.status == transfer.status)
            .values(updated_at=now, **changes)
        )
    return CorrectionResult(True, "the recipient details are updated", False, None)
