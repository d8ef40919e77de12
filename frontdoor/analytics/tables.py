"""The analytics tables: one folded row per conversation, plus what the summary lists (SQLAlchemy 1.4 Core).

Rasa's events are folded into these rows incrementally (``ingest``), so a
summary reads a table of conversations, never the raw events again.
Times are unix seconds (floats, like Rasa's); ``started_day`` is the UTC date,
stored so "by day" groups the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

from frontdoor.database import METADATA
from frontdoor.dbtypes import UTCDateTime

CONVERSATIONS = sa.Table(
    "analytics_conversations",
    METADATA,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("started_day", sa.String(10), nullable=False),
    sa.Column("last_event_at", sa.Float, nullable=False),
    sa.Column("contact_reason", sa.String(64)),
    sa.Column("user_messages", sa.Integer, nullable=False),
    sa.Column("fallbacks", sa.Integer, nullable=False),
    sa.Column("pending_question", sa.String(64)),
    sa.Column("requested_slot", sa.String(64)),
    sa.Column("active_loop", sa.String(64)),
    sa.Column("pending_step", sa.String(64)),
    sa.Column("prompt_expects", sa.String(64)),
    sa.Index("analytics_conversations_started", "started_at", "channel"),
)

MISSED = sa.Table(
    "analytics_missed",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("confidence", sa.Float),
    sa.Column("at", sa.Float, nullable=False),
    sa.CheckConstraint("kind IN ('fallback', 'low_confidence')", name="analytics_missed_kind"),
)

ARTICLES_SHOWN = sa.Table(
    "analytics_articles_shown",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("article_id", sa.String(128), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

CONVERSATION_CUSTOMERS = sa.Table(
    "analytics_conversation_customers",
    METADATA,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Index("analytics_conversation_customers_customer", "customer_id"),
)
"""Who each conversation was with, when the bot knew: a verified profile or a signed app token (``customer_id``).
A sibling table rather than a column, so existing databases gain it with ``create_schema``."""

WATERMARKS = sa.Table(
    "analytics_watermarks",
    METADATA,
    sa.Column("source", sa.String(64), primary_key=True),
    sa.Column("last_event_id", sa.BigInteger, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
