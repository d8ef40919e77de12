"""Issue 14's behaviours 1-8, each as a conversation on chat (REST) and on voice (the signed webhook)."""

from __future__ import annotations

import re
import uuid
from typing import Any, Dict, List

import pytest

from tests.e2e.conftest import Bot
from tests.e2e.test_voice import speak

CHANNELS = ["chat", "voice"]


class Talk:
    """One customer on one channel; ``say`` returns everything the bot answered, as one string."""

    def __init__(self, bot: Bot, channel: str) -> None:
        self.bot, self.channel = bot, channel
        self.sender = f"{channel}-behaviour-{uuid.uuid4().hex[:10]}"
        self.replies: List[Dict[str, Any]] = []

    def say(self, text: str) -> str:
        if self.channel == "voice":
            self.replies = speak(self.bot, self.sender, text.lower().rstrip("?"))
        else:
            self.replies = self.bot.say(self.sender, text)
        return " ".join(r.get("text") or "" for r in self.replies)

    @property
    def handed_off(self) -> bool:
        return any(r.get("handoff") or (r.get("custom") or {}).get("handoff") for r in self.replies)


@pytest.mark.parametrize("channel", CHANNELS)
def test_1_a_general_question_in_a_transactional_topic_is_answered_then_the_bot_offers_to_act(bot: Bot, channel: str):
    talk = Talk(bot, channel)
    answer = talk.say("Is it possible to stop a payment before it reaches the partner?")
    assert "free of charge" in answer and "full name" not in answer, answer
    assert "your own transfers" in answer and not talk.handed_off
    # The offer comes before "did that help?", so taking leave closes instead of apologising.
    closing = talk.say("no thanks, that's everything")
    assert "rate this" in closing and "agent" not in closing, closing


@pytest.mark.parametrize("channel", CHANNELS)
def test_2_a_question_in_a_handoff_topic_is_answered_and_a_report_hands_off(bot: Bot, channel: str):
    talk = Talk(bot, channel)
    answer = talk.say("How can I tell if a job offer asking me to send money is a scam?")
    assert "job" in answer and not talk.handed_off, answer
    report = Talk(bot, channel)
    text = report.say("I think I've been scammed, someone took money from my account")
    assert report.handed_off and "fraud team" in text, text


@pytest.mark.parametrize("channel", CHANNELS)
def test_3_a_complaint_hears_its_reference_and_the_timeline_before_the_handoff(bot: Bot, channel: str):
    talk = Talk(bot, channel)
    text = talk.say("I want to make a formal complaint about your service")
    assert talk.handed_off and ("15 business days" in text or "fifteen business days" in text), text


@pytest.mark.parametrize("channel", CHANNELS)
def test_5_declining_the_check_keeps_helping_with_general_questions(bot: Bot, channel: str):
    talk = Talk(bot, channel)
    assert "full name" in talk.say("how long will the refund for my cancelled transfer take?")
    declined = talk.say("I'd rather not say, it's only a general question")
    assert "can't look at or change your transfers" in declined and not talk.handed_off, declined
    assert "business days" in declined, declined  # the question that led to the check, answered generally
    assert "Kenya" in talk.say("which countries can I send money to?") and not talk.handed_off


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("question,fact", [
    ("do you take credit cards?", r"[Cc]redit cards"),
    ("how long till money lands on Tigo Pesa?", r"minutes"),
    ("Can I ring you at 11pm?", r"22:00|10 pm"),
    ("who regulates you in the UK?", r"Financial Conduct Authority"),
])  # fmt: skip
def test_6_a_handbook_question_in_the_customers_words_is_answered(bot: Bot, channel: str, question: str, fact: str):
    talk = Talk(bot, channel)
    answer = talk.say(question)
    assert re.search(fact, answer) and "rather not guess" not in answer and not talk.handed_off, answer


def test_7_a_spoken_amount_gets_its_fee(bot: Bot):
    answer = Talk(bot, "voice").say("how much to send two hundred pounds to ghana")
    assert "200 pounds costs 1.99 pounds" in answer, answer


@pytest.mark.parametrize("channel", CHANNELS)
def test_8_the_cell_asked_is_answered_and_the_rest_offered(bot: Bot, channel: str):
    talk = Talk(bot, channel)
    answer = talk.say("how fast is M-Pesa?")
    assert "minutes" in answer and "bank deposit" not in answer.lower(), answer
    status = talk.say("what does in review mean?")
    assert "48 hours" in status and "Delivered" not in status, status
