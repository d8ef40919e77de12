"""Building a handoff case from Rasa-style events, and validating it against schemas/handoff.v1.json."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from typing import Any, Dict, List, Sequence

import jsonschema
import pytest

from frontdoor.handoff.case import (
    SCHEMA_PATH,
    CaseInvalid,
    Customer,
    build_case,
    case_body,
    case_reference,
    validate_case,
)

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)
ISSUE_FIELDS = {
    "case_id", "created_at", "conversation_id", "channel", "language", "category", "priority", "handoff_reason",
    "customer", "transfer", "summary", "knowledge_shown", "transcript",
    "queue", "callback",  # issue 16: routing and business hours
}  # fmt: skip


def user(text: str, intent: str, entities: Sequence[Dict[str, Any]] = ()) -> Dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "timestamp": 1764611000.0,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)},
        "metadata": {},
    }


def bot(text: str) -> Dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": 1764611001.0}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


FRAUD_EVENTS = [
    action("action_session_start"),
    {"event": "session_started"},
    action("action_listen"),
    user("hi", "greet"),
    action("utter_greet"),
    bot("Hi, I'm ZuriSend's virtual assistant. What can I help you with today?"),
    user(
        "Someone sent 250 pounds from my account to Kenya, transfer ZS40318822, I never made it. "
        "My card is 4539 1488 0343 6467",
        "fraud_report",
        [
            {"entity": "amount", "value": "250"},
            {"entity": "currency", "value": "GBP"},
            {"entity": "country", "value": "Kenya"},
            {"entity": "transfer_reference", "value": "ZS40318822"},
        ],
    ),
    slot("transfer_reference", "ZS40318822"),
    action("action_handle_reason"),
    bot("I'm sorry. I'm putting you through to our fraud team right away."),
    user("ok thanks", "thank"),
]


def fraud_case(**overrides: Any) -> Dict[str, Any]:
    arguments: Dict[str, Any] = {
        "conversation_id": "conv-1",
        "handoff_reason": "handoff_topic",
        "customer": Customer("C000123", True, "knowledge_check"),
        "knowledge_shown": ["scam-warning-signs"],
        "now": NOW,
    }
    arguments.update(overrides)
    return build_case(FRAUD_EVENTS, **arguments)


def test_schema_is_valid_2020_12_and_requires_exactly_the_issue_fields() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["required"]) == ISSUE_FIELDS == set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_fraud_case_is_classified_prioritised_and_about_the_transfer() -> None:
    case = fraud_case()
    assert case["category"] == "fraud_report"
    assert case["priority"] == "urgent"
    assert case["customer"] == {"id": "C000123", "verified": True, "how": "knowledge_check"}
    assert case["transfer"]["reference"] == "ZS40318822"
    assert (case["transfer"]["amount"], case["transfer"]["currency"], case["transfer"]["country"]) == (
        "250",
        "GBP",
        "Kenya",
    )
    assert case["created_at"] == "2026-12-01T18:00:00.000Z"
    assert case["knowledge_shown"] == ["scam-warning-signs"]
    validate_case(case)


def test_summary_is_built_from_facts_not_from_the_last_message() -> None:
    summary = fraud_case()["summary"]
    assert summary["headline"].startswith("Reporting fraud or a scam about transfer ZS40318822 (250 GBP to Kenya)")
    assert "verified" in summary["headline"]
    assert "ok thanks" not in summary["headline"]
    assert "Transfer: ZS40318822" in summary["facts"]
    assert "Contact reason: Reporting fraud or a scam" in summary["facts"]
    assert "Recognised the contact reason" in summary["bot_actions"]
    assert any(a.startswith("Said: Hi, I'm ZuriSend") for a in summary["bot_actions"])
    assert "Showed knowledge articles: scam-warning-signs" in summary["bot_actions"]
    assert summary["customer_quote"].startswith("Someone sent 250 pounds")
    assert summary["sentiment"] == "negative"


def test_quote_and_transcript_are_redacted() -> None:
    case = fraud_case()
    payload = case_body(case).decode()
    assert "4539" not in payload and "6467" not in payload
    assert "[card number]" in case["summary"]["customer_quote"]
    speakers = [turn["speaker"] for turn in case["transcript"]]
    assert speakers == ["customer", "bot", "customer", "bot", "customer"]
    assert case["transcript"][0]["at"] == "2025-12-01T17:43:20.000Z"


def test_an_answer_to_the_date_of_birth_question_is_masked_from_context() -> None:
    events = [
        user("I want to cancel a transfer", "cancel_transfer"),
        bot("I need to check it's you. What is your date of birth?"),
        user("the 4th of June", "inform"),
        bot("And your postcode?"),
        user("e c one a one b b", "inform"),
    ]
    case = build_case(events, conversation_id="c", handoff_reason="identity_check_failed", now=NOW)
    texts = [turn["text"] for turn in case["transcript"]]
    assert texts[2] == "the [date of birth]" and texts[4] == "[postcode]"
    assert case["customer"] == {"id": None, "verified": False, "how": "not_checked"}


def test_category_defaults_to_the_latest_topic_and_priority_follows_config() -> None:
    reference = {"entity": "transfer_reference", "value": "ZS12345678"}
    events = [user("how much are fees", "fees"), user("can I cancel ZS12345678", "cancel_transfer", [reference])]
    case = build_case(events, conversation_id="c", handoff_reason="not_helpful", now=NOW)
    assert case["category"] == "cancel_transfer"
    assert case["priority"] == "high"
    assert "Also asked about: Fees" in case["summary"]["facts"]
    assert case["transfer"]["reference"] == "ZS12345678"


def test_repeated_fallback_without_a_topic_goes_to_request_human() -> None:
    events = [user("blorp", "nlu_fallback"), bot("Sorry?"), user("zzzz qqq", "nlu_fallback")]
    case = build_case(events, conversation_id="c", handoff_reason="repeated_fallback", now=NOW)
    assert case["category"] == "request_human"
    assert case["priority"] == "normal"
    assert case["transfer"] is None
    assert "The bot did not understand 2 of 2 customer messages" in case["summary"]["facts"]


def test_a_new_session_starts_a_new_summary() -> None:
    events = [user("fraud on ZS11111111", "fraud_report"), {"event": "session_started"}, user("fees?", "fees")]
    case = build_case(events, conversation_id="c", handoff_reason="not_helpful", now=NOW)
    assert case["category"] == "fees"
    assert case["transfer"] is None
    assert [t["text"] for t in case["transcript"]] == ["fees?"]


def test_explicit_transfer_record_wins_over_mentions() -> None:
    transfer = {
        "reference": "ZS40318822",
        "status": "sent_to_partner",
        "amount": 1200.5,
        "currency": "gbp",
        "country": "Kenya",
        "method": "mobile money",
        "promised_by": datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc),
    }
    case = fraud_case(transfer=transfer, handoff_reason="overdue_transfer", category="transfer_not_received")
    assert case["transfer"] == {
        "reference": "ZS40318822",
        "status": "sent_to_partner",
        "amount": "1200.50",
        "currency": "GBP",
        "country": "Kenya",
        "method": "mobile_money",
        "promised_by": "2026-12-01T12:00:00.000Z",
    }
    assert case["priority"] == "high"
    assert "Customer mentioned amount: 250" in case["summary"]["facts"]


def test_an_amount_nlu_misread_is_left_out_rather_than_losing_the_case() -> None:
    """A date of birth tagged as an amount ("28/02/1984") must not make the case invalid."""
    events = [user("where is ZS40318822", "transfer_status", [{"entity": "transfer_reference", "value": "ZS40318822"}]),
              user("28/02/1984", "inform", [{"entity": "amount", "value": "28/02/1984"}])]
    case = build_case(events, conversation_id="c-amount", handoff_reason="backend_error", now=NOW)
    validate_case(case)
    assert case["transfer"]["reference"] == "ZS40318822" and case["transfer"]["amount"] is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category": "greet"}, "not a case category"),
        ({"category": "no_such_reason"}, "not a case category"),
        ({"handoff_reason": "bored"}, "handoff_reason"),
        ({"channel": "fax"}, "channel"),
        ({"transfer": {"reference": "ZS40318822", "status": "lost"}}, "transfer/status"),
        ({"transfer": {"reference": "12345"}}, "transfer"),
        ({"customer": Customer("C1", True, "failed_check")}, "customer/how"),
        ({"handoff_reason": "identity_check_failed"}, "unverified customer"),
        ({"knowledge_shown": ["Not An Id!"]}, "knowledge_shown/0"),
    ],
)
def test_invalid_inputs_raise_a_clear_error(overrides: Dict[str, Any], message: str) -> None:
    with pytest.raises(CaseInvalid, match=message):
        fraud_case(**overrides)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.pop("transcript"),
        lambda c: c.update(extra="field"),
        lambda c: c.update(priority="whenever"),
        lambda c: c.update(case_id="not-a-uuid"),
        lambda c: c.update(created_at="yesterday"),
        lambda c: c["summary"].pop("headline"),
        lambda c: c["transcript"].append({"speaker": "agent", "text": "hi", "at": None}),
    ],
)
def test_validate_case_rejects_broken_payloads(mutate: Any) -> None:
    case = copy.deepcopy(fraud_case())
    mutate(case)
    with pytest.raises(CaseInvalid, match="handoff.v1.json"):
        validate_case(case)


def test_body_is_deterministic_and_reference_is_short() -> None:
    case = fraud_case(case_id="1a2b3c4d-0000-4000-8000-000000000000")
    assert case_body(case) == case_body(json.loads(case_body(case)))
    assert case_reference(case["case_id"]) == "HO-1A2B3C4D"


@pytest.mark.parametrize(
    ("texts", "sentiment"),
    [
        (["how much is the fee to send 100 pounds to Ghana"], "neutral"),
        (["great, that was perfect, I just want to close my account"], "positive"),
        (["my account was hacked and someone stole my money"], "negative"),
        (["this is useless, it still has not arrived!!"], "negative"),
    ],
)
def test_sentiment_comes_from_what_the_customer_wrote(texts: List[str], sentiment: str) -> None:
    events = [user(text, "fees") for text in texts]
    case = build_case(events, conversation_id="c", handoff_reason="handoff_topic", now=NOW)
    assert case["summary"]["sentiment"] == sentiment
