"""The phone channel's caller authentication, payload validation and spoken replies."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from frontdoor.inbound import InvalidMessage
from frontdoor.signing import SignatureError
from frontdoor.voice import (
    MAX_ALTERNATIVES,
    authenticate,
    parse_voice_payload,
    speakable,
    ssml,
    voice_replies,
    webhook_secret,
    with_spoken_choices,
)

SECRET = b"voice-secret"
BODY = b'{"sender": "call-1", "alternatives": [{"transcript": "hello"}]}'
NOW = 1764590400


def signed(body: bytes, at: int = NOW, secret: bytes = SECRET) -> str:
    return f"t={at},v1={hmac.new(secret, f'{at}.'.encode() + body, hashlib.sha256).hexdigest()}"


@pytest.mark.parametrize("peer", ["127.0.0.1", "10.1.2.3", "2001:db8::1"])
def test_with_a_secret_a_signed_turn_is_accepted_from_anywhere(peer: str) -> None:
    authenticate(SECRET, BODY, signed(BODY, NOW - 300), peer, NOW)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "missing"),
        (signed(BODY, secret=b"other"), "does not match"),
        (signed(BODY.replace(b"hello", b"cancel")), "does not match"),
        (signed(BODY, NOW - 301), "stale"),
        (signed(BODY, NOW + 301), "stale"),
        ("t=now,v1=abc", "malformed"),
    ],
    ids=["unsigned", "wrong-secret", "tampered-body", "stale", "future", "malformed"],
)
def test_with_a_secret_loopback_is_no_excuse(header: str, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        authenticate(SECRET, BODY, header, "127.0.0.1", NOW)


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_without_a_secret_unsigned_turns_are_accepted_on_loopback(peer: str) -> None:
    authenticate(None, BODY, None, peer, NOW)


@pytest.mark.parametrize("peer", ["10.1.2.3", "192.168.0.7", "2001:db8::1", "::ffff:10.0.0.1", "", "localhost"])
def test_without_a_secret_other_callers_are_refused_even_when_signed(peer: str) -> None:
    with pytest.raises(SignatureError, match="VOICE_WEBHOOK_SECRET is not set"):
        authenticate(None, BODY, signed(BODY), peer, NOW)


def test_an_empty_secret_counts_as_none() -> None:
    assert webhook_secret({"VOICE_WEBHOOK_SECRET": ""}) is None
    assert webhook_secret({}) is None
    assert webhook_secret({"VOICE_WEBHOOK_SECRET": "s3cret"}) == b"s3cret"


def test_a_call_turn_keeps_every_alternative_and_reads_the_top_one() -> None:
    turn = parse_voice_payload(
        {
            "sender": "call-1",
            "alternatives": [
                {"transcript": "um where is my money", "confidence": 0.91},
                {"transcript": "where is my monday", "confidence": 0.4},
            ],
            "metadata": {"caller": "+44"},
        }
    )
    assert turn.text == "um where is my money"
    meta = turn.nlu_metadata()
    assert meta["channel"] == "voice" and meta["caller"] == "+44"
    assert [a["transcript"] for a in meta["alternatives"]] == ["um where is my money", "where is my monday"]


def test_an_empty_top_transcript_falls_back_to_the_next_then_to_dtmf() -> None:
    turn = parse_voice_payload({"sender": "c", "alternatives": [{"transcript": ""}, {"transcript": "yes"}]})
    assert turn.text == "yes"
    digits = parse_voice_payload({"sender": "c", "alternatives": [], "dtmf": "40318822"})
    assert digits.text == "40318822" and not digits.silent
    silent = parse_voice_payload({"sender": "c", "alternatives": [{"transcript": "  "}]})
    assert silent.silent and silent.text == ""


@pytest.mark.parametrize(
    ("payload", "status", "says"),
    [
        ([], 400, "JSON object"),
        ({"alternatives": []}, 400, "'sender'"),
        ({"sender": 5, "alternatives": []}, 400, "'sender'"),
        ({"sender": "c", "alternatives": "hello"}, 400, "'alternatives' must be a list"),
        ({"sender": "c", "alternatives": ["hello"]}, 400, "alternatives[0]"),
        ({"sender": "c", "alternatives": [{"transcript": 7}]}, 400, "transcript must be a string"),
        ({"sender": "c", "alternatives": [{"transcript": "a", "confidence": "high"}]}, 400, "confidence"),
        ({"sender": "c", "alternatives": [{"transcript": "a", "confidence": 1.5}]}, 400, "confidence"),
        ({"sender": "c", "alternatives": [{"transcript": "a", "confidence": True}]}, 400, "confidence"),
        ({"sender": "c", "alternatives": [], "dtmf": "12a"}, 400, "dtmf"),
        ({"sender": "c", "alternatives": [], "dtmf": 12}, 400, "dtmf"),
        ({"sender": "c", "alternatives": [], "metadata": []}, 400, "metadata"),
        ({"sender": "c", "alternatives": [{"transcript": "x" * 2001}]}, 413, "at most"),
        ({"sender": "c", "alternatives": [{"transcript": "x"}] * (MAX_ALTERNATIVES + 1)}, 413, "at most"),
        ({"sender": "c" * 129, "alternatives": []}, 400, "at most"),
    ],
)
def test_bad_payloads_are_refused_with_a_clear_message(payload, status: int, says: str) -> None:
    with pytest.raises(InvalidMessage) as error:
        parse_voice_payload(payload)
    assert error.value.status == status
    assert says in str(error.value)


def test_replies_are_speakable_with_ssml_and_buttons_become_spoken_choices() -> None:
    assert speakable("Your fee is **never** deducted. See [the app](https://x.example/a) _Source: Fees_") == (
        "Your fee is never deducted. See the app Source: Fees"
    )
    assert with_spoken_choices("Shall I connect you?", ["Yes, an agent please", "No thanks"]) == (
        "Shall I connect you? You can say Yes, an agent please, or No thanks."
    )
    assert with_spoken_choices("Did you mean fees, or limits?", ["Fees", "Limits"]) == "Did you mean fees, or limits?"
    assert ssml("Hello. Is it 5 < 6 & more?") == (
        '<speak>Hello. <break time="300ms"/> Is it 5 &lt; 6 &amp; more?</speak>'
    )


def test_custom_flags_end_the_call_on_the_reply_before_them() -> None:
    replies = voice_replies(
        "call-1",
        [{"text": "Thanks for calling ZuriSend. Goodbye."}, {"custom": {"end_call": True}}],
    )
    assert [(r.text, r.end_call, r.handoff) for r in replies] == [
        ("Thanks for calling ZuriSend. Goodbye.", True, False)
    ]
    assert replies[0].as_dict()["ssml"].startswith("<speak>")
    alone = voice_replies("call-1", [{"custom": {"handoff": True}}])
    assert [(r.text, r.handoff) for r in alone] == [("", True)]
    assert voice_replies("call-1", [{"text": ""}, {"image": "x.png"}]) == []
