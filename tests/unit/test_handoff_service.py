"""Handing off records exactly one case per key, with the reference and wait the customer is told."""

from __future__ import annotations

import json

import sqlalchemy as sa

from frontdoor.handoff.case import Customer
from frontdoor.handoff.outbox import HANDOFF_OUTBOX, list_outbox
from frontdoor.handoff.service import customer_from_slots, hand_off, hand_off_conversation

EVENTS = [
    {"event": "user", "text": "someone stole money from my account", "timestamp": 1_764_000_000.0,
     "parse_data": {"intent": {"name": "fraud_report", "confidence": 0.97}, "entities": []}},
    {"event": "action", "name": "action_hand_off", "timestamp": 1_764_000_001.0},
]


def test_a_handoff_is_recorded_once_per_key_with_its_priority_and_wait(db_engine) -> None:
    first = hand_off(db_engine, EVENTS, conversation_id="c-1", handoff_reason="handoff_topic", key="c-1#1")
    assert first.created and first.priority == "urgent" and first.wait_minutes == 2
    assert first.reference == "HO-" + first.case_id.replace("-", "")[:8].upper()
    again = hand_off(db_engine, EVENTS, conversation_id="c-1", handoff_reason="handoff_topic", key="c-1#1")
    assert (again.case_id, again.created) == (first.case_id, False)
    assert [row.case_id for row in list_outbox(db_engine)] == [first.case_id]
    other = hand_off(db_engine, EVENTS, conversation_id="c-1", handoff_reason="agent_requested", key="c-1#2",
                     customer=Customer("en.GB.1", True, "knowledge_check"))
    assert other.case_id != first.case_id and len(list_outbox(db_engine)) == 2


def test_the_reference_is_spoken_one_character_at_a_time(db_engine) -> None:
    handoff = hand_off(db_engine, EVENTS, conversation_id="c-2", handoff_reason="handoff_topic", key="c-2#1")
    spoken = handoff.spoken_reference.split(", ")
    assert spoken[:2] == ["H", "O"] and len(spoken) == 10
    assert all(len(part) == 1 or part in {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                          "nine"} for part in spoken)


def test_a_conversation_hands_off_once_per_user_turn_with_what_its_slots_know(db_engine) -> None:
    events = [
        *EVENTS,
        {"event": "slot", "name": "kb_context", "value": {"article_id": "scam-warning-signs"}},
        {"event": "slot", "name": "kb_context", "value": None},
    ]
    slots = {"verified": True, "verified_how": "authenticated_channel", "customer_id": "C000042",
             "transfer": {"reference": "ZS40318822", "status": "delivered"}}
    first = hand_off_conversation(db_engine, events, slots, conversation_id="c-3", handoff_reason="backend_error")
    again = hand_off_conversation(db_engine, events, slots, conversation_id="c-3", handoff_reason="backend_error")
    assert first.created and (again.case_id, again.created) == (first.case_id, False)
    [row] = list_outbox(db_engine)
    with db_engine.connect() as connection:
        case = json.loads(connection.execute(sa.select(HANDOFF_OUTBOX.c.body)).scalar_one())
    assert case["case_id"] == row.case_id and case["handoff_reason"] == "backend_error"
    assert case["customer"] == {"id": "C000042", "verified": True, "how": "authenticated_channel"}
    assert case["transfer"]["reference"] == "ZS40318822" and case["knowledge_shown"] == ["scam-warning-signs"]
    next_turn = [*events, {"event": "user", "text": "hello?", "parse_data": {"intent": {"name": "greet"}}}]
    later = hand_off_conversation(db_engine, next_turn, slots, conversation_id="c-3", handoff_reason="backend_error")
    assert later.created and later.case_id != first.case_id


def test_the_customer_from_the_slots() -> None:
    assert customer_from_slots({}) == Customer(None, False, "not_checked")
    assert customer_from_slots({"identity_failures": 3.0, "customer_id": "C1"}) == Customer("C1", False, "failed_check")
    assert customer_from_slots({"verified": True, "customer_id": "C1"}) == Customer("C1", True, "knowledge_check")
