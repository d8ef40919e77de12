"""The phone channel's payload validation and spoken replies."""

from __future__ import annotations

import pytest

from frontdoor.inbound import InvalidMessage
from frontdoor.voice import (
    MAX_ALTERNATIVES,
    parse_voice_payload,
    speakable,
    ssml,
    voice_replies,
    with_spoken_choices,
)


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
