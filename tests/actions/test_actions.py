"""Actions run on trackers recorded from real conversations (tests/actions/record.py).

The executor is rasa_sdk's own, so this is the action server's code path
without the HTTP hop; the e2e tests cover the hop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Union

import pytest
from rasa_sdk.executor import ActionExecutor

TRACKERS = Path(__file__).parent / "trackers"


def recorded(name: str) -> Dict[str, Any]:
    return json.loads((TRACKERS / f"{name}.json").read_text())


async def run(
    executor: ActionExecutor, domain: Dict[str, Any], action: str, tracker: Union[str, Dict[str, Any]]
) -> Dict[str, Any]:
    state = recorded(tracker) if isinstance(tracker, str) else tracker
    payload = {
        "next_action": action,
        "sender_id": state["sender_id"],
        "tracker": state,
        "domain": domain,
        "version": "3.6.2",
    }
    result = await executor.run(payload)
    assert result is not None
    return result


def slot_sets(result: Dict[str, Any]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in result["events"] if e["event"] == "slot"}


async def test_a_fees_question_is_answered_from_the_knowledge_base_with_its_source(executor, domain):
    result = await run(executor, domain, "action_answer_question", "fees_question")
    answer, ask = result["responses"]
    assert answer["text"].startswith("Sending 300 GBP costs 1.99 GBP.")
    assert answer["text"].endswith("_Source: Transfer fees by amount_")
    assert ask["response"] == "utter_kb_ask_helpful"
    slots = slot_sets(result)
    assert slots["pending_question"] == "kb_helpful"
    assert slots["kb_context"]["article_id"] == "fees-by-amount"


def with_intent(name: str, intent: str, **slots: Any) -> Dict[str, Any]:
    tracker = recorded(name)
    tracker["latest_message"]["intent"] = {"name": intent, "confidence": 1.0}
    tracker["slots"].update(slots)
    return tracker


async def test_a_verified_reason_starts_the_identity_check(executor, domain, app_db):
    result = await run(executor, domain, "action_handle_reason", with_intent("fees_question", "cancel_transfer"))
    assert [r["response"] for r in result["responses"]] == ["utter_identity_intro"]
    assert slot_sets(result)["requested_reason"] == "cancel_transfer"
    assert {"event": "followup", "name": "identity_form"}.items() <= next(
        e for e in result["events"] if e["event"] == "followup").items()


async def test_yes_to_did_it_help_is_stored_per_article_and_conversation(executor, domain, tmp_path, monkeypatch):
    import sqlalchemy as sa

    from frontdoor.database import get_engine
    from frontdoor.knowledge.feedback import FEEDBACK

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    tracker = with_intent("fees_question", "affirm", pending_question="kb_helpful",
                          kb_context={"article_id": "fees-by-amount", "slots": {}, "confidence": 0.9})
    result = await run(executor, domain, "action_answer_helped", tracker)
    assert [r["response"] for r in result["responses"]] == ["utter_kb_glad_it_helped"]
    assert slot_sets(result)["pending_question"] == "anything_else"
    with get_engine().connect() as connection:
        rows = connection.execute(sa.select(FEEDBACK.c.conversation_id, FEEDBACK.c.article_id,
                                            FEEDBACK.c.helpful, FEEDBACK.c.channel)).all()
    assert [tuple(r) for r in rows] == [(tracker["sender_id"], "fees-by-amount", True, "chat")]


def recorded_cases(engine):
    import sqlalchemy as sa

    from frontdoor.handoff.outbox import HANDOFF_CASES

    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(HANDOFF_CASES))]


async def test_a_handoff_reason_records_one_case_and_pauses(executor, domain, app_db):
    result = await run(executor, domain, "action_handle_reason", "request_human")
    connecting, custom = result["responses"]
    assert connecting["response"] == "utter_handoff_connecting"
    assert connecting["reference"].startswith("HO-") and connecting["wait"] == "15"
    assert custom["custom"] == {"handoff": True, "case_reference": connecting["reference"]}
    assert any(e["event"] == "pause" for e in result["events"])
    [case] = recorded_cases(app_db)
    assert (case["category"], case["priority"], case["handoff_reason"]) == ("request_human", "normal", "handoff_topic")
    again = await run(executor, domain, "action_handle_reason", "request_human")
    assert again["responses"][0]["reference"] == connecting["reference"]
    assert len(recorded_cases(app_db)) == 1


async def test_first_fallback_offers_the_two_likeliest_topics(executor, domain):
    tracker = json.loads((TRACKERS / "unclear_once.json").read_text())
    assert tracker["latest_message"]["intent"]["name"] == "nlu_fallback"
    result = await run(executor, domain, "action_clarify_topics", "unclear_once")
    [response] = result["responses"]
    assert response["response"] == "utter_clarify_topics"
    ranked = [e["name"] for e in tracker["latest_message"]["intent_ranking"]
              if e["name"] not in ("nlu_fallback", "greet", "goodbye", "affirm", "deny", "thank",
                                   "bot_challenge", "inform", "out_of_scope")]
    assert [response["intent_a"], response["intent_b"]] == ranked[:2]
    assert response["topic_a"] and response["topic_b"]
    assert slot_sets(result) == {"pending_question": "topics"}


async def test_a_fallback_naming_a_country_and_method_is_looked_up(executor, domain):
    tracker = json.loads((TRACKERS / "unclear_once.json").read_text())
    text = "I want to send tanzanian shillings to a bank account in dar es salaam"
    tracker["latest_message"]["text"] = text
    [e for e in tracker["events"] if e["event"] == "user"][-1]["text"] = text
    result = await run(executor, domain, "action_clarify_topics", tracker)
    assert "Tanzania" in result["responses"][0]["text"], result["responses"]


async def test_a_fallback_with_a_transfer_reference_is_the_customers_own_transfer(executor, domain, app_db):
    """ "where is ZS12345678", NLU unsure: the status of that transfer, after the identity check."""
    tracker = json.loads((TRACKERS / "unclear_once.json").read_text())
    tracker["latest_message"]["text"] = "where is ZS12345678"
    tracker["latest_message"]["entities"] = [{"entity": "transfer_reference", "value": "ZS12345678",
                                              "start": 9, "end": 19}]
    [e for e in tracker["events"] if e["event"] == "user"][-1]["text"] = "where is ZS12345678"
    result = await run(executor, domain, "action_clarify_topics", tracker)
    assert [r["response"] for r in result["responses"]] == ["utter_identity_intro"]
    assert slot_sets(result)["requested_reason"] == "transfer_status"
    assert slot_sets(result)["transfer_reference"] == "ZS12345678"


async def test_second_fallback_in_a_row_hands_off(executor, domain, app_db):
    result = await run(executor, domain, "action_clarify_topics", "unclear_twice")
    assert [r.get("response") for r in result["responses"]][:2] == ["utter_still_not_understood",
                                                                    "utter_handoff_connecting"]
    [case] = recorded_cases(app_db)
    assert case["handoff_reason"] == "repeated_fallback"


async def test_empty_message_is_asked_again(executor, domain):
    result = await run(executor, domain, "action_clarify_topics", "empty_message")
    assert [r["response"] for r in result["responses"]] == ["utter_empty_message"]


async def test_yes_to_a_pending_agent_offer_hands_off_with_the_offers_reason(executor, domain, app_db):
    tracker = with_intent("fees_question", "affirm", pending_question="agent", handoff_reason="not_helpful")
    result = await run(executor, domain, "action_accept_agent", tracker)
    assert result["responses"][0]["response"] == "utter_handoff_connecting"
    assert slot_sets(result)["pending_question"] is None
    [case] = recorded_cases(app_db)
    assert (case["category"], case["handoff_reason"]) == ("fees", "not_helpful")


async def test_a_no_that_takes_leave_closes_instead_of_offering_an_agent(executor, domain, app_db):
    tracker = with_intent("fees_question", "deny", pending_question="kb_helpful",
                          kb_context={"article_id": "fees-by-amount", "slots": {}, "confidence": 0.9})
    tracker["latest_message"]["text"] = "no thanks, that's everything"
    result = await run(executor, domain, "action_answer_did_not_help", tracker)
    assert [r["response"] for r in result["responses"]] == ["utter_ask_csat"]
    tracker["latest_message"]["text"] = "no, that's not what I asked"
    result = await run(executor, domain, "action_answer_did_not_help", tracker)
    assert [r["response"] for r in result["responses"]] == ["utter_kb_not_helpful"]
    assert slot_sets(result)["pending_question"] == "agent"


def declined_check(question: str, refusal: str, reason: str) -> Dict[str, Any]:
    """A recorded tracker where ``question`` opened the identity check and ``refusal`` declined it."""
    tracker = recorded("fees_question")
    tracker["events"] += [
        {"event": "user", "text": question, "parse_data": {}},
        {"event": "active_loop", "name": "identity_form"},
        {"event": "user", "text": refusal, "parse_data": {}},
    ]
    tracker["latest_message"] = {"text": refusal, "intent": {"name": "deny", "confidence": 0.9}, "entities": []}
    tracker["slots"].update(identity_outcome="refused", requested_reason=reason)
    return tracker


async def test_a_declined_check_answers_the_question_that_led_to_it(executor, domain):
    tracker = declined_check("how long do refunds take if I paid by card?", "I'm only asking in general",
                             "refund_status")
    result = await run(executor, domain, "action_transfer_request", tracker)
    texts = [r.get("response") or r.get("text") for r in result["responses"]]
    assert texts[0] == "utter_identity_refused"
    assert any("3 to 5 business days" in (t or "") for t in texts), texts
    assert slot_sets(result)["pending_question"] == "kb_helpful"


async def test_a_declined_check_on_a_question_with_no_general_answer_does_not_apologise(executor, domain):
    tracker = declined_check("Any update on ZS26742930?", "not comfortable sharing those details, sorry",
                             "transfer_status")
    result = await run(executor, domain, "action_transfer_request", tracker)
    responses = [r.get("response") for r in result["responses"]]
    assert responses[0] == "utter_identity_refused" and "utter_kb_decline" not in responses, responses


def as_out_of_scope(name: str, **slots: Any) -> Dict[str, Any]:
    """A recorded tracker whose last message was read as out of scope."""
    tracker = recorded(name)
    intent = {"name": "out_of_scope", "confidence": 0.6}
    tracker["latest_message"]["intent"] = intent
    [e for e in tracker["events"] if e["event"] == "user"][-1]["parse_data"]["intent"] = intent
    tracker["slots"].update(slots)
    return tracker


async def test_an_off_topic_message_gets_the_out_of_scope_reply(executor, domain):
    result = await run(executor, domain, "action_out_of_scope", as_out_of_scope("unclear_once", pending_question=None))
    assert [r["response"] for r in result["responses"]] == ["utter_out_of_scope"]
    assert result["events"] == []


@pytest.mark.parametrize(("text", "confidence", "response"), [
    ("um can i use zuri send if i live in canada", 0.52, None),  # looked up: answered from the articles
    ("can i take money out of a cash machine abroad with zuri send", 0.6, "utter_kb_decline"),  # looked up
    ("can a 16 year old use ZuriSend?", 0.95, "utter_out_of_scope"),  # NLU is sure: no lookup
])  # fmt: skip
async def test_an_out_of_scope_question_nlu_is_unsure_of_is_looked_up(executor, domain, text, confidence, response):
    tracker = as_out_of_scope("unclear_once", pending_question=None)
    tracker["latest_message"]["text"] = text
    tracker["latest_message"]["intent"]["confidence"] = confidence
    [e for e in tracker["events"] if e["event"] == "user"][-1]["text"] = text
    result = await run(executor, domain, "action_out_of_scope", tracker)
    first = result["responses"][0]
    if response is None:
        assert "You can send from Canada" in first["text"], first
    else:
        assert first.get("response") == response, first


async def test_an_off_topic_reply_to_did_you_mean_is_the_second_miss(executor, domain, app_db):
    result = await run(executor, domain, "action_out_of_scope", as_out_of_scope("unclear_twice"))
    assert [r.get("response") for r in result["responses"]][:2] == ["utter_still_not_understood",
                                                                    "utter_handoff_connecting"]
    [case] = recorded_cases(app_db)
    assert case["handoff_reason"] == "repeated_fallback"


async def test_a_rating_read_as_out_of_scope_is_still_recorded(executor, domain, app_db):
    import sqlalchemy as sa

    from frontdoor.analytics.csat import CSAT

    tracker = as_out_of_scope("unclear_once", pending_question="csat")
    tracker["latest_message"]["text"] = "i'd give it a four"
    result = await run(executor, domain, "action_out_of_scope", tracker)
    assert [r["response"] for r in result["responses"]] == ["utter_csat_thanks", "utter_goodbye"]
    with app_db.connect() as connection:
        [rating] = connection.execute(sa.select(CSAT.c.rating)).scalars().all()
    assert rating == 4


@pytest.mark.parametrize(("channel", "reference"), [("rest", None), ("voice", "ZS40318822")])
async def test_speech_alternatives_count_only_on_the_voice_channel(executor, domain, app_db, channel, reference):
    from frontdoor.database import create_schema

    create_schema(app_db)
    tracker = with_intent("fees_question", "cancel_transfer")
    tracker["latest_message"]["text"] = "cancel my transfer"
    tracker["latest_message"]["metadata"] = {"alternatives": [{"transcript": "cancel my transfer ZS40318822"}]}
    tracker["latest_input_channel"] = channel
    for event in tracker["events"]:
        if event["event"] == "user":
            event["input_channel"] = channel
    result = await run(executor, domain, "action_handle_reason", tracker)
    assert slot_sets(result).get("transfer_reference") == reference
