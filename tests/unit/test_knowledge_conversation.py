"""The knowledge skill's turns: answer, clarify, decline, follow up, pick an article, and feedback."""

from __future__ import annotations

from typing import Optional

import pytest

from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.knowledge import KnowledgeBase
from frontdoor.knowledge.choice import choose
from frontdoor.knowledge.conversation import feedback_turn, knowledge_turn, kyc_reply
from frontdoor.knowledge.feedback import helpful_counts

IDS = ("cash-pickup-collection", "cash-pickup-countries")
TITLES = (
    "How your recipient collects a cash pickup",
    "Cash pickup - which countries your recipient can collect cash in",
)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("the first one", IDS[0]),
        ("number two please", IDS[1]),
        ("um the second", IDS[1]),
        ("not the first", IDS[1]),
        ("the one about which countries", IDS[1]),
        ("how they collect it", IDS[0]),
        ("neither", None),
        ("no", None),
        ("cash pickup", None),  # both titles say it: still ambiguous
        ("the first or the second", None),
        ("", None),
    ],
)
def test_choice_between_two_offered_articles(reply: str, expected: str) -> None:
    assert choose(reply, IDS, TITLES) == expected


def test_choice_needs_matching_ids_and_titles() -> None:
    assert choose("the first", IDS, TITLES[:1]) is None
    assert choose("the first", (), ()) is None


def test_a_clear_question_is_answered_with_its_title_and_asks_if_it_helped(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "how much is the fee to send 300 pounds to kenya", {"amount": "300", "currency": "GBP"})
    assert turn.article_id == "fees-by-amount"
    assert turn.title == kb.articles["fees-by-amount"].title
    assert turn.text.startswith("Sending 300 GBP costs 1.99 GBP.")
    assert turn.pending == OpenQuestion.KB_HELPFUL and turn.response is None
    assert turn.context is not None and turn.context["article_id"] == "fees-by-amount"


def test_a_close_call_offers_the_two_closest_articles(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "cash pickup")
    assert turn.response == "utter_kb_clarify" and turn.pending == OpenQuestion.KB_CLARIFY
    assert [c["id"] for c in turn.candidates] == [turn.variables["id_a"], turn.variables["id_b"]]
    assert {turn.variables["article_a"], turn.variables["article_b"]} == {
        kb.articles[c["id"]].title for c in turn.candidates
    }


def test_the_spoken_choice_answers_the_article(kb: KnowledgeBase) -> None:
    offered = knowledge_turn(kb, "cash pickup").candidates
    turn = knowledge_turn(kb, "the second one", channel="voice", pending=OpenQuestion.KB_CLARIFY, candidates=offered)
    assert turn.article_id == offered[1]["id"]
    assert turn.text == kb.articles[offered[1]["id"]].voice


def test_a_failed_clarification_offers_an_agent(kb: KnowledgeBase) -> None:
    offered = knowledge_turn(kb, "cash pickup").candidates
    turn = knowledge_turn(kb, "neither of those", pending=OpenQuestion.KB_CLARIFY, candidates=offered)
    assert turn.response == "utter_kb_clarify_failed" and turn.pending == OpenQuestion.AGENT


def test_a_new_clear_question_during_clarification_is_answered(kb: KnowledgeBase) -> None:
    offered = knowledge_turn(kb, "cash pickup").candidates
    turn = knowledge_turn(
        kb, "I forgot my password", pending=OpenQuestion.KB_CLARIFY, candidates=offered, intent="account_access"
    )
    assert turn.article_id == "forgot-password"


@pytest.mark.parametrize("reply", ["no", "yes", "ok"])
def test_a_bare_yes_or_no_during_clarification_is_not_searched(kb: KnowledgeBase, reply: str) -> None:
    offered = knowledge_turn(kb, "cash pickup").candidates
    intent = {"no": "deny", "yes": "affirm", "ok": "affirm"}[reply]
    turn = knowledge_turn(kb, reply, pending=OpenQuestion.KB_CLARIFY, candidates=offered, intent=intent)
    assert turn.response == "utter_kb_clarify_failed"


def test_the_understood_intent_settles_a_close_call(kb: KnowledgeBase) -> None:
    question = "how long does a bank deposit to nigeria take"
    assert knowledge_turn(kb, question).response == "utter_kb_clarify"
    turn = knowledge_turn(kb, question, {"country": "Nigeria"}, intent="delivery_time")
    assert kb.articles[turn.article_id or ""].reason == "delivery_time"
    assert turn.text.startswith("A bank deposit to Nigeria")


def test_a_button_pick_answers_that_article(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "cash pickup", picked="cash-pickup-countries")
    assert turn.article_id == "cash-pickup-countries"
    assert knowledge_turn(kb, "cash pickup", picked="no-such-article").article_id != "no-such-article"


def test_a_topic_button_answers_from_that_reasons_articles(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "the thing with my money", topic="transfer_limits")
    assert turn.article_id is not None
    assert kb.articles[turn.article_id].reason == "transfer_limits"


def test_an_answer_only_an_agent_can_act_on_offers_an_agent_instead_of_asking_if_it_helped(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "how do I change the phone number on my account", intent="account_access")
    assert turn.article_id == "change-phone-number"
    assert turn.pending == OpenQuestion.AGENT and turn.agent_reason == "phone_number_change"


def test_an_unanswerable_question_is_declined_with_an_agent_offer(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "can I buy bitcoin with zurisend")
    assert turn.response == "utter_kb_decline" and turn.pending == OpenQuestion.AGENT
    assert turn.text == "" and turn.article_id is None


def test_a_follow_up_reuses_the_previous_topic_with_new_entities(kb: KnowledgeBase) -> None:
    first = knowledge_turn(kb, "what's the fee to send 1200 pounds")
    assert first.text.startswith("Sending 1,200 GBP costs")
    follow = knowledge_turn(kb, "and for 3000?", {"amount": "3000"}, previous=first.context)
    assert follow.article_id == "fees-by-amount"
    assert follow.text.startswith("Sending 3,000 GBP costs 7.50 GBP")
    alone = knowledge_turn(kb, "and for 3000?", {"amount": "3000"})
    assert alone.article_id != "fees-by-amount" or alone.response is not None


def test_feedback_is_stored_and_a_second_no_escalates(db_engine) -> None:
    glad = feedback_turn(db_engine, "conv-1", "fees-by-amount", True, "chat")
    assert glad.response == "utter_kb_glad_it_helped" and glad.pending == "anything_else"
    first_no = feedback_turn(db_engine, "conv-1", "delivery-times", False, "chat")
    assert first_no.response == "utter_kb_not_helpful" and first_no.pending == OpenQuestion.AGENT
    assert first_no.agent_reason == "not_helpful" and first_no.handoff is None
    second_no = feedback_turn(db_engine, "conv-1", "delivery-times", False, "voice")
    assert second_no.response == "utter_kb_not_helpful_again" and second_no.handoff == "not_helpful"
    other = feedback_turn(db_engine, "conv-2", "delivery-times", False, "chat")
    assert other.response == "utter_kb_not_helpful"
    counts = helpful_counts(db_engine)
    assert (counts["fees-by-amount"].helpful, counts["delivery-times"].not_helpful) == (1, 3)


@pytest.mark.parametrize(
    "question", ["I've tried 3 times and the ID check still fails", "this is my fourth try at verifying my account"]
)
def test_a_kyc_check_failed_as_often_as_the_app_allows_hands_off_at_once(kb: KnowledgeBase, question: str) -> None:
    turn = knowledge_turn(kb, question, intent="verify_identity")
    assert turn.article_id == "kyc-failed"
    assert (turn.handoff, turn.handoff_category) == ("kyc_retries_exhausted", "verify_identity")
    assert turn.response == "utter_kyc_agent_review" and turn.variables == {"attempts": "3"}


def test_a_failed_kyc_check_without_a_count_asks_whether_the_retries_are_used_up(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "My verification failed", intent="verify_identity")
    assert turn.article_id == "kyc-failed" and turn.response is None and turn.handoff is None
    assert turn.pending == OpenQuestion.KYC_RETRIES and turn.question == "utter_kyc_ask_failed_attempts"
    assert turn.variables == {"attempts": "3"}


def test_fewer_failures_than_the_app_allows_is_a_plain_answer(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "the selfie failed twice", intent="verify_identity")
    assert turn.article_id == "kyc-failed" and turn.handoff is None
    assert turn.pending == OpenQuestion.KB_HELPFUL and turn.question == "utter_kb_ask_helpful"


def test_the_contact_centre_security_questions_are_not_the_app_check(kb: KnowledgeBase) -> None:
    turn = knowledge_turn(kb, "I failed your security questions three times", intent="verify_identity")
    assert turn.article_id == "identity-check" and turn.handoff is None and turn.pending == OpenQuestion.KB_HELPFUL


@pytest.mark.parametrize(
    ("text", "affirmed", "handoff"),
    [("", True, "kyc_retries_exhausted"), ("", False, None), ("yes three times", True, "kyc_retries_exhausted"),
     ("no, only twice", False, None), ("it failed 4 times", None, "kyc_retries_exhausted")],
)
def test_the_answer_to_the_kyc_question(text: str, affirmed: Optional[bool], handoff: Optional[str]) -> None:
    turn = kyc_reply(text, affirmed)
    assert turn is not None and turn.handoff == handoff
    if handoff:
        assert turn.response == "utter_kyc_agent_review" and turn.handoff_category == "verify_identity"
    else:
        assert turn.response == "utter_kyc_retry_in_app" and turn.pending == "anything_else"
    assert turn.variables == {"attempts": "3"}


def test_a_reply_that_is_neither_a_count_nor_a_yes_or_no_leaves_the_kyc_question(kb: KnowledgeBase) -> None:
    assert kyc_reply("how much does it cost to send to Ghana", None) is None
    turn = knowledge_turn(kb, "how much does it cost to send 100 pounds to Ghana", pending=OpenQuestion.KYC_RETRIES)
    assert turn.article_id is not None and turn.article_id.startswith("fees")
    counted = knowledge_turn(kb, "it failed 3 times", pending=OpenQuestion.KYC_RETRIES, intent="verify_identity")
    assert counted.handoff == "kyc_retries_exhausted"
