import logging

import pytest

from frontdoor.inbound import (
    InvalidMessage,
    clean_text,
    parse_optional_json,
    parse_rest_payload,
    parse_session_id,
    parse_socketio_payload,
)


def test_valid_payload_is_cleaned():
    message = parse_rest_payload({"sender": " abc ", "message": "\u202ehi\x00 there ",
                                  "metadata": {"customer_token": "signed.token"}})
    assert (message.sender, message.text, message.metadata) == ("abc", "hi there", {"customer_token": "signed.token"})


def test_only_the_customer_token_is_kept_and_dropped_keys_are_counted_without_values(caplog):
    metadata = {"customer_token": "signed.token", "alternatives": [{"transcript": "ZS40318822 secret-value"}],
                "dtmf": "1234", "channel": "voice", "note": "secret-value"}
    with caplog.at_level(logging.DEBUG, logger="frontdoor.inbound"):
        message = parse_rest_payload({"sender": "a", "message": "where is my transfer", "metadata": metadata})
    assert message.metadata == {"customer_token": "signed.token"}
    assert [r.getMessage() for r in caplog.records] == ["frontdoor.inbound.metadata_dropped count=4"]
    assert "secret-value" not in caplog.text and "signed.token" not in caplog.text and "dtmf" not in caplog.text


def test_nothing_is_logged_when_nothing_is_dropped(caplog):
    with caplog.at_level(logging.DEBUG, logger="frontdoor.inbound"):
        assert parse_rest_payload({"sender": "a", "message": "x", "metadata": {}}).metadata == {}
        assert parse_rest_payload({"sender": "a", "message": "x", "metadata": {"customer_token": ""}}).metadata == {}
    assert caplog.records == []


def test_speech_alternatives_in_rest_metadata_do_not_reach_the_voice_components():
    from rasa.shared.nlu.constants import METADATA, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from frontdoor.rasa.transcript_normaliser import is_voice

    posing = {"channel": "voice", "alternatives": [{"transcript": "zed ess four oh three one", "confidence": 1}],
              "dtmf": "40318822"}
    message = parse_rest_payload({"sender": "a", "message": "hi", "metadata": posing})
    assert message.metadata == {}
    assert not is_voice(Message(data={TEXT: message.text, METADATA: message.metadata}))
    assert is_voice(Message(data={TEXT: message.text, METADATA: posing})), "the check above must be able to fail"


@pytest.mark.parametrize("payload,fragment,status", [
    ([], "JSON object", 400), ({"message": "x"}, "'sender'", 400), ({"sender": "", "message": "x"}, "'sender'", 400),
    ({"sender": "s" * 129, "message": "x"}, "at most 128", 400), ({"sender": "a", "message": 3}, "string", 400),
    ({"sender": "a", "message": "x" * 50_001}, "at most 50000", 413),
    ({"sender": "a", "message": "x", "metadata": "m"}, "'metadata'", 400),
    ({"sender": "   ", "message": "x"}, "'sender'", 400),
    ({"sender": "a", "message": "x", "metadata": {"customer_token": 5}}, "'customer_token' must be a string", 400),
    ({"sender": "a", "message": "x", "metadata": {"customer_token": "t" * 4097}}, "at most 4096", 400),
])
def test_invalid_payloads(payload, fragment, status):
    with pytest.raises(InvalidMessage, match=fragment) as caught:
        parse_rest_payload(payload)
    assert caught.value.status == status


def test_missing_or_null_message_is_empty_text():
    assert parse_rest_payload({"sender": "a"}).text == ""
    assert parse_rest_payload({"sender": "a", "message": None}).text == ""


def test_clean_text_keeps_letters_emoji_and_newlines():
    assert clean_text("Dónde 😡\nok\x07") == "Dónde 😡\nok"


def test_json_decoding_errors_are_clear():
    with pytest.raises(InvalidMessage, match="not valid UTF-8 JSON"):
        parse_optional_json(b"\xff")
    assert parse_optional_json(b'{"a": 1}') == {"a": 1}


def test_a_body_over_the_limit_is_413():
    with pytest.raises(InvalidMessage, match="at most 10 bytes") as caught:
        parse_optional_json(b'{"a": "12345"}', max_bytes=10)
    assert caught.value.status == 413


def test_a_socketio_event_is_checked_and_filtered_like_a_rest_body(caplog):
    event = {"message": "\u202ehi\x00 there ", "session_id": "4f9c2e0b8d7a4c1e9b6f3a2d1c0e5f7a",
             "customData": {"customer_token": "signed.token", "channel": "voice", "dtmf": "1234"}}
    with caplog.at_level(logging.DEBUG, logger="frontdoor.inbound"):
        message = parse_socketio_payload(event, "customData")
    assert (message.sender, message.text, message.metadata) == (
        "4f9c2e0b8d7a4c1e9b6f3a2d1c0e5f7a", "hi there", {"customer_token": "signed.token"})
    assert [r.getMessage() for r in caplog.records] == ["frontdoor.inbound.metadata_dropped count=2"]
    assert parse_socketio_payload({"session_id": "web-1"}, "customData").text == ""


@pytest.mark.parametrize("event,fragment,status", [
    (b"\x00binary", "must be an object", 400), ("hi", "must be an object", 400), (None, "must be an object", 400),
    ({"message": "x"}, "'session_id'", 400), ({"message": "x", "session_id": 7}, "'session_id'", 400),
    ({"message": "x", "session_id": "a b"}, "'session_id'", 400),
    ({"message": "x", "session_id": "../etc"}, "'session_id'", 400),
    ({"message": "x", "session_id": "s" * 129}, "'session_id'", 400),
    ({"message": b"hi", "session_id": "a"}, "'message' must be a string", 400),
    ({"message": {"text": "hi"}, "session_id": "a"}, "'message' must be a string", 400),
    ({"message": "x" * 50_001, "session_id": "a"}, "at most 50000", 413),
    ({"message": "x", "session_id": "a", "customData": "m"}, "'customData' must be a JSON object", 400),
    ({"message": "x", "session_id": "a", "customData": {"customer_token": 5}}, "'customer_token'", 400),
])
def test_invalid_socketio_events(event, fragment, status):
    with pytest.raises(InvalidMessage, match=fragment) as caught:
        parse_socketio_payload(event, "customData")
    assert caught.value.status == status


def test_session_ids_are_the_ids_the_server_issues():
    assert parse_session_id("4f9c2e0b8d7a4c1e9b6f3a2d1c0e5f7a") == "4f9c2e0b8d7a4c1e9b6f3a2d1c0e5f7a"
    assert parse_session_id("web-AZ_09") == "web-AZ_09"
    for bad in ("", " a", "a\n", "é", None, ["a"]):
        with pytest.raises(InvalidMessage, match="'session_id' must be 1 to 128"):
            parse_session_id(bad)
