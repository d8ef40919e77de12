"""Messages in another language (marked by the channels' language step) on the action server's code path."""

from __future__ import annotations

import json
from typing import Any, Dict

from tests.actions.test_actions import recorded, recorded_cases, run, slot_sets


def in_language(name: str, text: str, detected: str) -> Dict[str, Any]:
    """A recorded tracker whose last message is ``text`` in ``detected``, as the language step passes it on."""
    tracker = recorded(name)
    metadata = {"language": {"detected": detected, "confidence": 0.9, "other_language": True}}
    intent = {"name": "out_of_scope", "confidence": 1.0}
    user = [e for e in tracker["events"] if e["event"] == "user"][-1]
    user.update(text=text, metadata=metadata, parse_data={"intent": intent, "entities": [], "text": text})
    tracker["latest_message"] = {"text": text, "intent": intent, "entities": [], "metadata": metadata}
    return tracker


async def test_a_french_speaker_is_offered_a_french_speaking_agent_in_french(executor, domain):
    result = await run(executor, domain, "action_out_of_scope",
                       in_language("fees_question", "Bonjour, je voudrais savoir où est mon transfert", "fr"))
    [offer] = result["responses"]
    assert "conseiller qui parle français" in offer["text"]
    assert [b["title"] for b in offer["buttons"]] == ["Oui", "Non"]
    assert slot_sets(result) == {"pending_question": "agent", "handoff_reason": "agent_requested",
                                 "handoff_category": None}


async def test_a_german_message_after_a_miss_gets_the_english_only_reply_not_a_handoff(executor, domain, app_db):
    result = await run(executor, domain, "action_out_of_scope",
                       in_language("unclear_twice", "Ich möchte meine Überweisung stornieren", "de"))
    assert [r["text"] for r in result["responses"]] == [
        "Sorry, I can only help in English. Our agents also speak French and Spanish."]
    assert result["events"] == [] and recorded_cases(app_db) == []


async def test_a_yes_after_the_offer_hands_off_with_the_case_in_spanish(executor, domain, app_db):
    tracker = in_language("fees_question", "Quiero hablar con alguien de mi transferencia", "es")
    tracker["events"].append({"event": "user", "text": "sí", "metadata": {"language": {"detected": None}},
                              "parse_data": {"intent": {"name": "affirm", "confidence": 1.0}, "entities": []}})
    tracker["latest_message"] = {"text": "sí", "intent": {"name": "affirm", "confidence": 1.0}, "entities": []}
    tracker["slots"].update(pending_question="agent", handoff_reason="agent_requested")
    result = await run(executor, domain, "action_accept_agent", tracker)
    assert result["responses"][0]["response"] == "utter_handoff_connecting"
    [case] = recorded_cases(app_db)
    assert case["handoff_reason"] == "agent_requested"
    assert json.loads(outbox_body(app_db, case["case_id"]))["language"] == "es"


def outbox_body(engine: Any, case_id: str) -> str:
    import sqlalchemy as sa

    from frontdoor.handoff.outbox import HANDOFF_OUTBOX

    with engine.connect() as connection:
        return str(connection.execute(sa.select(HANDOFF_OUTBOX.c.body).where(
            HANDOFF_OUTBOX.c.case_id == case_id)).scalar_one())
