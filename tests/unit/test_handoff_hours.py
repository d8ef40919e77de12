"""Business hours, queues and their waits, and callbacks outside phone hours (issue 16 part 3, handbook 21)."""

from __future__ import annotations

import json
from datetime import datetime, time, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontdoor.dialogue.handoff_turn import callback_declined_turn, callback_offer_turn, handoff_turn
from frontdoor.handoff import clock
from frontdoor.handoff.callback import Callback
from frontdoor.handoff.config import HandoffConfigError, load_config, parse_config
from frontdoor.handoff.hours import Hours, spoken_time
from frontdoor.handoff.outbox import HANDOFF_OUTBOX
from frontdoor.handoff.queues import Rule, choose_queue
from frontdoor.handoff.service import callback_to_offer, hand_off
from frontdoor.paths import ROOT
from frontdoor.queue.app import render_agent_view
from frontdoor.queue.store import StoredCase

CONFIG = load_config()
PHONES = CONFIG.hours["voice"]
NIGHT = datetime(2026, 12, 3, 23, 30, tzinfo=timezone.utc)
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "timestamp": 1_764_000_000.0,
            "parse_data": {"intent": {"name": intent, "confidence": 0.97}, "entities": []}}


HUMAN = [user("can I talk to a person", "request_human")]
FRAUD = [user("someone stole money from my account", "fraud_report")]


def test_the_config_holds_the_handbook_hours() -> None:
    assert (PHONES.time_zone, PHONES.opens, PHONES.closes) == ("Europe/London", time(8), time(22))
    assert CONFIG.hours["chat"].opens is None, "chat agents work 24/7"
    assert all(CONFIG.hours["chat"].is_open(datetime(2026, 12, 3, h, tzinfo=timezone.utc)) for h in range(24))


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ("2026-12-03T07:59:59Z", False),  # winter: UK time is UTC
        ("2026-12-03T08:00:00Z", True),
        ("2026-12-03T21:59:00Z", True),
        ("2026-12-03T22:00:00Z", False),
        ("2026-12-03T23:30:00Z", False),
        ("2026-07-01T06:59:00Z", False),  # summer: 07:59 BST
        ("2026-07-01T07:00:00Z", True),  # 08:00 BST
        ("2026-07-01T20:59:00Z", True),  # 21:59 BST
        ("2026-07-01T21:00:00Z", False),  # 22:00 BST
        ("2026-03-29T06:59:00Z", False),  # clocks go forward at 01:00 UTC: 07:59 BST
        ("2026-03-29T07:00:00Z", True),  # 08:00 BST on the change day
        ("2026-03-28T07:30:00Z", False),  # the day before: 07:30 GMT
        ("2026-10-25T07:30:00Z", False),  # clocks went back at 01:00 UTC: 07:30 GMT
        ("2026-10-25T08:00:00Z", True),
        ("2026-10-24T21:00:00Z", False),  # 22:00 BST the evening before
        ("2026-10-25T21:00:00Z", True),  # 21:00 GMT
    ],
)
def test_phone_hours_on_every_side_and_across_the_clock_changes(moment: str, open_: bool) -> None:
    assert PHONES.is_open(utc(moment)) is open_


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        ("2026-12-03T23:30:00Z", "2026-12-04T08:00:00Z"),  # late evening: tomorrow morning
        ("2026-12-04T03:00:00Z", "2026-12-04T08:00:00Z"),  # small hours: this morning
        ("2026-03-28T23:30:00Z", "2026-03-29T07:00:00Z"),  # the night the clocks go forward: 08:00 BST
        ("2026-10-24T21:30:00Z", "2026-10-25T08:00:00Z"),  # the night they go back: 08:00 GMT
        ("2026-12-03T12:00:00Z", "2026-12-03T12:00:00Z"),  # open: now
    ],
)
def test_the_next_opening_is_local_08_00(moment: str, opening: str) -> None:
    assert PHONES.next_opening(utc(moment)) == utc(opening)


def test_a_window_may_run_past_midnight_and_needs_an_aware_time() -> None:
    night_shift = Hours("Europe/London", "UK time", time(22), time(6))
    assert night_shift.is_open(utc("2026-12-03T23:00:00Z")) and night_shift.is_open(utc("2026-12-04T05:59:00Z"))
    assert not night_shift.is_open(utc("2026-12-04T06:00:00Z"))
    assert night_shift.next_opening(utc("2026-12-04T12:00:00Z")) == utc("2026-12-04T22:00:00Z")
    with pytest.raises(ValueError, match="aware"):
        PHONES.is_open(datetime(2026, 12, 3, 12))


def test_hours_are_said_for_chat_and_for_speech() -> None:
    assert PHONES.window() == "08:00 to 22:00 UK time"
    assert PHONES.window(spoken=True) == "8 am to 10 pm UK time"
    assert (PHONES.opening(), PHONES.opening(spoken=True)) == ("08:00 UK time", "8 am UK time")
    assert [spoken_time(time(h, m)) for h, m in ((0, 0), (12, 0), (8, 30), (23, 5))] == [
        "midnight", "noon", "8:30 am", "11:05 pm"]


def test_the_clock_is_the_system_clock_unless_fixed_for_a_test_or_demo() -> None:
    assert clock.now({"FRONTDOOR_CLOCK": "2026-12-03T23:30:00Z"}) == NIGHT
    assert clock.now({"FRONTDOOR_CLOCK": "2026-12-04T00:30:00+01:00"}) == NIGHT
    assert abs((clock.now({}) - datetime.now(timezone.utc)).total_seconds()) < 5
    with pytest.raises(ValueError, match="time zone"):
        clock.now({"FRONTDOOR_CLOCK": "2026-12-03T23:30:00"})


@pytest.mark.parametrize(
    ("category", "language", "queue"),
    [
        ("fraud_report", "en", "fraud"),
        ("fraud_report", "fr", "fraud"),  # the fraud team at once, in any language
        ("complaint", "en", "complaints"),
        ("complaint", "fr", "french"),
        ("request_human", "fr-CA", "french"),
        ("transfer_not_received", "es", "spanish"),
        ("request_human", "en", "general"),
        ("request_human", "de", "general"),  # no German skill: English first
    ],
)
def test_each_case_names_its_queue(category: str, language: str, queue: str) -> None:
    assert CONFIG.queue(category, language).name == queue


def test_the_first_matching_rule_wins() -> None:
    rules = [Rule("vip", category="complaint", language="es"), Rule("spanish", language="es"), Rule("general")]
    assert [choose_queue(rules, c, lang) for c, lang in (("complaint", "es"), ("fees", "es"), ("complaint", "en"))] \
        == ["vip", "spanish", "general"]


def test_waits_come_from_each_queues_configuration() -> None:
    general = CONFIG.queues["general"].wait_minutes
    assert CONFIG.expected_wait("general", "urgent") == general["urgent"] < general["high"] < general["normal"]
    assert CONFIG.expected_wait("fraud", "urgent") == CONFIG.queues["fraud"].wait_minutes["urgent"]
    assert CONFIG.expected_wait("complaints", "high") != CONFIG.expected_wait("french", "high")


def test_bad_hours_queues_and_routing_name_the_key(tmp_path: Path) -> None:
    path = tmp_path / "handoff.yml"
    real = (ROOT / "config" / "handoff.yml").read_text()
    cases = {
        "hours:\n  time_zone: Mars/Olympus\n  voice: always\n  chat: always\n": "Mars/Olympus",
        "hours:\n  time_zone: Europe/London\n  voice: {opens: '8am', closes: '22:00'}\n  chat: always\n":
            "hours.voice.opens",
        "hours:\n  time_zone: Europe/London\n  voice: always\n  chat: {opens: '08:00', closes: '22:00'}\n":
            "hours.chat must be `always`",
        "queues:\n  general: {wait_minutes: {urgent: 2}}\n": "queues.general.wait_minutes",
        "routing:\n  - {queue: nowhere}\n": r"routing\[0\]",
        "routing:\n  - {category: complaint, queue: complaints}\n": "catch-all",
    }
    for override, message in cases.items():
        path.write_text(real + "\n" + override)
        with pytest.raises(HandoffConfigError, match=message):
            parse_config(path)


def test_a_chat_handoff_at_night_waits_in_its_queue(db_engine) -> None:
    handoff = hand_off(db_engine, HUMAN, conversation_id="h-1", handoff_reason="handoff_topic", key="h-1#1",
                       now=NIGHT)
    assert (handoff.queue, handoff.callback) == ("general", None)
    assert handoff.wait_minutes == CONFIG.expected_wait("general", "normal")


def test_a_call_in_phone_hours_is_put_through_with_the_queues_wait(db_engine) -> None:
    handoff = hand_off(db_engine, FRAUD, conversation_id="h-2", handoff_reason="handoff_topic", key="h-2#1",
                       channel="voice", now=NOON)
    assert (handoff.queue, handoff.priority, handoff.callback) == ("fraud", "urgent", None)
    assert handoff.wait_minutes == CONFIG.expected_wait("fraud", "urgent")
    assert callback_to_offer(HUMAN, handoff_reason="handoff_topic", channel="voice", now=NOON) is None


def stored_case(db_engine, case_id: str) -> dict:
    with db_engine.connect() as connection:
        body = connection.execute(sa.select(HANDOFF_OUTBOX.c.body).where(HANDOFF_OUTBOX.c.case_id == case_id))
        return json.loads(body.scalar_one())


def test_a_call_at_night_is_offered_a_callback_and_the_case_carries_it(db_engine) -> None:
    offer = callback_to_offer(HUMAN, handoff_reason="handoff_topic", channel="voice", now=NIGHT)
    assert offer == Callback(urgent=False, not_before=utc("2026-12-04T08:00:00Z"))
    assert callback_to_offer(HUMAN, handoff_reason="handoff_topic", channel="chat", now=NIGHT) is None
    handoff = hand_off(db_engine, HUMAN, conversation_id="h-3", handoff_reason="handoff_topic", key="h-3#1",
                       channel="voice", now=NIGHT)
    assert handoff.callback == offer
    case = stored_case(db_engine, handoff.case_id)
    assert (case["queue"], case["callback"]) == ("general", {"urgent": False, "not_before": "2026-12-04T08:00:00.000Z"})
    assert any(f.startswith("Call the customer back from 2026-12-04T08:00") for f in case["summary"]["facts"])


def test_fraud_at_night_is_recorded_at_once_for_an_urgent_callback(db_engine) -> None:
    assert callback_to_offer(FRAUD, handoff_reason="handoff_topic", channel="voice", now=NIGHT) is None
    handoff = hand_off(db_engine, FRAUD, conversation_id="h-4", handoff_reason="handoff_topic", key="h-4#1",
                       channel="voice", now=NIGHT)
    assert handoff.callback == Callback(urgent=True, not_before=None)
    case = stored_case(db_engine, handoff.case_id)
    assert (case["queue"], case["priority"], case["callback"]) == ("fraud", "urgent",
                                                                   {"urgent": True, "not_before": None})
    turn = handoff_turn(handoff)
    assert turn.responses == ("utter_handoff_urgent_callback",) and turn.pause
    assert turn.payload == {"callback": True, "end_call": True, "case_reference": handoff.reference}


COMPLAINT = [user("i want to make a complaint about the service", "complaint")]


def test_a_case_with_substance_at_night_is_recorded_at_once_with_its_callback(db_engine) -> None:
    """Only a caller who just wants a person is asked first: a complaint or a late refund is never dropped."""
    assert callback_to_offer(COMPLAINT, handoff_reason="handoff_topic", channel="voice", now=NIGHT) is None
    assert callback_to_offer(HUMAN, handoff_reason="refund_overdue", channel="voice", category="refund_status",
                             now=NIGHT) is None
    assert callback_to_offer(HUMAN, handoff_reason="agent_requested", channel="voice", category="fees",
                             now=NIGHT) is not None
    handoff = hand_off(db_engine, COMPLAINT, conversation_id="h-7", handoff_reason="handoff_topic", key="h-7#1",
                       channel="voice", now=NIGHT)
    assert handoff.callback == Callback(urgent=False, not_before=utc("2026-12-04T08:00:00Z"))
    assert handoff_turn(handoff).responses == ("utter_handoff_complaint_callback",)


def test_the_language_picks_the_skill(db_engine) -> None:
    handoff = hand_off(db_engine, HUMAN, conversation_id="h-5", handoff_reason="handoff_topic", key="h-5#1",
                       language="es", now=NOON)
    assert handoff.queue == "spanish" and handoff.wait_minutes == CONFIG.expected_wait("spanish", "normal")
    assert stored_case(db_engine, handoff.case_id)["language"] == "es"


def test_the_callback_turns(db_engine) -> None:
    handoff = hand_off(db_engine, HUMAN, conversation_id="h-6", handoff_reason="handoff_topic", key="h-6#1",
                       channel="voice", now=NIGHT)
    booked = handoff_turn(handoff)
    assert booked.responses == ("utter_handoff_callback",) and booked.payload and booked.payload["end_call"]
    assert booked.variables["callback_from_spoken"] == "8 am UK time"
    offer = callback_offer_turn("handoff_topic", "request_human")
    assert offer.responses == ("utter_offer_callback",) and not offer.pause
    assert offer.slots == {"pending_question": "callback", "handoff_reason": "handoff_topic",
                           "handoff_category": "request_human"}
    assert offer.variables == {"phone_hours": "08:00 to 22:00 UK time", "phone_hours_spoken": "8 am to 10 pm UK time"}
    declined = callback_declined_turn()
    assert declined.responses == ("utter_callback_declined", "utter_anything_else")
    assert declined.slots["pending_question"] == "anything_else"


def test_the_agent_view_shows_the_queue_and_the_callback(db_engine) -> None:
    handoff = hand_off(db_engine, FRAUD, conversation_id="h-7", handoff_reason="handoff_topic", key="h-7#1",
                       channel="voice", now=NIGHT)
    page = render_agent_view([StoredCase(stored_case(db_engine, handoff.case_id), NIGHT, 1)])
    assert "queue fraud" in page and "Call back URGENTLY" in page
