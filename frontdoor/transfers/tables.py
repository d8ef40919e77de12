"""Customers, their transfers and each transfer's status history (SQLAlchemy 1.4 Core)."""

from __future__ import annotations

import sqlalchemy as sa

from frontdoor.database import METADATA
from frontdoor.dbtypes import ExactDecimal, UTCDateTime

STATUSES = (
    "created", "payment_received", "in_review", "sent_to_partner", "delivered", "ready_for_pickup",
    "collected", "failed", "cancelled", "refunded",
)  # fmt: skip
DELIVERY_METHODS = ("mobile_money", "bank_deposit", "cash_pickup", "airtime")
PAYMENT_METHODS = ("debit_card", "apple_pay", "google_pay", "bank_transfer")


def _one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)


CUSTOMERS = sa.Table(
    "customers",
    METADATA,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("first_name", sa.String(128), nullable=False),
    sa.Column("last_name", sa.String(128), nullable=False),
    sa.Column("full_name", sa.String(256), nullable=False),
    sa.Column("dob", sa.Date, nullable=False),
    sa.Column("postcode", sa.String(10), nullable=False),
    sa.Column("postcode_key", sa.String(8), nullable=False, index=True),
    sa.Column("sex", sa.String(1)),
    sa.Column("email", sa.String(256)),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

TRANSFERS = sa.Table(
    "transfers",
    METADATA,
    sa.Column("reference", sa.String(10), primary_key=True),
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.customer_id"), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("send_currency", sa.String(3), nullable=False),
    sa.Column("send_amount", ExactDecimal(12, 2), nullable=False),
    sa.Column("fee", ExactDecimal(10, 2), nullable=False),
    sa.Column("fx_rate", ExactDecimal(18, 6), nullable=False),
    sa.Column("receive_country", sa.String(64), nullable=False),
    sa.Column("receive_currency", sa.String(3), nullable=False),
    sa.Column("receive_amount", ExactDecimal(16, 2), nullable=False),
    sa.Column("delivery_method", sa.String(16), nullable=False),
    sa.Column("payout_partner", sa.String(64), nullable=False),
    sa.Column("recipient_name", sa.String(128), nullable=False),
    sa.Column("recipient_phone", sa.String(32), nullable=False),
    sa.Column("payment_method", sa.String(16), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("promised_by", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    _one_of("status", STATUSES, "transfers_status"),
    _one_of("delivery_method", DELIVERY_METHODS, "transfers_delivery_method"),
    _one_of("payment_method", PAYMENT_METHODS, "transfers_payment_method"),
)

TRANSFER_HISTORY = sa.Table(
    "transfer_status_history",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("reference", sa.String(10), sa.ForeignKey("transfers.reference"), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    _one_of("status", STATUSES, "transfer_status_history_status"),
)
