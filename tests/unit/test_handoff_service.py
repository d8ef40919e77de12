"""Handing off records exactly one case per key, with the reference and wait the customer is told."""

from __future__ import annotations

from frontdoor.handoff.case import Customer
from frontdoor.handoff.outbox import list_outbox
from frontdoor.handoff.service import hand_off

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
