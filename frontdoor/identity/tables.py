"""Audit of every identity-check attempt, and profile lockouts (SQLAlchemy 1.4 Core).

The audit keeps which details matched (flags) and the combined score, never
what the caller said: no date of birth, postcode or name is stored here.
"""

from __future__ import annotations

import sqlalchemy as sa

from frontdoor.database import METADATA
from frontdoor.dbtypes import UTCDateTime

OUTCOMES = ("pass", "fail", "locked", "refused", "token_pass", "token_rejected")
"""refused: the conversation already used its attempts; locked: the profile is locked for automated checks."""

VERIFICATION_ATTEMPTS = sa.Table(
    "verification_attempts",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("customer_id", sa.String(64), index=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("attempted_at", UTCDateTime, nullable=False, index=True),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("name_match", sa.Boolean(name="verification_attempts_name_bool")),
    sa.Column("dob_match", sa.Boolean(name="verification_attempts_dob_bool")),
    sa.Column("postcode_match", sa.Boolean(name="verification_attempts_postcode_bool")),
    sa.Column("score", sa.Float),
    sa.CheckConstraint(
        "outcome IN ({})".format(", ".join(f"'{o}'" for o in OUTCOMES)), name="verification_attempts_outcome"
    ),
)

LOCKOUTS = sa.Table(
    "lockouts",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer_id", sa.String(64), nullable=False, index=True),
    sa.Column("locked_at", UTCDateTime, nullable=False),
    sa.Column("locked_until", UTCDateTime, nullable=False, index=True),
    sa.Column("conversation_id", sa.String(255), nullable=False),
)
