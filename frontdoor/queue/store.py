"""The reference queue's own case table, deduplicated by case_id.

The queue is a separate system from the assistant, so it keeps its own
database (``QUEUE_DATABASE_URL``, default ``var/queue.db``) and its own
metadata: nothing here is created in the app database.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.handoff.outbox import UTCDateTime
from frontdoor.paths import ROOT

QUEUE_METADATA = sa.MetaData()
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'queue.db'}"

QUEUE_CASES = sa.Table(
    "queue_cases",
    QUEUE_METADATA,
    sa.Column("case_id", sa.String(36), primary_key=True),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("priority", sa.String(16), nullable=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("receipts", sa.Integer, nullable=False),
)
"""``receipts`` counts deliveries of the same case: duplicates are acknowledged, never stored twice."""


@dataclass(frozen=True)
class StoredCase:
    case: Dict[str, Any]
    received_at: datetime
    receipts: int


def queue_database_url() -> str:
    return os.environ.get("QUEUE_DATABASE_URL") or DEFAULT_URL


def create_queue_schema(engine: Engine) -> None:
    QUEUE_METADATA.create_all(engine, checkfirst=True)


def store_case(engine: Engine, case: Mapping[str, Any], *, now: datetime) -> bool:
    """Store a new case (True) or count a repeated delivery of a known one (False)."""
    table = QUEUE_CASES
    try:
        with engine.begin() as connection:
            connection.execute(
                table.insert().values(
                    case_id=case["case_id"],
                    payload=json.dumps(case, ensure_ascii=False),
                    priority=case["priority"],
                    received_at=now,
                    receipts=1,
                )
            )
        return True
    except sa.exc.IntegrityError:
        with engine.begin() as connection:
            connection.execute(
                table.update().where(table.c.case_id == case["case_id"]).values(receipts=table.c.receipts + 1)
            )
        return False


def list_cases(engine: Engine, limit: int = 500) -> List[StoredCase]:
    """Most urgent first, then newest."""
    table = QUEUE_CASES
    rank = sa.case({"urgent": 0, "high": 1}, value=table.c.priority, else_=2)
    query = sa.select(table).order_by(rank, table.c.received_at.desc()).limit(limit)
    with engine.connect() as connection:
        return [StoredCase(json.loads(r.payload), r.received_at, int(r.receipts)) for r in connection.execute(query)]
