"""Handoff over HTTP: every trigger lands exactly one case in the reference queue, and the bot pauses until resumed."""

from __future__ import annotations

import json
import uuid
from typing import Any, Dict, List

import pytest

from tests.e2e.conftest import Bot, Queue, texts


def new_sender() -> str:
    return f"ho-{uuid.uuid4().hex[:12]}"


def reference_of(replies: List[Dict[str, Any]]) -> str:
    [custom] = [r["custom"] for r in replies if r.get("custom")]
    assert custom["handoff"] is True
    return str(custom["case_reference"])


def only_case(queue: Queue, sender: str) -> Dict[str, Any]:
    cases = queue.cases_for(sender)
    assert len(cases) == 1, cases
    return cases[0]


@pytest.mark.parametrize(
    ("message", "category", "priority", "said"),
    [
        ("I want to speak to a human agent please", "request_human", "normal", "Your case reference is {}"),
        ("someone hacked my account and sent money i never authorised, it's fraud", "fraud_report", "urgent",
         "our fraud team now, as an urgent case. Your case reference is {}"),
        ("i want to make a formal complaint about your terrible service", "complaint", "high",
         "logged your complaint with the reference {}. We answer complaints within 15 business days"),
        ("please close my zurisend account permanently", "close_account", "normal", "Your case reference is {}"),
    ],
)
def test_a_handoff_reason_reaches_the_queue_once(bot: Bot, queue: Queue, message: str, category: str, priority: str,
                                                 said: str):
    sender = new_sender()
    replies = bot.say(sender, message)
    reference = reference_of(replies)
    assert said.format(reference) in texts(replies)
    case = only_case(queue, sender)
    assert (case["category"], case["priority"], case["handoff_reason"]) == (category, priority, "handoff_topic")
    assert case["customer"] == {"id": None, "verified": False, "how": "not_checked"}
    assert case["summary"]["headline"] and case["transcript"][0]["speaker"] == "customer"
    assert reference == "HO-" + case["case_id"].replace("-", "")[:8].upper()


def test_the_bot_stays_quiet_while_an_agent_has_the_conversation_and_resumes_when_told(bot: Bot, queue: Queue):
    sender = new_sender()
    reference_of(bot.say(sender, "can I talk to a real person"))
    assert bot.say(sender, "hello? is anyone there") == []
    resume = json.dumps([{"event": "resume"}, {"event": "action", "name": "action_listen"}]).encode()
    status, body = bot.request("POST", f"/conversations/{sender}/tracker/events", resume)
    assert status == 200, body
    assert "virtual assistant" in texts(bot.say(sender, "hi"))
    assert len(queue.cases_for(sender)) == 1


def test_two_fallbacks_in_a_row_hand_off(bot: Bot, queue: Queue):
    sender = new_sender()
    assert "Did you mean" in texts(bot.say(sender, "the thing with the stuff from before"))
    replies = bot.say(sender, "you know, the other matter, the one with it")
    reference_of(replies)
    assert only_case(queue, sender)["handoff_reason"] == "repeated_fallback"


def test_two_unhelpful_answers_hand_off_with_the_articles_shown(bot: Bot, queue: Queue):
    sender = new_sender()
    bot.say(sender, "how long does a bank deposit to nigeria take")
    bot.say(sender, "no")
    bot.say(sender, "how many days until the money gets there")
    reference_of(bot.say(sender, "no it didn't"))
    case = only_case(queue, sender)
    assert case["handoff_reason"] == "not_helpful"
    assert case["category"] == "delivery_time"
    assert "delivery-times" in case["knowledge_shown"]


def test_an_accepted_agent_offer_after_a_decline_hands_off(bot: Bot, queue: Queue):
    sender = new_sender()
    assert "rather not guess" in texts(bot.say(sender, "do you do a student discount"))
    reference_of(bot.say(sender, "yes please"))
    assert only_case(queue, sender)["handoff_reason"] == "agent_requested"


def test_a_phone_number_change_is_offered_to_an_agent(bot: Bot, queue: Queue):
    sender = new_sender()
    replies = bot.say(sender, "how do I change the phone number on my account")
    assert "an agent needs to do for you" in texts(replies)
    reference_of(bot.say(sender, "/affirm"))
    assert only_case(queue, sender)["handoff_reason"] == "phone_number_change"


def test_a_declined_agent_offer_does_not_hand_off(bot: Bot, queue: Queue):
    sender = new_sender()
    bot.say(sender, "do you do a student discount")
    assert "anything else" in texts(bot.say(sender, "no thanks"))
    assert queue.cases_for(sender, timeout=2) == []


def test_a_kyc_check_failed_as_often_as_the_app_allows_hands_off_at_once(bot: Bot, queue: Queue):
    sender = new_sender()
    replies = bot.say(sender, "I've tried 3 times and the ID check still fails")
    assert "an agent must review it" in texts(replies)
    reference_of(replies)
    case = only_case(queue, sender)
    assert (case["category"], case["priority"], case["handoff_reason"]) == (
        "verify_identity", "normal", "kyc_retries_exhausted")
    assert case["customer"]["verified"] is False and case["transfer"] is None


def test_after_the_kyc_failed_answer_a_yes_to_retries_used_up_hands_off(bot: Bot, queue: Queue):
    sender = new_sender()
    replies = bot.say(sender, "my verification failed, why?")
    assert "Has the check in the app already failed 3 times?" in texts(replies)
    [question] = [r for r in replies if r.get("buttons")]
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny"]
    reference_of(bot.say(sender, "/affirm"))
    case = only_case(queue, sender)
    assert (case["category"], case["handoff_reason"], case["customer"]["verified"]) == (
        "verify_identity", "kyc_retries_exhausted", False)
    assert "kyc-failed" in case["knowledge_shown"]


def test_after_the_kyc_failed_answer_a_no_means_retry_in_the_app(bot: Bot, queue: Queue):
    sender = new_sender()
    bot.say(sender, "my verification failed, why?")
    reply = texts(bot.say(sender, "no"))
    assert "you can try again in the app" in reply and "anything else" in reply
    assert queue.cases_for(sender, timeout=2) == []


def test_a_caller_whose_kyc_retries_are_used_up_is_put_through(bot: Bot, queue: Queue):
    sender = f"ho-call-{uuid.uuid4().hex[:8]}"

    def speak(transcript: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "alternatives": [{"transcript": transcript, "confidence": 0.9}]})
        status, raw = bot.voice(body.encode())
        assert status == 200, raw
        return list(json.loads(raw))

    asked = " ".join(r["text"] for r in speak("um my id check failed in the app"))
    assert "Has the check in the app already failed 3 times? Say yes or no." in asked
    replies = speak("yeah three times already")
    spoken = " ".join(r["text"] for r in replies)
    assert "an agent must review it" in spoken and "your case reference is H, O," in spoken
    assert replies[-1]["handoff"] is True
    case = only_case(queue, sender)
    assert (case["channel"], case["category"], case["handoff_reason"]) == (
        "voice", "verify_identity", "kyc_retries_exhausted")
