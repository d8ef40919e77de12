"""The action server dies mid-conversation: Rasa itself hands the turn off, exactly once, and keeps serving.

A Rasa server and action server of their own (the shared ones stay up for the
other tests), writing to the shared app database, so the shared handoff
worker delivers their cases to the shared reference queue.
"""

from __future__ import annotations

import json
import os
import signal
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest

from frontdoor.database import make_engine
from frontdoor.launcher import Services, assistant_specs
from tests.e2e.conftest import Bot, Queue, current_model, texts
from tests.e2e.test_identity_transfers import a_transfer, verify
from tests.socketio_client import WidgetSocket

RASA_PORT = int(os.environ.get("FRONTDOOR_TEST_DOWN_RASA_PORT", "15006"))
ACTIONS_PORT = int(os.environ.get("FRONTDOOR_TEST_DOWN_ACTIONS_PORT", "15056"))


class Backend:
    """This module's Rasa (``bot``) and the action server the tests kill."""

    def __init__(self, group: Services) -> None:
        self.group = group
        self.bot = Bot(RASA_PORT)

    def kill_actions(self) -> None:
        actions = self.group.processes[[s.name for s in self.group.specs].index("actions")]
        if actions.poll() is None:
            os.killpg(actions.pid, signal.SIGKILL)
            actions.wait()


@pytest.fixture(scope="module")
def backend(services: Services, tmp_path_factory: pytest.TempPathFactory):
    shared = next(spec.env for spec in services.specs if spec.name == "actions")
    tmp = Path(tmp_path_factory.mktemp("backend-down"))
    # The embedded default: no VOICE_WEBHOOK_SECRET, so unsigned call turns from loopback are served.
    env = {**{key: value for key, value in shared.items() if key != "ACTION_ENDPOINT_URL"}, "VOICE_WEBHOOK_SECRET": ""}
    env["TRACKER_URL"] = f"sqlite:///{tmp / 'tracker.db'}"
    group = Services(assistant_specs(current_model(), RASA_PORT, ACTIONS_PORT, extra_env=env), log_dir=tmp / "logs")
    with group:
        yield Backend(group)


@pytest.fixture()
def down(backend: Backend) -> Bot:
    backend.kill_actions()
    return backend.bot


def custom(replies: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [r["custom"] for r in replies if r.get("custom")]


def test_a_verified_customer_is_handed_off_once_when_the_action_server_dies(backend: Backend, queue: Queue,
                                                                            app_db: str):
    engine = make_engine(app_db)
    try:
        who = a_transfer(engine, "delivered", index=2)
    finally:
        engine.dispose()
    sender = f"down-{uuid.uuid4().hex[:12]}"
    assert who["reference"] in texts(verify(backend.bot, sender, who, f"where is my transfer {who['reference']}?"))
    backend.kill_actions()
    replies = backend.bot.say(sender, "ok and can you cancel it please")
    reply = texts(replies)
    assert "something went wrong on our side" in reply
    [flag] = custom(replies)
    assert flag["handoff"] is True
    assert f"Your case reference is {flag['case_reference']}" in reply and "about 5 minutes" in reply
    [case] = queue.cases_for(sender)
    assert (case["handoff_reason"], case["priority"], case["category"]) == ("backend_error", "high", "cancel_transfer")
    assert case["customer"] == {"id": who["customer_id"], "verified": True, "how": "knowledge_check"}
    assert case["transfer"]["reference"] == who["reference"]
    assert flag["case_reference"] == "HO-" + case["case_id"].replace("-", "")[:8].upper()
    assert backend.bot.say(sender, "hello? are you still there") == []
    events = [e["event"] for e in backend.bot.tracker(sender)["events"]]
    assert events.count("pause") == 1
    assert len(queue.cases_for(sender)) == 1


def test_a_caller_hears_the_reference_spelled_out_when_the_action_server_is_down(down: Bot, queue: Queue):
    sender = f"down-call-{uuid.uuid4().hex[:8]}"
    payload = {"sender": sender, "alternatives": [{"transcript": "I want to report a scam on my account",
                                                   "confidence": 0.9}]}
    status, raw = down.voice(json.dumps(payload).encode())
    assert status == 200, raw  # unsigned: this server has no VOICE_WEBHOOK_SECRET and the call is from loopback
    replies = json.loads(raw)
    spoken = " ".join(r["text"] for r in replies)
    assert "something went wrong on our side" in spoken and "your case reference is H, O," in spoken
    assert replies[-1]["handoff"] is True and all(r["ssml"].startswith("<speak>") for r in replies)
    [case] = queue.cases_for(sender)
    assert (case["channel"], case["handoff_reason"], case["category"], case["priority"]) == (
        "voice", "backend_error", "fraud_report", "urgent")
    assert case["customer"]["verified"] is False


async def test_a_widget_customer_is_handed_off_when_the_action_server_is_down(down: Bot, queue: Queue):
    async with WidgetSocket(down.base) as socket:
        session = await socket.session()
        replies = await socket.say(session, "I want to cancel my transfer")
    reply = " ".join(r.get("text", "") for r in replies)
    [flag] = custom(replies)
    assert "something went wrong on our side" in reply and f"Your case reference is {flag['case_reference']}" in reply
    [case] = queue.cases_for(session)
    assert (case["channel"], case["handoff_reason"]) == ("chat", "backend_error")


def test_without_a_voice_secret_rasa_warns_once_at_start_up(backend: Backend):
    assert (backend.group.log_dir / "rasa.log").read_text().count("frontdoor.voice.unsigned") == 1


def test_rasa_keeps_serving_with_the_action_server_down(down: Bot, queue: Queue):
    status, _ = down.request("GET", "/status")
    assert status == 200
    sender = f"down-{uuid.uuid4().hex[:12]}"
    assert "virtual assistant" in texts(down.say(sender, "hello"))
    assert queue.cases_for(sender, timeout=2) == []
