"""The durable handoff outbox: a case is recorded and queued for delivery in one transaction.

No case may be lost between the bot saying "connecting you" and the queue
receiving it, and a retried action must not open a second case. So the handoff
record and its outbox row are written together, keyed by a caller-provided
idempotency key, and the delivery worker claims rows with a compare-and-set
lease that works the same on SQLite and PostgreSQL: a worker that dies
mid-delivery loses its claim when the lease runs out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Mapping, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine

from frontdoor.database import METADATA
from frontdoor.handoff.case import case_body, validate_case
from frontdoor.handoff.config import PRIORITIES

STATUSES = ("pending", "delivering", "delivered", "failed")


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend (stored naive, in UTC)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Dialect) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Dialect) -> Optional[datetime]:
        return None if value is None else value.replace(tzinfo=timezone.utc)


HANDOFF_CASES = sa.Table(
    "handoff_cases",
    METADATA,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("idempotency_key", sa.String(255), nullable=False, unique=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("category", sa.String(64), nullable=False),
    sa.Column("priority", sa.String(16), nullable=False),
    sa.Column("handoff_reason", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

HANDOFF_OUTBOX = sa.Table(
    "handoff_outbox",
    METADATA,
    sa.Column("case_id", sa.String(36), sa.ForeignKey("handoff_cases.case_id"), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("priority_rank", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("retry_from", UTCDateTime, nullable=False),
    sa.Column("lease_until", UTCDateTime, nullable=True),
    sa.Column("claim_token", sa.String(36), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("delivered_at", UTCDateTime, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'delivering', 'delivered', 'failed')", name="handoff_outbox_status"),
    sa.Index("handoff_outbox_due", "status", "next_attempt_at"),
)


@dataclass(frozen=True)
class Recorded:
    case_id: str
    created: bool
    """False when the key was already recorded: ``case_id`` is the original case's."""


@dataclass(frozen=True)
class Claim:
    """A row this worker may deliver until ``lease_until``; ``token`` fences its updates."""

    case_id: str
    body: bytes
    attempts: int
    retry_from: datetime
    token: str


@dataclass(frozen=True)
class OutboxRow:
    case_id: str
    conversation_id: str
    category: str
    priority: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: Optional[str]
    created_at: datetime
    delivered_at: Optional[datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def handoff_key(conversation_id: str, sequence: int) -> str:
    """The idempotency key of the ``sequence``-th handoff of a conversation (a retried action reuses it)."""
    return f"{conversation_id}#{sequence}"


def record_handoff(engine: Engine, case: Mapping[str, Any], *, key: str, now: Optional[datetime] = None) -> Recorded:
    """Validate ``case``, then store the handoff and its outbox row atomically, once per ``key``."""
    validate_case(case)
    now = now or utcnow()
    existing = _case_for_key(engine, key)
    if existing:
        return Recorded(existing, created=False)
    try:
        with engine.begin() as connection:
            connection.execute(
                HANDOFF_CASES.insert().values(
                    case_id=case["case_id"],
                    idempotency_key=key,
                    conversation_id=case["conversation_id"],
                    category=case["category"],
                    priority=case["priority"],
                    handoff_reason=case["handoff_reason"],
                    created_at=now,
                )
            )
            connection.execute(
                HANDOFF_OUTBOX.insert().values(
                    case_id=case["case_id"],
                    body=case_body(case).decode("utf-8"),
                    priority_rank=PRIORITIES.index(case["priority"]),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    retry_from=now,
                    created_at=now,
                    updated_at=now,
                )
            )
    except sa.exc.IntegrityError:
        existing = _case_for_key(engine, key)
        if existing is None:
            raise
        return Recorded(existing, created=False)
    return Recorded(str(case["case_id"]), created=True)


def _case_for_key(engine: Engine, key: str) -> Optional[str]:
    with engine.connect() as connection:
        query = sa.select(HANDOFF_CASES.c.case_id).where(HANDOFF_CASES.c.idempotency_key == key)
        value = connection.execute(query).scalar_one_or_none()
    return None if value is None else str(value)


def _due(now: datetime) -> sa.sql.ColumnElement:
    table = HANDOFF_OUTBOX
    return sa.or_(
        sa.and_(table.c.status == "pending", table.c.next_attempt_at <= now),
        sa.and_(table.c.status == "delivering", table.c.lease_until <= now),
    )


def claim_due(engine: Engine, *, now: datetime, lease: timedelta, limit: int) -> List[Claim]:
    """Claim up to ``limit`` due rows (urgent first), including rows whose previous worker's lease ran out.

    Each claim is a conditional UPDATE that only succeeds while the row is still
    due, so two workers never hold the same row: the loser's UPDATE matches nothing.
    """
    table = HANDOFF_OUTBOX
    with engine.connect() as connection:
        candidates = (
            connection.execute(
                sa.select(table.c.case_id)
                .where(_due(now))
                .order_by(table.c.priority_rank, table.c.next_attempt_at)
                .limit(limit)
            )
            .scalars()
            .all()
        )
    claims = []
    for case_id in candidates:
        token = str(uuid.uuid4())
        with engine.begin() as connection:
            updated = connection.execute(
                table.update()
                .where(table.c.case_id == case_id, _due(now))
                .values(
                    status="delivering",
                    lease_until=now + lease,
                    claim_token=token,
                    attempts=table.c.attempts + 1,
                    updated_at=now,
                )
            )
            if updated.rowcount != 1:
                continue
            row = connection.execute(
                sa.select(table.c.body, table.c.attempts, table.c.retry_from).where(table.c.case_id == case_id)
            ).one()
        claims.append(Claim(str(case_id), row.body.encode("utf-8"), int(row.attempts), row.retry_from, token))
    return claims


def mark_delivered(engine: Engine, claim: Claim, *, now: datetime) -> None:
    """Delivered is final, whichever worker got there (the receiver is idempotent on case_id)."""
    table = HANDOFF_OUTBOX
    with engine.begin() as connection:
        connection.execute(
            table.update()
            .where(table.c.case_id == claim.case_id, table.c.status != "delivered")
            .values(status="delivered", delivered_at=now, updated_at=now, lease_until=None, claim_token=None)
        )


def mark_retry(engine: Engine, claim: Claim, *, error: str, next_attempt_at: Optional[datetime], now: datetime) -> str:
    """Schedule the next attempt, or dead-letter (``next_attempt_at`` None): returns the new status.

    Only the current claim holder may do this, so a stale worker cannot undo a newer claim.
    """
    table = HANDOFF_OUTBOX
    status = "failed" if next_attempt_at is None else "pending"
    with engine.begin() as connection:
        connection.execute(
            table.update()
            .where(table.c.case_id == claim.case_id, table.c.claim_token == claim.token, table.c.status == "delivering")
            .values(
                status=status,
                next_attempt_at=next_attempt_at or now,
                last_error=error[:2000],
                lease_until=None,
                claim_token=None,
                updated_at=now,
            )
        )
    return status


def list_outbox(engine: Engine, *, status: Optional[str] = None, limit: int = 100) -> List[OutboxRow]:
    """Newest first; ``status`` filters (``failed`` is the dead-letter list ops watch)."""
    outbox, cases = HANDOFF_OUTBOX, HANDOFF_CASES
    query = (
        sa.select(
            outbox.c.case_id,
            cases.c.conversation_id,
            cases.c.category,
            cases.c.priority,
            outbox.c.status,
            outbox.c.attempts,
            outbox.c.next_attempt_at,
            outbox.c.last_error,
            outbox.c.created_at,
            outbox.c.delivered_at,
        )
        .join(cases, cases.c.case_id == outbox.c.case_id)
        .order_by(outbox.c.created_at.desc(), outbox.c.case_id)
        .limit(limit)
    )
    if status is not None:
        query = query.where(outbox.c.status == status)
    with engine.connect() as connection:
        return [OutboxRow(**row._mapping) for row in connection.execute(query)]


def status_counts(engine: Engine) -> Dict[str, int]:
    table = HANDOFF_OUTBOX
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table.c.status, sa.func.count()).group_by(table.c.status)).all()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({str(status): int(count) for status, count in rows})
    return counts


def redrive(engine: Engine, case_id: Optional[str] = None, *, now: Optional[datetime] = None) -> int:
    """Queue dead-lettered cases again with a fresh retry window: one ``case_id``, or all failed when None.

    A single case may also be re-sent after delivery (a queue that lost it); the
    receiver deduplicates by case_id. Returns how many rows were queued.
    """
    table = HANDOFF_OUTBOX
    now = now or utcnow()
    allowed = ("failed",) if case_id is None else ("failed", "delivered")
    query = table.update().where(table.c.status.in_(allowed))
    if case_id is not None:
        query = query.where(table.c.case_id == case_id)
    with engine.begin() as connection:
        result = connection.execute(
            query.values(status="pending", attempts=0, next_attempt_at=now, retry_from=now, updated_at=now)
        )
        return int(result.rowcount)


def outbox_status(engine: Engine, case_id: str) -> Optional[str]:
    """One row's status, None when there is no such case."""
    with engine.connect() as connection:
        value = connection.execute(
            sa.select(HANDOFF_OUTBOX.c.status).where(HANDOFF_OUTBOX.c.case_id == case_id)
        ).scalar_one_or_none()
    return None if value is None else str(value)
