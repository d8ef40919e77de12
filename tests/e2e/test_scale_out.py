"""Scale out: concurrent messages of ONE conversation through HAProxy to two Rasa workers lose, duplicate or
reorder no event. Started as ``make run-production WORKERS=2`` starts it: ``python -m frontdoor.launcher
--production --workers 2``, on PostgreSQL and Redis."""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import sqlalchemy as sa

from frontdoor.launcher import HOST, Services, ServiceSpec
from tests.conftest import POSTGRES_URL, require_haproxy, require_server
from tests.e2e.conftest import Bot, current_model

PROXY_PORT, ACTIONS_PORT, QUEUE_PORT, WEB_PORT = 15705, 15755, 18701, 18702
"""HAProxy on 15705, workers on 15706-15707, their action servers on 15755-15756."""
WORKERS = 2
API_TOKEN = "e2e-scale-api-token"
BURST = [
    "hello", "hi", "hey", "good morning", "hi there", "hello there", "good afternoon", "good evening",
    "are you a bot", "are you a robot", "am I talking to a human", "is this a real person",
    "thanks", "thank you", "thanks a lot", "cheers",
]
"""Distinct texts, so each user event in the tracker names the request it came from; none leads to a handoff."""


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory, schema_url: str) -> Bot:
    require_server("Redis", "127.0.0.1", 6379)
    require_haproxy()
    tmp = Path(tmp_path_factory.mktemp("scale"))
    env = {
        "TRACKER_URL": POSTGRES_URL, "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379",
        "DATABASE_URL": schema_url, "QUEUE_DATABASE_URL": schema_url,
        "HANDOFF_WEBHOOK_URL": "",  # the launcher's own reference queue on QUEUE_PORT
        "VOICE_WEBHOOK_SECRET": "e2e-scale-voice-secret", "RASA_AUTH_TOKEN": API_TOKEN,
    }
    launcher = [sys.executable, "-m", "frontdoor.launcher", "--production", "--workers", str(WORKERS),
                "--model", str(current_model()), "--rasa-port", str(PROXY_PORT), "--actions-port", str(ACTIONS_PORT),
                "--queue-port", str(QUEUE_PORT), "--web-port", str(WEB_PORT),
                "--log-dir", str(tmp / "logs"), "--run-dir", str(tmp / "run")]
    # The web app starts last: once it answers, every worker and HAProxy do.
    group = Services([ServiceSpec("launcher", launcher, f"http://{HOST}:{WEB_PORT}/health", env)], tmp,
                     startup_timeout=900)
    with group:
        yield Bot(PROXY_PORT, api_token=API_TOKEN)


def say(sender: str, text: str) -> Tuple[str, List[str]]:
    """One REST turn through the proxy: the worker HAProxy chose (its response header) and the bot's texts."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"http://{HOST}:{PROXY_PORT}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=180) as response:
        return response.headers["X-Frontdoor-Worker"], [r.get("text") or "" for r in json.loads(response.read())]


def turns(events: List[Dict[str, Any]]) -> List[Tuple[str, List[str], str]]:
    """Per user event: its text, the bot texts until the next user event, and the last action before it."""
    found: List[Tuple[str, List[str], str]] = []
    for event in events:
        if event["event"] == "user":
            found.append((event["text"], [], ""))
        elif found and event["event"] == "bot":
            found[-1][1].append(event.get("text") or "")
        elif found and event["event"] == "action":
            found[-1] = (found[-1][0], found[-1][1], event["name"])
    return found


def test_a_burst_in_one_conversation_is_stored_once_each_turn_whole_and_in_order(proxy: Bot) -> None:
    sender = f"scale-{uuid.uuid4().hex[:12]}"
    with ThreadPoolExecutor(len(BURST)) as pool:  # all at once: both workers take turns of this conversation
        answered = dict(zip(BURST, pool.map(lambda text: say(sender, text), BURST), strict=True))
    assert {worker for worker, _ in answered.values()} == {"rasa-1", "rasa-2"}, "HAProxy used both workers"

    events = proxy.tracker(sender)["events"]
    stored = turns(events)
    assert Counter(text for text, _, _ in stored) == Counter(BURST), "every message exactly once, nothing else"
    for text, bot_texts, last_action in stored:
        assert bot_texts and bot_texts == answered[text][1], f"{text!r}: the bot replies the request got, in order"
        assert last_action == "action_listen", f"{text!r}: its turn ended before the next began"
    stamps = [event["timestamp"] for event in events]
    assert stamps == sorted(stamps), "events in the order they happened"

    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": sender}).all()
    finally:
        engine.dispose()
    assert len(rows) == len(events), "the tracker store holds exactly the events the API shows"
    assert [json.loads(data).get("text") for kind, data in rows if kind == "user"] == [t for t, _, _ in stored]
