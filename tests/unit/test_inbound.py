import pytest

from frontdoor.inbound import InvalidMessage, clean_text, parse_optional_json, parse_rest_payload


def test_valid_payload_is_cleaned():
    message = parse_rest_payload({"sender": " abc ", "message": "\u202ehi\x00 there ", "metadata": {"a": 1}})
    assert (message.sender, message.text, message.metadata) == ("abc", "hi there", {"a": 1})


@pytest.mark.parametrize("payload,fragment,status", [
    ([], "JSON object", 400), ({"message": "x"}, "'sender'", 400), ({"sender": "", "message": "x"}, "'sender'", 400),
    ({"sender": "s" * 129, "message": "x"}, "at most 128", 400), ({"sender": "a", "message": 3}, "string", 400),
    ({"sender": "a", "message": "x" * 50_001}, "at most 50000", 413),
    ({"sender": "a", "message": "x", "metadata": "m"}, "'metadata'", 400),
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
