"""Business hours and queues over HTTP (issue 16 part 3): a call at night is offered a callback, not a wait.

The shared servers stand at noon UK time (``IN_HOURS``); this module starts a
Rasa and an action server of its own at 23:30 UK time (``FRONTDOOR_CLOCK``),
writing to the shared app database, so the shared handoff worker delivers
their cases to the shared reference queue.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest

from frontdoor.handoff.config import load_config
from frontdoor.launcher import Services, assistant_specs
from tests.e2e.conftest import VOICE_SECRET, Bot, Queue, current_model, texts

RASA_PORT = int(os.environ.get("FRONTDOOR_TEST_NIGHT_RASA_PORT", "15007"))
ACTIONS_PORT = int(os.environ.get("FRONTDOOR_TEST_NIGHT_ACTIONS_PORT", "15057"))
NIGHT = "2026-12-03T23:30:00Z"
NEXT_OPENING = "2026-12-04T08:00:00.000Z"
HUMAN = "I want to speak to a human agent please"
FRAUD = "someone hacked my account and sent money i never authorised, it's fraud"
CONFIG = load_config()


@pytest.fixture(scope="module")
def night(services: Services, tmp_path_factory: pytest.TempPathFactory):
    shared = next(spec.env for spec in services.specs if spec.name == "actions")
    tmp = Path(tmp_path_factory.mktemp("night"))
    env = {key: value for key, value in shared.items() if key != "ACTION_ENDPOINT_URL"}
    env.update(FRONTDOOR_CLOCK=NIGHT, TRACKER_URL=f"sqlite:///{tmp / 'tracker.db'}")
    group = Services(assistant_specs(current_model(), RASA_PORT, ACTIONS_PORT, extra_env=env), log_dir=tmp / "logs")
    with group:
        yield Bot(RASA_PORT, voice_secret=VOICE_SECRET)


def call_id() -> str:
    return f"hours-{uuid.uuid4().hex[:12]}"


def call(bot: Bot, sender: str, transcript: str) -> List[Dict[str, Any]]:
    body = json.dumps({"sender": sender, "alternatives": [{"transcript": transcript, "confidence": 0.9}]}).encode()
    status, raw = bot.voice(body)
    assert status == 200, raw
    return json.loads(raw)


def test_a_call_at_night_is_offered_a_callback_and_a_yes_records_the_case_for_it(night: Bot, queue: Queue):
    sender = call_id()
    offer = call(night, sender, HUMAN)
    said = texts(offer)
    assert "Our phone agents are available from 8 am to 10 pm UK time" in said, said
    assert "chat with an agent 24 hours a day, 7 days a week" in said and "Would you like a callback?" in said
    assert not any(r["handoff"] or r["end_call"] for r in offer), "nothing recorded, the call goes on"
    assert night.tracker(sender)["slots"]["pending_question"] == "callback"
    booked = call(night, sender, "yes please")
    assert "An agent will call you back from 8 am UK time" in texts(booked), texts(booked)
    assert booked[-1]["end_call"] and not any(r["handoff"] for r in booked), "no agent to queue for: hang up"
    [case] = queue.cases_for(sender)
    assert (case["channel"], case["queue"], case["category"]) == ("voice", "general", "request_human")
    assert case["callback"] == {"urgent": False, "not_before": NEXT_OPENING}
    assert night.tracker(sender)["paused"]


def test_fraud_at_night_goes_to_the_fraud_team_at_once_for_an_urgent_callback(night: Bot, queue: Queue):
    sender = call_id()
    replies = call(night, sender, FRAUD)
    assert "the fraud team will call you back urgently" in texts(replies), texts(replies)
    [case] = queue.cases_for(sender)
    assert (case["queue"], case["priority"], case["callback"]) == ("fraud", "urgent",
                                                                   {"urgent": True, "not_before": None})


def test_a_complaint_at_night_is_logged_at_once_with_its_timeline_and_a_callback(night: Bot, queue: Queue):
    """Not asked first: what the customer came to do (complain) is recorded even with the lines closed."""
    sender = call_id()
    replies = call(night, sender, "i want to make a complaint about how my transfer was handled")
    said = texts(replies)
    assert "I've logged your complaint" in said and "fifteen business days" in said, said
    assert "call you back from 8 am UK time" in said and replies[-1]["end_call"], said
    [case] = queue.cases_for(sender)
    assert (case["queue"], case["category"]) == ("complaints", "complaint")
    assert case["callback"] == {"urgent": False, "not_before": NEXT_OPENING}


def test_a_no_to_the_callback_records_nothing_and_points_to_chat(night: Bot, queue: Queue):
    sender = call_id()
    call(night, sender, HUMAN)
    replies = call(night, sender, "no thanks")
    said = texts(replies)
    assert "chat with an agent any time" in said and "8 am to 10 pm UK time" in said, said
    assert night.tracker(sender)["slots"]["pending_question"] == "anything_else"
    assert queue.cases_for(sender, timeout=3) == []


def test_chat_at_night_still_waits_in_its_queue(night: Bot, queue: Queue):
    sender = call_id()
    replies = night.say(sender, HUMAN)
    wait = CONFIG.expected_wait("general", "normal")
    assert f"the expected wait is about {wait} minutes" in texts(replies), texts(replies)
    [case] = queue.cases_for(sender)
    assert (case["channel"], case["queue"], case["callback"]) == ("chat", "general", None)


@pytest.mark.parametrize(("message", "queue_name", "priority"),
                         [(HUMAN, "general", "normal"), (FRAUD, "fraud", "urgent")])
def test_a_call_in_phone_hours_is_put_through_with_its_queues_wait(bot: Bot, queue: Queue, message: str,
                                                                   queue_name: str, priority: str):
    sender = call_id()
    replies = call(bot, sender, message)
    wait = CONFIG.expected_wait(queue_name, priority)
    assert f"The wait is about {wait} minutes" in texts(replies), texts(replies)
    assert any(r["handoff"] for r in replies)
    [case] = queue.cases_for(sender)
    assert (case["queue"], case["priority"], case["callback"]) == (queue_name, priority, None)
