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


@pytest.mark.parametrize("payload", [
    b"not json at all",
    b"\xff\xfe\x00binary",
    json.dumps({"sender": "x", "message": 12345}).encode(),
    json.dumps({"sender": "x", "message": None}).encode(),
    json.dumps(["a", "list"]).encode(),
])
def test_malformed_requests_do_not_crash_the_server(bot: Bot, payload: bytes):
    status, body = bot.request("POST", "/webhooks/rest/webhook", payload)
    assert status in (200, 400, 422), body
    assert b"Traceback" not in body
    assert bot.request("GET", "/status")[0] == 200
    assert texts(bot.say(f"after-{uuid.uuid4().hex[:8]}", "hello")).strip()
