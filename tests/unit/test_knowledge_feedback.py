"""Feedback votes on SQLite and PostgreSQL, each run in its own table so runs never collide."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.knowledge.feedback import (
    HelpfulCount,
    create_schema,
    feedback_table,
    helpful_counts,
    not_helpful_count,
    record_feedback,
    said_not_helpful_twice,
)
from tests.conftest import require_server

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _exercise(engine: Engine, table: sa.Table) -> None:
    create_schema(engine, table)
    create_schema(engine, table)  # idempotent
    record_feedback(engine, "c1", "fees-by-amount", True, "chat", table=table)
    record_feedback(engine, "c1", "fees-by-amount", False, "chat", table=table)
    record_feedback(engine, "c2", "fees-by-amount", False, "voice", table=table)
    record_feedback(engine, "c2", "refund-times", True, "voice", table=table)
    assert not said_not_helpful_twice(engine, "c1", table=table)
    record_feedback(
        engine,
        "c1",
        "refund-times",
        False,
        "chat",
        table=table,
        created_at=datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc),
    )

    assert helpful_counts(engine, table=table) == {
        "fees-by-amount": HelpfulCount(helpful=1, not_helpful=2),
        "refund-times": HelpfulCount(helpful=1, not_helpful=1),
    }
    assert helpful_counts(engine, "refund-times", table=table) == {"refund-times": HelpfulCount(1, 1)}
    assert helpful_counts(engine, "never-voted", table=table) == {}
    assert not_helpful_count(engine, "c1", table=table) == 2
    assert said_not_helpful_twice(engine, "c1", table=table)
    assert not said_not_helpful_twice(engine, "c2", table=table)
    assert not said_not_helpful_twice(engine, "unknown", table=table)
    with engine.connect() as connection:
        stamps = [row.created_at for row in connection.execute(sa.select(table.c.created_at))]
    assert len(stamps) == 5 and all(isinstance(s, datetime) for s in stamps)


def test_sqlite(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'feedback.db'}", future=True)
    try:
        _exercise(engine, feedback_table())
    finally:
        engine.dispose()


def test_bad_votes_are_refused(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'feedback.db'}", future=True)
    table = feedback_table()
    create_schema(engine, table)
    with pytest.raises(ValueError, match="channel"):
        record_feedback(engine, "c1", "fees-by-amount", True, "email", table=table)
    with pytest.raises(ValueError, match="required"):
        record_feedback(engine, "", "fees-by-amount", True, "chat", table=table)
    engine.dispose()


@pytest.fixture()
def postgres() -> Iterator[Engine]:
    require_server("PostgreSQL", "127.0.0.1", 5432)
    engine = sa.create_engine(POSTGRES_URL, future=True)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_in_a_private_schema(postgres: Engine) -> None:
    schema = f"kb_test_{uuid.uuid4().hex[:12]}"
    with postgres.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        _exercise(postgres, feedback_table(schema=schema))
    finally:
        with postgres.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
