"""Incremental ingestion: new tracker events (by id watermark) folded into the analytics tables.

Each batch is one app-database transaction that first advances the watermark
with a compare-and-set, so two ingesters (two web workers, the CLI) never fold
the same events twice: the loser's update matches no row and it rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from frontdoor.analytics.fold import Conversation, Event, Folded, fold
from frontdoor.analytics.tables import ARTICLES_SHOWN, CONVERSATION_CUSTOMERS, CONVERSATIONS, MISSED, WATERMARKS
from frontdoor.analytics.tracker import events_table
from frontdoor.taxonomy import Taxonomy, load_taxonomy

SOURCE = "tracker_events"
BATCH_SIZE = 50_000
_IN_CHUNK = 500


@dataclass(frozen=True)
class IngestResult:
    events: int
    conversations: int
    watermark: int


def watermark(engine: Engine, source: str = SOURCE) -> int:
    with engine.connect() as connection:
        value = connection.execute(
            sa.select(WATERMARKS.c.last_event_id).where(WATERMARKS.c.source == source)
        ).scalar_one_or_none()
    return int(value or 0)


def ingest(
    app: Engine,
    tracker: Engine,
    *,
    table: Optional[sa.Table] = None,
    taxonomy: Optional[Taxonomy] = None,
    batch_size: int = BATCH_SIZE,
    source: str = SOURCE,
) -> IngestResult:
    """Fold every event newer than the watermark; returns what was processed (nothing new: zeros)."""
    events = table if table is not None else events_table()
    taxonomy = taxonomy or load_taxonomy()
    if not sa.inspect(tracker).has_table(events.name, schema=events.schema):
        return IngestResult(0, 0, watermark(app, source))
    _ensure_watermark(app, source)
    total_events = total_conversations = 0
    while True:
        start = watermark(app, source)
        with tracker.connect() as connection:
            rows = connection.execute(
                sa.select(events).where(events.c.id > start).order_by(events.c.id).limit(batch_size)
            ).all()
        if not rows:
            return IngestResult(total_events, total_conversations, start)
        batch = [Event(r.id, r.sender_id, r.type_name, r.timestamp or 0.0, r.intent_name, r.action_name, r.data)
                 for r in rows]
        touched = _apply_batch(app, batch, start, taxonomy, source)
        if touched is None:
            continue
        total_events += len(batch)
        total_conversations += touched
        if len(rows) < batch_size:
            return IngestResult(total_events, total_conversations, batch[-1].id)


def _ensure_watermark(app: Engine, source: str) -> None:
    try:
        with app.begin() as connection:
            exists = connection.execute(
                sa.select(WATERMARKS.c.source).where(WATERMARKS.c.source == source)
            ).first()
            if exists is None:
                connection.execute(
                    WATERMARKS.insert().values(source=source, last_event_id=0, updated_at=datetime.now(timezone.utc))
                )
    except sa.exc.IntegrityError:
        return


class _Taken(Exception):
    """Another ingester advanced the watermark first: roll this batch back."""


def _apply_batch(app: Engine, batch: Sequence[Event], start: int, taxonomy: Taxonomy, source: str) -> Optional[int]:
    """Fold ``batch`` in one transaction; None when another ingester already took these events."""
    try:
        return _fold_batch(app, batch, start, taxonomy, source)
    except _Taken:
        return None


def _fold_batch(app: Engine, batch: Sequence[Event], start: int, taxonomy: Taxonomy, source: str) -> int:
    with app.begin() as connection:
        claimed = connection.execute(
            WATERMARKS.update()
            .where(WATERMARKS.c.source == source, WATERMARKS.c.last_event_id == start)
            .values(last_event_id=batch[-1].id, updated_at=datetime.now(timezone.utc))
        ).rowcount
        if claimed != 1:
            raise _Taken()
        senders = list(dict.fromkeys(event.sender_id for event in batch))
        known = _load(connection, senders)
        states: Dict[str, Conversation] = dict(known)
        out = Folded()
        for event in batch:
            state = states.get(event.sender_id)
            if state is None:
                state = states[event.sender_id] = Conversation(event.sender_id, event.timestamp, event.timestamp)
            fold(state, event, taxonomy, out)
        _store(connection, [s for k, s in states.items() if k in known],
               [s for k, s in states.items() if k not in known])
        if out.missed:
            connection.execute(MISSED.insert(), out.missed)
        if out.articles:
            connection.execute(ARTICLES_SHOWN.insert(), out.articles)
        _store_customers(connection, out.customers)
        return len(states)


def _load(connection: Connection, senders: List[str]) -> Dict[str, Conversation]:
    found: Dict[str, Conversation] = {}
    for offset in range(0, len(senders), _IN_CHUNK):
        chunk = senders[offset:offset + _IN_CHUNK]
        for row in connection.execute(sa.select(CONVERSATIONS).where(CONVERSATIONS.c.conversation_id.in_(chunk))):
            found[row.conversation_id] = Conversation.from_row(row)
    return found


def _store_customers(connection: Connection, pairs: List[Dict[str, str]]) -> None:
    """Each (conversation, customer) once, however often the slot was set."""
    new = {(p["conversation_id"], p["customer_id"]) for p in pairs}
    conversations = sorted({conversation for conversation, _ in new})
    table = CONVERSATION_CUSTOMERS.c
    for offset in range(0, len(conversations), _IN_CHUNK):
        chunk = conversations[offset:offset + _IN_CHUNK]
        query = sa.select(table.conversation_id, table.customer_id).where(table.conversation_id.in_(chunk))
        new -= {(row.conversation_id, row.customer_id) for row in connection.execute(query)}
    if new:
        connection.execute(CONVERSATION_CUSTOMERS.insert(),
                           [{"conversation_id": c, "customer_id": k} for c, k in sorted(new)])


def _store(connection: Connection, existing: Iterable[Conversation], new: Iterable[Conversation]) -> None:
    inserts = [state.row() for state in new]
    if inserts:
        connection.execute(CONVERSATIONS.insert(), inserts)
    updates = [{**state.row(), "key": state.conversation_id} for state in existing]
    if updates:
        columns = {name: sa.bindparam(name) for name in updates[0] if name not in ("conversation_id", "key")}
        connection.execute(
            CONVERSATIONS.update().where(CONVERSATIONS.c.conversation_id == sa.bindparam("key")).values(**columns),
            updates,
        )
