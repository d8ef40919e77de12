"""Customer satisfaction: one 1-5 rating per conversation, asked at the end of a contained conversation.

The question is skippable, so a missing rating means "not answered", never a
low score. A second rating for the same conversation replaces the first (the
customer changed their mind), so a retried action cannot count twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.database import METADATA
from frontdoor.dbtypes import UTCDateTime

CHANNELS = ("chat", "voice")

CSAT = sa.Table(
    "csat_ratings",
    METADATA,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("rating", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("rating BETWEEN 1 AND 5", name="csat_ratings_rating"),
    sa.CheckConstraint("channel IN ('chat', 'voice')", name="csat_ratings_channel"),
)


def record_csat(
    engine: Engine, conversation_id: str, rating: int, channel: str, *, now: Optional[datetime] = None
) -> None:
    """Store (or replace) the conversation's rating; ``ValueError`` for a rating outside 1-5 or an unknown channel."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValueError(f"rating must be an integer from 1 to 5, not {rating!r}")
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
    if not conversation_id:
        raise ValueError("conversation_id is required")
    values = {"rating": rating, "channel": channel, "created_at": now or datetime.now(timezone.utc)}
    with engine.begin() as connection:
        updated = connection.execute(
            CSAT.update().where(CSAT.c.conversation_id == conversation_id).values(**values)
        ).rowcount
        if not updated:
            connection.execute(CSAT.insert().values(conversation_id=conversation_id, **values))


_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBER = re.compile(r"\b([1-5]|one|two|three|four|five)\b(?!\s*(?:%|percent))")


def parse_rating(text: object) -> Optional[int]:
    """A 1-5 rating in a reply ("4", "I'd give it a four", "5 stars", "4/5"); None when absent or ambiguous."""
    if not isinstance(text, str) or len(text) > 500:
        return None
    cleaned = re.sub(r"\bout of (5|five)\b|/\s*5\b", " ", text.lower())
    found = {_WORDS.get(m) or int(m) for m in _NUMBER.findall(cleaned)}
    other_numbers = r"\d{2,}|\b[06-9]\b|\b(?:zero|six|seven|eight|nine|ten|hundred|thousand)\b"
    if re.search(other_numbers, cleaned) or len(found) != 1:
        return None
    return found.pop()
