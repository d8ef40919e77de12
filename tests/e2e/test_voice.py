"""The phone channel over HTTP: signed turns only, a call flow, silence, keypad digits and bad payloads."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

import pytest

from frontdoor.launcher import Services
from tests.e2e.conftest import VOICE_PATH, VOICE_SECRET, Bot, voice_signature


def call_id() -> str:
    return f"call-{uuid.uuid4().hex[:12]}"


def post(bot: Bot, body: bytes) -> Tuple[int, Any]:
    status, raw = bot.voice(body)
    return status, json.loads(raw)


def turn(sender: str, transcript: str) -> bytes:
    return json.dumps({"sender": sender, "alternatives": [{"transcript": transcript, "confidence": 0.9}]}).encode()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (lambda body: {}, "missing X-Frontdoor-Signature"),
        (lambda body: {"X-Frontdoor-Signature": voice_signature(body, "not-the-secret")}, "does not match"),
        (lambda body: {"X-Frontdoor-Signature": voice_signature(body.replace(b"hello", b"hullo"), VOICE_SECRET)},
         "does not match"),
        (lambda body: {"X-Frontdoor-Signature": voice_signature(body, VOICE_SECRET, at=int(time.time()) - 301)},
         "stale"),
        (lambda body: {"X-Frontdoor-Signature": "t=now,v1=abc"}, "malformed"),
    ],
    ids=["unsigned", "wrong-secret", "tampered-body", "stale", "malformed"],
)
def test_a_turn_not_signed_with_the_secret_gets_401_and_reaches_nobody(bot: Bot, headers: Any, reason: str):
    sender = call_id()
    body = turn(sender, "hello")
    status, raw = bot.request("POST", VOICE_PATH, body, {"Content-Type": "application/json", **headers(body)})
    assert status == 401, raw
    assert reason in json.loads(raw)["error"]
    assert [e for e in bot.tracker(sender)["events"] if e["event"] == "user"] == []
    assert said(speak(bot, sender, "hello")).strip(), "the same turn, signed, is served"


def test_with_a_secret_rasa_does_not_warn_about_unsigned_turns(services: Services):
    assert "frontdoor.voice.unsigned" not in (services.log_dir / "rasa.log").read_text()


def speak(bot: Bot, sender: str, *transcripts: str, dtmf: Optional[str] = None) -> List[Dict[str, Any]]:
    payload: Dict[str, Any] = {
        "sender": sender,
        "alternatives": [{"transcript": t, "confidence": round(0.9 - 0.2 * i, 2)} for i, t in enumerate(transcripts)],
    }
    if dtmf is not None:
        payload["dtmf"] = dtmf
    status, replies = post(bot, json.dumps(payload).encode())
    assert status == 200, replies
    assert all(set(r) == {"recipient_id", "text", "ssml", "end_call", "handoff"} for r in replies), replies
    return replies


def said(replies: List[Dict[str, Any]]) -> str:
    return " ".join(r["text"] for r in replies)


def test_a_call_from_greeting_to_goodbye_uses_the_voice_variants(bot: Bot):
    sender = call_id()
    hello = speak(bot, sender, "hello", "hello oh")
    assert "you're through to ZuriSend's virtual assistant" in said(hello)
    assert all(r["ssml"].startswith("<speak>") and not r["end_call"] for r in hello)
    answer = said(speak(bot, sender, "how much is the fee to send 300 pounds"))
    assert "300 pounds costs 1.99 pounds" in answer, answer
    assert "Source" not in answer and "|" not in answer and "**" not in answer
    assert "Say yes or no" in answer
    rating = said(speak(bot, sender, "bye"))
    assert "rate this call from one to five" in rating
    bye = speak(bot, sender, "i'd give it a four")
    assert "Thank you for the feedback" in said(bye)
    assert bye[-1]["end_call"] is True
    assert bot.tracker(sender)["latest_input_channel"] == "voice"


def test_silence_is_reprompted_and_three_silent_turns_offer_an_agent(bot: Bot):
    sender = call_id()
    assert "didn't catch that" in said(speak(bot, sender, ""))
    assert "didn't catch that" in said(speak(bot, sender))
    third = said(speak(bot, sender, "   "))
    assert "agent" in third and "Say yes or no" in third


def test_keypad_digits_reach_the_assistant(bot: Bot):
    replies = speak(bot, call_id(), dtmf="40318822")
    assert said(replies).strip()
    events = bot.tracker(replies[0]["recipient_id"])["events"]
    user = [e for e in events if e["event"] == "user"][-1]
    assert user["text"] == "40318822"
    assert user["metadata"]["dtmf"] == "40318822"


def latest_user(bot: Bot, sender: str) -> Dict[str, Any]:
    return [e for e in bot.tracker(sender)["events"] if e["event"] == "user"][-1]


def test_spoken_values_are_normalised_and_found_in_lower_alternatives(bot: Bot):
    sender = call_id()
    spoken = "um where is my transfer zed ess four oh three one double eight two two"
    speak(bot, sender, spoken)
    user = latest_user(bot, sender)
    assert user["text"] == spoken
    assert user["parse_data"]["text"] == "where is my transfer ZS40318822"
    assert user["parse_data"]["original_text"] == spoken
    references = [e for e in user["parse_data"]["entities"] if e["entity"] == "transfer_reference"]
    assert [e["value"] for e in references] == ["ZS40318822"]

    sender = call_id()
    speak(bot, sender, "where is my transfer said as for oh three one", "where is my transfer zed ess one two "
          "three four five six seven eight")
    entities = latest_user(bot, sender)["parse_data"]["entities"]
    filled = [e for e in entities if e["extractor"] == "NBestEntityFiller"]
    assert [(e["entity"], e["value"], e["source"]) for e in filled] == [
        ("transfer_reference", "ZS12345678", "alternative:1"),
    ]


def test_chat_messages_are_not_normalised(bot: Bot):
    sender = call_id()
    bot.say(sender, "um where is my transfer zed ess four oh three one double eight two two")
    user = latest_user(bot, sender)
    assert user["parse_data"]["text"] == user["text"]
    assert "original_text" not in user["parse_data"]


def test_speech_metadata_sent_over_rest_is_dropped(bot: Bot):
    sender = call_id()
    posing = {"channel": "voice", "dtmf": "40318822", "customer_token": "not.a.token",
              "alternatives": [{"transcript": "where is my transfer zed ess one two three four five six seven eight",
                                "confidence": 0.9}]}
    bot.say(sender, "um where is my transfer", metadata=posing)
    user = latest_user(bot, sender)
    assert user["input_channel"] == "rest"
    # Rasa adds model_id and assistant_id; the language step adds its own language (frontdoor/rasa/language.py).
    assert user["metadata"].keys() - {"model_id", "assistant_id"} == {"customer_token", "language"}
    assert "original_text" not in user["parse_data"]
    assert not [e for e in user["parse_data"]["entities"] if e["entity"] == "transfer_reference"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "not valid UTF-8 JSON"),
        (b"\xff\xfe\x00binary", 400, "not valid UTF-8 JSON"),
        (json.dumps({"sender": "c", "alternatives": "hello"}).encode(), 400, "must be a list"),
        (json.dumps({"sender": 12, "alternatives": []}).encode(), 400, "'sender'"),
        (json.dumps({"sender": "c", "alternatives": [{"transcript": "a", "confidence": "x"}]}).encode(), 400,
         "confidence"),
        (json.dumps({"sender": "c", "alternatives": [{"transcript": "a" * 100_000}]}).encode(), 413, "at most"),
    ],
)
def test_bad_payloads_get_a_json_error_and_the_channel_keeps_serving(bot: Bot, body: bytes, status: int, says: str):
    got, error = post(bot, body)
    assert got == status, error
    assert says in error["error"]
    assert said(speak(bot, call_id(), "hello")).strip()


NATO = {"a": "alpha", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo", "f": "foxtrot", "g": "golf",
        "h": "hotel", "i": "india", "j": "juliet", "k": "kilo", "l": "lima", "m": "mike", "n": "november",
        "o": "oscar", "p": "papa", "q": "quebec", "r": "romeo", "s": "sierra", "t": "tango", "u": "uniform",
        "v": "victor", "w": "whiskey", "x": "x-ray", "y": "yankee", "z": "zulu"}
DIGITS = "zero one two three four five six seven eight nine".split()


def spelled(postcode: str) -> str:
    return " ".join(NATO[c] if c.isalpha() else DIGITS[int(c)] for c in postcode.lower() if c.strip())


def spoken_date(day: dt.date) -> str:
    ordinals = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                "eighteenth", "nineteenth", "twentieth", "twenty first", "twenty second", "twenty third",
                "twenty fourth", "twenty fifth", "twenty sixth", "twenty seventh", "twenty eighth", "twenty ninth",
                "thirtieth", "thirty first"]
    return f"the {ordinals[day.day]} of {day:%B} {day.year}".lower()


def test_a_caller_is_verified_from_spoken_n_best_details(bot: Bot, app_db: str):
    import sqlalchemy as sa

    from frontdoor.database import make_engine
    from frontdoor.transfers.tables import CUSTOMERS, TRANSFERS

    engine = make_engine(app_db)
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(TRANSFERS.c.reference, CUSTOMERS.c.first_name, CUSTOMERS.c.last_name, CUSTOMERS.c.dob,
                      CUSTOMERS.c.postcode)
            .join(CUSTOMERS, CUSTOMERS.c.customer_id == TRANSFERS.c.customer_id)
            .where(TRANSFERS.c.status == "delivered").order_by(TRANSFERS.c.reference.desc()).offset(3)
        ).first()
    engine.dispose()
    sender = call_id()
    dob = row.dob if isinstance(row.dob, dt.date) else dt.date.fromisoformat(str(row.dob))
    intro = said(speak(bot, sender, f"um where is my transfer {row.reference}"))
    assert "check it's you" in intro and row.last_name not in intro
    name = f"{row.first_name} {row.last_name}".lower()
    speak(bot, sender, f"{row.first_name.lower()} {row.last_name.lower()[:-1]}", name)  # the right one second
    speak(bot, sender, spoken_date(dob))
    reply = said(speak(bot, sender, spelled(row.postcode), "sorry " + spelled(row.postcode)))
    assert "verified" in reply and "delivered" in reply, reply
