"""Production mode: PostgreSQL tracker store and Redis lock store, over HTTP."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontdoor.launcher import Services, assistant_specs
from tests.conftest import require_server
from tests.e2e.conftest import Bot, current_model, texts

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="module")
def production_bot(tmp_path_factory: pytest.TempPathFactory):
    require_server("PostgreSQL", "127.0.0.1", 5432)
    require_server("Redis", "127.0.0.1", 6379)
    env = {"TRACKER_URL": PG_URL, "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379"}
    group = Services(
        assistant_specs(current_model(), 15015, 15065, "endpoints.production.yml", extra_env=env),
        log_dir=Path(tmp_path_factory.mktemp("production")) / "logs",
    )
    with group:
        yield Bot(15015)


def test_conversation_is_stored_in_postgresql(production_bot: Bot):
    sender = f"pg-{uuid.uuid4().hex[:12]}"
    assert "virtual assistant" in texts(production_bot.say(sender, "hello"))
    assert texts(production_bot.say(sender, "are you a robot")).strip()
    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).scalars().all()
    finally:
        engine.dispose()
    assert rows.count("user") == 2
    assert "bot" in rows
