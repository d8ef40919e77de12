""" "Did this help?" votes per article and conversation (SQLAlchemy 1.4 Core).

The counts show which articles need rewriting; two "not helpful" votes in one
conversation are the signal to hand the customer to an agent. The caller owns
the engine (SQLite in development, PostgreSQL in production).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.database import METADATA

CHANNELS = ("chat", "voice")
DEFAULT_TABLE = "kb_feedback"


def feedback_table(
    name: str = DEFAULT_TABLE, schema: Optional[str] = None, metadata: Optional[sa.MetaData] = None
) -> sa.Table:
    """The votes table; tests pass their own name or schema so runs never collide."""
    metadata = metadata if metadata is not None else sa.MetaData(schema=schema)
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
        sa.Column("article_id", sa.String(128), nullable=False, index=True),
        sa.Column("helpful", sa.Boolean(name=f"{name}_helpful_bool"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('chat', 'voice')", name=f"{name}_channel"),
    )


FEEDBACK = feedback_table(metadata=METADATA)


@dataclass(frozen=True)
class HelpfulCount:
    helpful: int = 0
    not_helpful: int = 0


def create_schema(engine: Engine, table: sa.Table = FEEDBACK) -> None:
    """Create the table and its indexes if they do not exist (safe to call at every start)."""
    table.metadata.create_all(engine, tables=[table], checkfirst=True)


def record_feedback(
    engine: Engine,
    conversation_id: str,
    article_id: str,
    helpful: bool,
    channel: str,
    *,
    created_at: Optional[datetime] = None,
    table: sa.Table = FEEDBACK,
) -> None:
    """Store one vote; ``created_at`` defaults to now (UTC)."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
    if not conversation_id or not article_id:
        raise ValueError("conversation_id and article_id are required")
    with engine.begin() as connection:
        connection.execute(
            table.insert().values(
                conversation_id=conversation_id,
                article_id=article_id,
                helpful=bool(helpful),
                channel=channel,
                created_at=created_at or datetime.now(timezone.utc),
            )
        )


def helpful_counts(
    engine: Engine, article_id: Optional[str] = None, *, table: sa.Table = FEEDBACK
) -> Dict[str, HelpfulCount]:
    """Helpful / not helpful votes per article (only ``article_id`` when given)."""
    helpful = sa.func.sum(sa.case((table.c.helpful == sa.true(), 1), else_=0))
    not_helpful = sa.func.sum(sa.case((table.c.helpful == sa.false(), 1), else_=0))
    query = sa.select(table.c.article_id, helpful, not_helpful).group_by(table.c.article_id)
    if article_id is not None:
        query = query.where(table.c.article_id == article_id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return {row[0]: HelpfulCount(int(row[1] or 0), int(row[2] or 0)) for row in rows}


def not_helpful_count(engine: Engine, conversation_id: str, *, table: sa.Table = FEEDBACK) -> int:
    query = sa.select(sa.func.count()).where(table.c.conversation_id == conversation_id, table.c.helpful == sa.false())
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def said_not_helpful_twice(engine: Engine, conversation_id: str, *, table: sa.Table = FEEDBACK) -> bool:
    """True once the conversation has voted "not helpful" at least twice (any articles): time for an agent."""
    return not_helpful_count(engine, conversation_id, table=table) >= 2
