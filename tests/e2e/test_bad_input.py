"""Hostile and malformed input gets a polite reply and the server keeps serving."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.e2e.conftest import Bot, texts

BAD_MESSAGES = {
    "empty": "",
    "whitespace": "   \n\t ",
    "huge": "where is my money " * 1200,  # ~21,600 characters
    "emoji": "😡😡😡💸💸",
    "binary": "\x00\x01\x02\xff\xfe" + bytes(range(32)).decode("latin-1"),
    "other_language": "¿Dónde está mi dinero? Lo envié ayer a mi madre.",
    "sql": "'; DROP TABLE events; --",
    "html": "<script>alert('x')</script><b>hi</b>",
    "control_chars": "\u202e\u200bhello\u0007",
}


@pytest.mark.parametrize("name", sorted(BAD_MESSAGES))
def test_bad_text_gets_a_polite_reply(bot: Bot, name: str):
    replies = bot.say(f"bad-{name}-{uuid.uuid4().hex[:8]}", BAD_MESSAGES[name])
    reply = texts(replies)
    assert reply.strip(), f"no reply to {name}"
    assert "Traceback" not in reply and "Exception" not in reply
    status, _ = bot.request("GET", "/status")
    assert status == 200


@pytest.mark.parametrize("payload,status,error", [
    (b"not json at all", 400, "not valid UTF-8 JSON"),
    (b"\xff\xfe\x00binary", 400, "not valid UTF-8 JSON"),
    (json.dumps({"sender": "x", "message": 12345}).encode(), 400, "'message' must be a string"),
    (json.dumps({"sender": 7, "message": "hi"}).encode(), 400, "'sender' must be a non-empty string"),
    (json.dumps({"message": "hi"}).encode(), 400, "'sender' must be a non-empty string"),
    (json.dumps({"sender": "x", "message": "hi", "metadata": [1]}).encode(), 400, "'metadata' must be"),
    (json.dumps(["a", "list"]).encode(), 400, "must be a JSON object"),
    (json.dumps({"sender": "x", "message": "a" * 60_000}).encode(), 413, "at most 50000 characters"),
])
def test_malformed_requests_get_a_clear_error(bot: Bot, payload: bytes, status: int, error: str):
    got, body = bot.request("POST", "/webhooks/rest/webhook", payload)
    assert got == status, body
    assert error in json.loads(body)["error"]
    assert bot.request("GET", "/status")[0] == 200
    assert texts(bot.say(f"after-{uuid.uuid4().hex[:8]}", "hello")).strip()


def test_null_message_is_treated_as_empty(bot: Bot):
    assert "didn't receive any text" in texts(bot.say(f"null-{uuid.uuid4().hex[:8]}", None))


def test_an_empty_message_does_not_count_as_a_misunderstanding(bot: Bot):
    sender = f"empty-{uuid.uuid4().hex[:8]}"
    bot.say(sender, "")
    reply = bot.say(sender, "blorp the zing wibble")
    # A first miss (NLU reads gibberish as a fallback or as off topic), never the second one's handoff.
    assert any(cue in texts(reply) for cue in ("Did you mean", "rephrase", "not something I can help with")), reply
    assert "still not sure" not in texts(reply) and "connecting you" not in texts(reply)
