"""The embedded SQLite tracker store in WAL mode with ``synchronous=NORMAL`` and pooled connections.

Rasa's SQLTrackerStore commits every turn on the event loop's thread, and SQLite's defaults (a rollback
journal, ``synchronous=FULL``) fsync each commit: 22 ms of a 56 ms knowledge turn on this machine, during
which no other conversation moves (``make profile-turn``). SQLAlchemy 1.4 also opens and closes a connection
for every session on an SQLite file (``NullPool``), and closing the last one checkpoints the WAL: the store's
engine keeps its connections in a pool instead. In WAL mode with ``synchronous=NORMAL`` a committed
turn survives the process being killed; only an OS crash or a power cut can lose the last turns, and never
corrupts the file. Readers (the analytics ingestion) no longer wait for the writer either. Production mode
keeps the tracker in PostgreSQL (docs/deploy.md).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Dict

from rasa.core import tracker_store
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=30000")


def tune_connection(dbapi_connection: Any, _record: Any = None) -> None:
    """Applied to every new SQLite connection of the process; other databases are left alone."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


_rasa_engine_kwargs = tracker_store.create_engine_kwargs


def engine_kwargs(url: Any) -> Dict[str, Any]:
    """Rasa's ``create_engine`` arguments, plus a connection pool for an SQLite file."""
    kwargs = _rasa_engine_kwargs(url)
    if str(url).startswith("sqlite") and ":memory:" not in str(url):
        # Rasa's store is used from the event loop's thread and, for a handoff, from a worker thread: one at a time.
        kwargs.update(poolclass=QueuePool, pool_size=2, connect_args={"check_same_thread": False})
    return kwargs


def install() -> None:
    """For every engine this process creates, Rasa's tracker store's included."""
    if not event.contains(Engine, "connect", tune_connection):
        event.listen(Engine, "connect", tune_connection)
    tracker_store.create_engine_kwargs = engine_kwargs  # type: ignore[assignment]
