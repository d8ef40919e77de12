"""The dialogue layer without Rasa: answer, act or hand off (issue 14, behaviours 1-8)."""

from __future__ import annotations

import pytest

from frontdoor.dialogue.handoff_turn import DEFAULT_RESPONSE, handoff_response
from frontdoor.dialogue.moves import Move, about_own_transfer, decide_move
from frontdoor.identity.refusal import is_refusal
from frontdoor.knowledge.answer import get_knowledge_base
from frontdoor.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()


def move(intent: str, text: str, *entities: str) -> Move:
    reason = TAXONOMY.get(intent)
    assert reason is not None
    return decide_move(reason, text, entities)


@pytest.mark.parametrize("intent,text", [
    ("cancel_transfer", "Is it possible to stop a payment before it reaches the partner?"),
    ("refund_status", "Once a transfer fails, how many days until my money is back?"),
    ("transfer_status", "What does the 'payment received' status mean?"),
    ("change_recipient_details", "Can I correct a typo in the recipient's surname myself?"),
    ("refund_status", "how long do refunds take if I paid by card?"),
    ("transfer_status", "what does 'on hold' mean on my transfer?"),
    ("refund_status", "where can I see my refund reference?"),
    ("transfer_status", "my payment failed, what happens to my money now?"),
    ("transfer_status", "why has my payment been put on hold for checks"),
    ("refund_status", "refund time for bank transfer pls"),
    ("transfer_not_received", "my wife is in morocco can she get money from me through you"),
    ("refund_status", "i paid with apple pay how long for the refund"),  # a spoken question, mid-sentence
])  # fmt: skip
def test_1_a_general_question_in_a_transactional_topic_is_answered(intent: str, text: str) -> None:
    assert move(intent, text) is Move.ANSWER


@pytest.mark.parametrize("intent,text,entities", [
    ("transfer_status", "where is my transfer?", ()),
    ("transfer_status", "has my money arrived yet", ()),
    ("cancel_transfer", "I need to call off transfer ZS32456233", ("transfer_reference",)),
    ("cancel_transfer", "please cancel it", ()),
    ("refund_status", "refund my transfer please", ()),
    ("transfer_not_received", "my mum hasn't received the money I sent", ()),
    ("refund_status", "when will I get the 250 pounds back?", ("amount",)),
    ("change_recipient_details", "can you change the name on my transfer to Ama Owusu", ("person",)),
    ("refund_status", "where is the refund for the money to chebet kiprono", ()),
])  # fmt: skip
def test_1_a_customer_talking_about_their_own_transfer_is_acted_for(intent: str, text: str, entities: tuple) -> None:
    assert move(intent, text, *entities) is Move.ACT
    assert about_own_transfer(text, entities) or not text.endswith("?")


@pytest.mark.parametrize("intent,text", [
    ("fraud_report", "How can I tell if a job offer asking me to send money is a scam?"),
    ("complaint", "Is there a deadline for you to reply once I complain?"),
    ("request_human", "Can I ring you at 11pm?"),
    ("request_human", "when can i call and speak to someone"),
    ("fraud_report", "$3,000 going to Zimbabwe - whats your cut on that"),  # a fee question NLU misread
    ("request_human", "Is there anyone who can help me in Portuguese?"),
    ("close_account", "How long do you keep my records after I leave?"),
])  # fmt: skip
def test_2_a_question_in_a_handoff_topic_is_answered(intent: str, text: str) -> None:
    assert move(intent, text) is Move.ANSWER


@pytest.mark.parametrize("intent,text", [
    ("fraud_report", "Someone sent money from my account that I never authorised."),
    ("fraud_report", "I think I've been scammed, what do I do?"),
    ("fraud_report", "there's a transfer on my account I don't recognise"),
    ("complaint", "I want to make a formal complaint"),
    ("complaint", "I want to lodge a formal complaint about how my transfer was handled."),
    ("complaint", "your service is appalling"),
    ("close_account", "please close my account"),
    ("close_account", "how do I delete my account?"),
    ("request_human", "can I speak to a real person?"),
    ("request_human", "agent"),
])  # fmt: skip
def test_2_a_report_or_a_request_hands_off_at_once(intent: str, text: str) -> None:
    assert move(intent, text) is Move.HAND_OFF


def test_self_service_topics_are_always_answered() -> None:
    assert move("fees", "cancel my transfer") is Move.ANSWER


def test_3_the_handoff_message_follows_the_category() -> None:
    assert handoff_response("fraud_report") == "utter_handoff_fraud"
    assert handoff_response("complaint") == "utter_handoff_complaint"
    assert handoff_response("request_human") == handoff_response(None) == DEFAULT_RESPONSE


@pytest.mark.parametrize("text", ["I'd rather not say", "why do you need that?", "I don't want to give you that",
                                  "not comfortable sharing that", "skip this"])
def test_5_declining_the_check_is_read_as_a_refusal_not_a_name(text: str) -> None:
    assert is_refusal(text)


@pytest.mark.parametrize("text", ["Teresa Smith", "Nora Way", "11/08/1909", "W2 0AB"])
def test_5_a_detail_is_no_refusal(text: str) -> None:
    assert not is_refusal(text)


def test_7_a_spoken_amount_gets_its_fee() -> None:
    answer = get_knowledge_base().answer("how much to send two hundred pounds to ghana", channel="voice")
    assert answer.article_ids == ("fees-by-amount",)
    assert answer.text.startswith("Sending 200 pounds costs 1.99 pounds.")


def test_8_the_cell_asked_is_answered_and_the_rest_offered() -> None:
    answer = get_knowledge_base().answer("what would I pay to send 1,500 dollars to Senegal?")
    assert answer.text.startswith("Sending 1,500 USD costs 3.99 USD.")
    assert "|" not in answer.text and "full table" in answer.text


@pytest.mark.parametrize("intent,text", [
    ("refund_status", "I paid by bank transfer and the transfer was cancelled - roughly how long for the refund?"),
    ("change_recipient_details", "i might have typed the wrong phone number for the receiver can that be fixed"),
    ("refund_status", "refund time if I paid by bank transfer?"),
    ("close_account", "how long do you keep my records after i close my account"),
    ("complaint", "if I complain about a transfer, how long until you answer?"),
])  # fmt: skip
def test_1_2_a_story_that_only_asks_how_things_work_is_answered(intent: str, text: str) -> None:
    assert move(intent, text) is Move.ANSWER


@pytest.mark.parametrize("intent,text", [
    ("transfer_not_received", "I sent money to Kenya yesterday, why hasn't it arrived?"),
    ("refund_status", "I paid for a transfer that failed, where is the refund?"),
    ("close_account", "can you close my account please?"),
    ("complaint", "can I make a complaint?"),
])  # fmt: skip
def test_1_2_a_story_about_the_customers_own_case_or_a_request_is_acted_on(intent: str, text: str) -> None:
    assert move(intent, text) is not Move.ANSWER


@pytest.mark.parametrize("question,reason,expected", [
    ("how long till money lands on Tigo Pesa?", "delivery_time", "within minutes"),
    ("if i send to a bank in kenya when does it get there", "delivery_time", "1 business day"),
    ("does the person receiving lose some of the money to ur fee??", "fees", "never deducted"),
    ("Can you keep today's rate for me until I pay on Friday?", "exchange_rate", "30 minutes"),
    ("after verifying my passport and selfie, what's my monthly allowance?", "transfer_limits", "15,000"),
])  # fmt: skip
def test_6_the_topic_nlu_is_sure_of_picks_the_article_that_answers(question: str, reason: str, expected: str) -> None:
    answer = get_knowledge_base().answer(question, reason=reason)
    assert not answer.decline and expected in answer.text


def test_6_a_duration_is_no_amount_and_documents_name_the_tier() -> None:
    slots = get_knowledge_base().slots("I've done the photo ID and selfie. How much over 30 days?", {"amount": "30"})
    assert (slots.amount, slots.tier) == (None, 2)
    assert get_knowledge_base().slots("without uploading any id how much can i send").tier == 1


@pytest.mark.parametrize("channel,expected", [
    ("chat", "**In review**: held for a compliance check, for up to 48 hours."),
    ("voice", "In review means held for a compliance check, for up to 48 hours."),
])  # fmt: skip
def test_8_one_status_is_answered_and_the_rest_offered(channel: str, expected: str) -> None:
    answer = get_knowledge_base().answer("what does in review mean on a transfer", channel=channel)
    assert answer.text.startswith(expected) and "Delivered" not in answer.text and "list" in answer.text


def test_8_a_fee_answer_gives_the_customers_fee_without_other_examples() -> None:
    answer = get_knowledge_base().answer("If my cousin collects £750 as cash in Ethiopia, what's the total fee?")
    assert answer.text == "Sending 750 GBP for cash pickup costs 3.99 GBP (2.99 GBP, plus 1.00 GBP for cash pickup)."


def test_5_a_general_refusal_is_told_apart() -> None:
    from frontdoor.identity.refusal import only_asking_in_general

    assert only_asking_in_general("just a general question, no need to check me")
    assert is_refusal("im just asking in general") and not only_asking_in_general("I'd rather not say")


@pytest.mark.parametrize("question", ["i live in spain can i send money to italy", "can I send from France to the UK?"])
def test_6_between_two_sending_countries_is_not_supported(question: str) -> None:
    answer = get_knowledge_base().answer(question, channel="voice" if question.islower() else "chat")
    assert "sending between two sending countries isn't supported" in answer.text
    assert "You can send from" not in answer.text


def test_a_status_request_about_the_money_coming_back_is_about_the_refund() -> None:
    from frontdoor.dialogue.moves import asks_about_refund

    assert asks_about_refund("still waiting on the money back from ZS22870861")
    assert asks_about_refund("where's the refund for my transfer")
    assert not asks_about_refund("can you check where transfer ZS65409806 is")
