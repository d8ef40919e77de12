"""Conversations over HTTP against the running Rasa server and action server."""

from __future__ import annotations

import uuid

from tests.e2e.conftest import Bot, texts


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def test_greeting_introduces_the_assistant(bot: Bot):
    reply = texts(bot.say(new_sender(), "hello there"))
    assert "ZuriSend's virtual assistant" in reply


def test_bot_challenge_is_answered_honestly(bot: Bot):
    reply = texts(bot.say(new_sender(), "am i talking to a real person or a robot?"))
    assert "virtual assistant, not a person" in reply


def test_out_of_scope_is_declined_politely(bot: Bot):
    reply = texts(bot.say(new_sender(), "what's the weather going to be like in London tomorrow"))
    assert "not something I can help with" in reply


def test_handoff_reason_is_never_met_with_silence(bot: Bot):
    reply = texts(bot.say(new_sender(), "I want to speak to a human agent please"))
    assert "agent" in reply.lower()


def test_thanks_and_goodbye(bot: Bot):
    sender = new_sender()
    assert "welcome" in texts(bot.say(sender, "thanks a lot")).lower()
    assert "goodbye" in texts(bot.say(sender, "bye")).lower()


def test_tracker_is_persisted_in_the_sql_tracker_store(bot: Bot):
    sender = new_sender()
    bot.say(sender, "hi")
    events = bot.tracker(sender)["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["hi"]
