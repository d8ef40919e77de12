"""Knowledge answers over HTTP: cited answers, follow-ups, clarifying buttons, declines and stored feedback."""

from __future__ import annotations

import json
import uuid
from typing import Any, Dict, List

import sqlalchemy as sa

from frontdoor.database import make_engine
from frontdoor.knowledge.feedback import FEEDBACK
from tests.e2e.conftest import Bot, texts


def new_sender() -> str:
    return f"kb-{uuid.uuid4().hex[:12]}"


def buttons(replies: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    return [b for r in replies for b in r.get("buttons") or []]


def votes(app_db: str, sender: str) -> List[tuple]:
    engine = make_engine(app_db)
    try:
        with engine.connect() as connection:
            query = sa.select(FEEDBACK.c.article_id, FEEDBACK.c.helpful).where(FEEDBACK.c.conversation_id == sender)
            return [tuple(row) for row in connection.execute(query)]
    finally:
        engine.dispose()


def test_a_fee_question_gets_the_table_cell_with_its_source_and_the_vote_is_stored(bot: Bot, app_db: str):
    sender = new_sender()
    replies = bot.say(sender, "how much does it cost to send 1,200 pounds?")
    reply = texts(replies)
    assert "Sending 1,200 GBP costs 2.99 GBP." in reply
    assert "Source: Transfer fees by amount" in reply
    assert "Did that answer your question?" in reply
    assert [b["payload"] for b in buttons(replies)] == ["/affirm", "/deny"]
    assert "glad that helped" in texts(bot.say(sender, "/affirm"))
    assert votes(app_db, sender) == [("fees-by-amount", True)]


def test_a_follow_up_reuses_the_context(bot: Bot):
    sender = new_sender()
    assert "Sending 1,200 GBP costs 2.99 GBP." in texts(bot.say(sender, "what's the fee to send 1200 pounds"))
    assert "Sending 3,000 GBP costs 7.50 GBP" in texts(bot.say(sender, "and for 3000?"))


def test_a_bare_topic_is_looked_up_and_a_close_call_is_asked_about(bot: Bot):
    replies = bot.say(new_sender(), "cash pickup")
    assert "Did you mean one of these?" in texts(replies)


def test_a_table_cell_about_a_country_and_method(bot: Bot):
    reply = texts(bot.say(new_sender(), "can my brother collect cash in Kenya?"))
    assert "Cash pickup isn't available for Kenya." in reply


def test_an_ambiguous_question_offers_two_articles_and_a_button_answers(bot: Bot):
    sender = new_sender()
    replies = bot.say(sender, "cash pickup")
    offered = [b for b in buttons(replies) if b["payload"].startswith("/inform")]
    assert "Did you mean one of these?" in texts(replies)
    assert len(offered) == 2
    chosen = json.loads(offered[1]["payload"][len("/inform"):])["kb_article"]
    answer = texts(bot.say(sender, offered[1]["payload"]))
    assert f"Source: {offered[1]['title']}" in answer, (chosen, answer)


def test_neither_article_offers_an_agent(bot: Bot):
    sender = new_sender()
    bot.say(sender, "cash pickup")
    assert "connect you with an agent" in texts(bot.say(sender, "/deny"))


def test_two_unhelpful_answers_escalate_to_an_agent_offer(bot: Bot, app_db: str):
    sender = new_sender()
    bot.say(sender, "how long does a bank deposit to nigeria take")
    assert "didn't help" in texts(bot.say(sender, "no"))
    bot.say(sender, "how many days until the money gets there")
    assert "haven't been able to help" in texts(bot.say(sender, "no it didn't"))
    assert [helpful for _, helpful in votes(app_db, sender)] == [False, False]


def test_a_question_the_handbook_does_not_answer_is_declined(bot: Bot):
    replies = bot.say(new_sender(), "do you do a student discount")
    assert "rather not guess" in texts(replies)
    assert "Source:" not in texts(replies)
    assert [b["payload"] for b in buttons(replies)] == ["/affirm", "/deny"]


def test_a_contained_chat_ends_with_a_skippable_rating_that_is_stored(bot: Bot, app_db: str):
    from frontdoor.analytics.csat import CSAT

    sender = new_sender()
    bot.say(sender, "how much does it cost to send 1,200 pounds?")
    assert "Is there anything else" in texts(bot.say(sender, "/affirm"))
    replies = bot.say(sender, "no that's all")
    assert "how would you rate this chat" in texts(replies)
    assert [b["payload"] for b in buttons(replies)][-1] == "/deny"
    assert "Thank you for the feedback" in texts(bot.say(sender, '/inform{"rating": "4"}'))
    engine = make_engine(app_db)
    try:
        with engine.connect() as connection:
            rating = connection.execute(sa.select(CSAT.c.rating).where(CSAT.c.conversation_id == sender)).scalar()
    finally:
        engine.dispose()
    assert rating == 4
    skipper = new_sender()
    bot.say(skipper, "how much does it cost to send 1,200 pounds?")
    assert "rate this chat" in texts(bot.say(skipper, "bye"))
    assert "Goodbye" in texts(bot.say(skipper, "/deny"))
