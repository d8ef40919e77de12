"""Production mode: PostgreSQL tracker store and app database, Redis lock store, API token and signed voice turns,
over HTTP."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontdoor.launcher import Services, assistant_specs, handoff_specs
from tests.conftest import POSTGRES_URL, require_server
from tests.e2e.conftest import TOKEN_SECRET, VOICE_PATH, Bot, Queue, current_model, texts
from tests.e2e.test_identity_transfers import a_transfer, verify

QUEUE_PORT = 18011
RASA_PORT = 15015
API_TOKEN = "e2e-production-api-token"
VOICE_SECRET = "e2e-production-voice-secret"


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory, schema_url: str):
    require_server("Redis", "127.0.0.1", 6379)
    env = {
        "TRACKER_URL": POSTGRES_URL,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "DATABASE_URL": schema_url,
        "QUEUE_DATABASE_URL": schema_url,
        "HANDOFF_WEBHOOK_URL": f"http://127.0.0.1:{QUEUE_PORT}/cases",
        "HANDOFF_POLL_SECONDS": "0.2",
        "CUSTOMER_TOKEN_SECRET": TOKEN_SECRET,
        "VOICE_WEBHOOK_SECRET": VOICE_SECRET,
        "RASA_AUTH_TOKEN": API_TOKEN,
    }
    group = Services(
        handoff_specs(QUEUE_PORT, env)
        + assistant_specs(current_model(), RASA_PORT, 15065, extra_env=env, production=True),
        log_dir=Path(tmp_path_factory.mktemp("production")) / "logs",
    )
    with group:
        yield Bot(RASA_PORT, api_token=API_TOKEN, voice_secret=VOICE_SECRET), Queue(QUEUE_PORT)


@pytest.fixture(scope="module")
def pg_app(schema_url: str):
    engine = sa.create_engine(schema_url)
    yield engine
    engine.dispose()


def test_conversation_is_stored_in_postgresql(production):
    bot, _ = production
    sender = f"pg-{uuid.uuid4().hex[:12]}"
    assert "virtual assistant" in texts(bot.say(sender, "hello"))
    assert texts(bot.say(sender, "are you a robot")).strip()
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).scalars().all()
    finally:
        engine.dispose()
    assert rows.count("user") == 2
    assert "bot" in rows


def test_verified_cancel_updates_the_postgresql_app_database(production, pg_app):
    bot, _ = production
    who = a_transfer(pg_app, "in_review")
    sender = f"pg-{uuid.uuid4().hex[:12]}"
    assert "Do you want me to cancel" in texts(verify(bot, sender, who, f"cancel my transfer {who['reference']}"))
    assert "cancelled free of charge" in texts(bot.say(sender, "yes"))
    with pg_app.connect() as connection:
        status = connection.execute(sa.text("SELECT status FROM transfers WHERE reference = :r"),
                                    {"r": who["reference"]}).scalar_one()
    assert status == "cancelled"


def test_a_handoff_on_postgresql_reaches_the_queue_once(production, pg_app):
    bot, queue = production
    sender = f"pg-{uuid.uuid4().hex[:12]}"
    assert "HO-" in texts(bot.say(sender, "I want to report fraud on my account"))
    [case] = queue.cases_for(sender)
    assert (case["category"], case["priority"]) == ("fraud_report", "urgent")


@pytest.mark.parametrize("path", ["/conversations/{sender}/tracker", "/status"])
def test_rasa_api_needs_the_token(production, path: str):
    bot, _ = production
    sender = f"pg-{uuid.uuid4().hex[:12]}"
    assert texts(bot.say(sender, "hello")).strip()
    anonymous = Bot(RASA_PORT)
    assert anonymous.request("GET", path.format(sender=sender))[0] == 401
    assert Bot(RASA_PORT, api_token="wrong").request("GET", path.format(sender=sender))[0] == 401
    assert bot.request("GET", path.format(sender=sender))[0] == 200
    body = json.dumps({"text": "where is my money"}).encode()
    assert anonymous.request("POST", "/model/parse", body)[0] == 401
    status, parsed = bot.request("POST", "/model/parse", body)
    assert status == 200 and json.loads(parsed)["text"] == "where is my money"


def test_voice_turns_must_be_signed(production):
    bot, _ = production
    sender = f"pg-call-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"sender": sender, "alternatives": [{"transcript": "hello", "confidence": 0.9}]}).encode()
    status, raw = bot.request("POST", VOICE_PATH, body)
    assert status == 401 and "missing X-Frontdoor-Signature" in json.loads(raw)["error"]
    status, raw = bot.voice(body)
    assert status == 200 and "virtual assistant" in " ".join(r["text"] for r in json.loads(raw))


@pytest.mark.parametrize("kind", ["wrong_year", "postcode_district", "relative"])
def test_an_informed_impostor_fails_on_postgresql_too(production, pg_app, kind: str):
    from tests.e2e.test_impostors import attempt

    bot, _ = production
    said, secrets = attempt(bot, pg_app, kind, 40 + ["wrong_year", "postcode_district", "relative"].index(kind))
    assert "You're verified" not in said and "verified." not in said
    for secret in secrets:
        assert secret not in said, (kind, secret)


def test_three_failures_lock_the_profile_across_conversations_on_postgresql(production, pg_app):
    bot, queue = production
    who = a_transfer(pg_app, "delivered", index=-3)
    wrong = {**who, "dob": who["dob"].replace(year=who["dob"].year - 1)}  # the right day, a year off
    for _ in range(3):  # three conversations, one failed attempt each
        sender = f"pg-lock-{uuid.uuid4().hex[:8]}"
        reply = texts(verify(bot, sender, wrong, f"where is {who['reference']}"))
        assert "don't match" in reply or "wasn't able to verify" in reply, reply
    locked = f"pg-lock-{uuid.uuid4().hex[:8]}"
    reply = texts(verify(bot, locked, who, f"where is {who['reference']}"))  # now even the right details
    assert "verified" not in reply.replace("wasn't able to verify", "")
    with pg_app.connect() as connection:
        locks = connection.execute(sa.text("SELECT count(*) FROM lockouts WHERE customer_id = :c"),
                                   {"c": who["customer_id"]}).scalar_one()
    assert locks == 1
