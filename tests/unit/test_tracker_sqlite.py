"""The Rasa process's SQLite tracker store runs in WAL mode without an fsync per commit, and still keeps turns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rasa.core import tracker_store
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from frontdoor.rasa import tracker_sqlite


async def test_the_tracker_store_commits_in_wal_mode_and_keeps_every_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)
    tracker_sqlite.install()
    tracker_sqlite.install()  # idempotent: one listener
    try:
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
        assert isinstance(store.engine.pool, QueuePool)  # not a new connection (and a WAL checkpoint) per turn
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        tracker = DialogueStateTracker("someone", [])
        for n in range(3):
            tracker.update(UserUttered(f"message {n}"))
            await store.save(tracker)
        kept = await store.retrieve("someone")
        assert kept is not None and [e.text for e in kept.events if isinstance(e, UserUttered)] == [
            "message 0", "message 1", "message 2"]
        with sqlite3.connect(tmp_path / "tracker.db") as other:  # another process's reader sees the turns
            assert other.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 3
    finally:
        event.remove(Engine, "connect", tracker_sqlite.tune_connection)
