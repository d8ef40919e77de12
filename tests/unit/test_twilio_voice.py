"""The Twilio channel's request reading, signature check, settings and TwiML, without Rasa."""

from __future__ import annotations

import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List

import pytest
from twilio.request_validator import RequestValidator

from frontdoor.inbound import InvalidMessage
from frontdoor.knowledge.tables import default_tables
from frontdoor.signing import SignatureError
from frontdoor.twilio_voice.request import (
    FORM_CONTENT_TYPE,
    MAX_BODY_BYTES,
    authenticate,
    is_forwarded,
    parse_form,
    parse_turn,
    signed_url,
)
from frontdoor.twilio_voice.settings import TwilioConfigError, TwilioSettings, load_settings, parse_settings
from frontdoor.twilio_voice.twiml import answer, case_reference, nothing, speech_hints
from frontdoor.voice import MAX_TRANSCRIPT_CHARS, VoiceReply

TOKEN = "twilio-auth-token"
URL = "https://frontdoor.example.com/webhooks/twilio_voice/webhook"


def call_sid() -> str:
    return "CA" + uuid.uuid4().hex


def gather_result(**extra: str) -> Dict[str, str]:
    """The parameters Twilio posts to a ``<Gather>`` action (docs: TwiML Voice <Gather>, "action")."""
    return {"AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01", "CallSid": call_sid(), "CallStatus":
            "in-progress", "Direction": "inbound", "From": "+447700900123", "To": "+442071234567", **extra}


def form(params: Dict[str, str]) -> bytes:
    return urllib.parse.urlencode(params).encode()


# --- the form --------------------------------------------------------------------------------------------------


def test_the_form_is_read_as_twilio_posts_it() -> None:
    params = gather_result(SpeechResult="where is my money?", Confidence="0.91")
    assert parse_form(form(params), f"{FORM_CONTENT_TYPE}; charset=utf-8") == params
    assert parse_form(b"", FORM_CONTENT_TYPE) == {}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"a" * (MAX_BODY_BYTES + 1), FORM_CONTENT_TYPE, 413, "at most"),
        (b'{"CallSid": "CA1"}', "application/json", 415, FORM_CONTENT_TYPE),
        (b"CallSid=CA1", None, 415, FORM_CONTENT_TYPE),
        (b"\xff\xfe\x00binary", FORM_CONTENT_TYPE, 400, "not UTF-8 form data"),
        (b"SpeechResult=%ff%fe", FORM_CONTENT_TYPE, 400, "not UTF-8 form data"),
        (b"CallSid", FORM_CONTENT_TYPE, 400, "not UTF-8 form data"),
        (b"CallSid=CA1&CallSid=CA2", FORM_CONTENT_TYPE, 400, "more than once"),
    ],
)
def test_a_body_twilio_would_not_send_is_refused(body: bytes, content_type: str, status: int, says: str) -> None:
    with pytest.raises(InvalidMessage, match=says) as error:
        parse_form(body, content_type)
    assert error.value.status == status


# --- the signature ---------------------------------------------------------------------------------------------


def test_a_request_signed_by_twilio_is_accepted_from_anywhere() -> None:
    params = gather_result(SpeechResult="hello")
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    authenticate(TOKEN, URL, params, signature, "54.172.60.1", forwarded=True)
    with_port = URL.replace(".com/", ".com:443/")
    authenticate(TOKEN, with_port, params, signature, "54.172.60.1", forwarded=False)  # Twilio's validator allows


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda params, sig: (params, None), "missing X-Twilio-Signature"),
        (lambda params, sig: (params, ""), "missing X-Twilio-Signature"),
        (lambda params, sig: ({**params, "SpeechResult": "cancel it"}, sig), "does not match"),
        (lambda params, sig: ({**params, "Digits": "1"}, sig), "does not match"),
        (lambda params, sig: (params, RequestValidator("another-token").compute_signature(URL, params)),
         "does not match"),
        (lambda params, sig: (params, RequestValidator(TOKEN).compute_signature(URL + "?x=1", params)),
         "does not match"),
    ],
    ids=["unsigned", "empty", "tampered-speech", "added-digits", "other-account", "other-url"],
)
def test_a_request_not_signed_for_this_url_and_these_parameters_is_refused(change, reason: str) -> None:
    params = gather_result(SpeechResult="hello")
    sent, signature = change(params, RequestValidator(TOKEN).compute_signature(URL, params))
    with pytest.raises(SignatureError, match=reason):
        authenticate(TOKEN, URL, sent, signature, "127.0.0.1", forwarded=False)


@pytest.mark.parametrize(("peer", "forwarded"), [("10.1.2.3", False), ("2001:db8::1", False), ("127.0.0.1", True)])
def test_without_a_token_only_a_local_unproxied_caller_is_accepted(peer: str, forwarded: bool) -> None:
    authenticate(None, URL, gather_result(), None, "127.0.0.1", forwarded=False)
    authenticate(None, URL, gather_result(), None, "::1", forwarded=False)
    with pytest.raises(SignatureError, match="TWILIO_AUTH_TOKEN is not set"):
        authenticate(None, URL, gather_result(), None, peer, forwarded)


def test_the_signed_url_is_the_public_one_behind_a_proxy() -> None:
    local = "http://127.0.0.1:5005/webhooks/twilio_voice/webhook?a=1"
    path = "/webhooks/twilio_voice/webhook"
    assert signed_url(local, path, "a=1", {}) == local
    assert signed_url(local, path, "a=1", {"TWILIO_PUBLIC_URL": "https://fd.example.com/"}) == (
        "https://fd.example.com/webhooks/twilio_voice/webhook?a=1")
    assert signed_url(local, path, "", {"TWILIO_PUBLIC_URL": "https://fd.example.com/zs"}) == (
        "https://fd.example.com/zs/webhooks/twilio_voice/webhook")
    assert is_forwarded({"X-Forwarded-For": "54.172.60.1"}) and not is_forwarded({"Host": "x"})


# --- the turn --------------------------------------------------------------------------------------------------


def test_speech_confidence_and_digits_become_the_voice_channels_turn() -> None:
    params = gather_result(SpeechResult="zed ess four oh three one double eight two two", Confidence="0.8731")
    turn = parse_turn(params)
    assert not turn.starts_call and not turn.call_over
    voice = turn.voice_turn()
    assert (voice.sender, voice.text) == (params["CallSid"], params["SpeechResult"])
    assert voice.nlu_metadata() == {
        "gateway": "twilio",
        "channel": "voice",
        "alternatives": [{"transcript": params["SpeechResult"], "confidence": 0.8731}],
        "dtmf": None,
    }
    keyed = parse_turn(gather_result(Digits="40318822")).voice_turn()
    assert (keyed.text, keyed.alternatives, keyed.nlu_metadata()["dtmf"]) == ("40318822", (), "40318822")


def test_the_first_request_of_a_call_starts_it_and_an_empty_gather_is_silence() -> None:
    assert parse_turn(gather_result(CallStatus="ringing")).starts_call
    silent = parse_turn(gather_result(SpeechResult="", Confidence=""))
    assert not silent.starts_call and silent.voice_turn().silent
    assert parse_turn(gather_result(CallStatus="completed", CallDuration="42")).call_over


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({k: v for k, v in gather_result().items() if k != "CallSid"}, 400, "'CallSid'"),
        (gather_result(CallSid="call-1"), 400, "'CallSid'"),
        (gather_result(CallSid="CA" + "x" * 32), 400, "'CallSid'"),
        (gather_result(CallSid="CA" + "0" * 1000), 413, "'CallSid'"),
        (gather_result(SpeechResult="a" * (MAX_TRANSCRIPT_CHARS + 1)), 413, "'SpeechResult'"),
        (gather_result(SpeechResult="hi", Confidence="high"), 400, "'Confidence'"),
        (gather_result(SpeechResult="hi", Confidence="nan"), 400, "'Confidence'"),
        (gather_result(SpeechResult="hi", Confidence="1.5"), 400, "'Confidence'"),
        (gather_result(Digits="12a"), 400, "'Digits'"),
        (gather_result(Digits="1" * 33), 400, "'Digits'"),
    ],
    ids=["no-callsid", "not-a-sid", "not-hex", "huge-sid", "huge-speech", "word-confidence", "nan", "above-one",
         "letter-digit", "long-digits"],
)
def test_malformed_parameters_are_refused_naming_the_parameter(params: Dict[str, str], status: int,
                                                               says: str) -> None:
    with pytest.raises(InvalidMessage, match=says) as error:
        parse_turn(params)
    assert error.value.status == status


def test_control_characters_in_speech_are_dropped() -> None:
    assert parse_turn(gather_result(SpeechResult="hel\x00lo\u202e")).speech == "hello"


# --- settings --------------------------------------------------------------------------------------------------


def test_the_project_config_queues_calls_by_default(tmp_path: Path) -> None:
    assert load_settings(env={}) == TwilioSettings()
    path = tmp_path / "handoff.yml"
    path.write_text("priority: {}\n", encoding="utf-8")
    assert load_settings(path, env={}) == TwilioSettings()


def test_the_environment_overrides_queue_hold_music_and_dial() -> None:
    env = {"TWILIO_QUEUE": "nights", "TWILIO_WAIT_URL": "https://hold.example.com/", "TWILIO_DIAL": "+442071234567"}
    settings = parse_settings({"queue": "general", "dial": "", "voice": "Polly.Brian"}, env)
    assert settings == TwilioSettings(queue="nights", wait_url="https://hold.example.com/", dial="+442071234567",
                                      voice="Polly.Brian")
    assert parse_settings({"queue": "general"}, {"TWILIO_QUEUE": ""}).queue == "general"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({"queue": ""}, "twilio.queue"),
        ({"queue": "q" * 65}, "twilio.queue"),
        ({"dial": "02071234567"}, "twilio.dial"),
        ({"dial": "client:two words"}, "twilio.dial"),
        ({"wait_url": "/hold"}, "twilio.wait_url"),
        ({"language": "english"}, "twilio.language"),
        ({"voices": "Polly.Amy"}, "unexpected keyword"),
        (["queue"], "mapping"),
    ],
)
def test_bad_settings_stop_the_start_up(raw: object, says: str) -> None:
    with pytest.raises(TwilioConfigError, match=says):
        parse_settings(raw, {})


# --- TwiML -----------------------------------------------------------------------------------------------------

SETTINGS = TwilioSettings()
ACTION = URL + "?leg=1&x=2"


def reply(text: str, end_call: bool = False, handoff: bool = False) -> VoiceReply:
    return VoiceReply("CA1", text, "", end_call, handoff)


def parsed(replies: List[VoiceReply], settings: TwilioSettings = SETTINGS, reference: str = "") -> ET.Element:
    document = answer(replies, settings, call_sid="CA1", action_url=ACTION, hints="Kenya, M-Pesa",
                      reference=reference or None)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(document)


def test_a_turn_is_said_inside_a_gather_for_speech_and_keys() -> None:
    root = parsed([reply("Hello & welcome."), reply("How can I help <you>?")])
    [gather] = list(root)
    assert gather.tag == "Gather"
    assert gather.attrib == {"input": "speech dtmf", "action": ACTION, "method": "POST", "actionOnEmptyResult": "true",
                             "speechTimeout": "2", "language": "en-GB", "hints": "Kenya, M-Pesa"}
    assert [(say.tag, say.text, say.get("voice")) for say in gather] == [
        ("Say", "Hello & welcome.", "Polly.Amy"), ("Say", "How can I help <you>?", "Polly.Amy")]


def test_nothing_to_say_still_listens() -> None:
    [gather] = list(parsed([]))
    assert gather.tag == "Gather" and list(gather) == []


def test_the_goodbye_hangs_up() -> None:
    root = parsed([reply("Thank you for the feedback."), reply("Thanks for calling ZuriSend. Goodbye.", end_call=True)])
    assert [child.tag for child in root] == ["Say", "Say", "Hangup"]


def test_a_handoff_queues_the_caller_with_the_case() -> None:
    root = parsed([reply("Your case reference is H, O, one.", handoff=True)], reference="HO-1A2B3C4D")
    assert [child.tag for child in root] == ["Say", "Enqueue", "Hangup"]
    enqueue = root.find("Enqueue")
    assert enqueue is not None and enqueue.text == "frontdoor-agents" and enqueue.attrib == {}
    held = parsed([reply("Putting you through.", handoff=True)], TwilioSettings(
        queue="fraud", wait_url="https://hold.example.com/music?tone=calm", workflow_sid="WW" + "1" * 32),
        reference="HO-1A2B3C4D").find("Enqueue")
    assert held is not None and held.text == "fraud"
    wait = urllib.parse.urlsplit(held.get("waitUrl", ""))
    assert urllib.parse.parse_qs(wait.query) == {"tone": ["calm"], "conversation_id": ["CA1"],
                                                 "case_reference": ["HO-1A2B3C4D"]}
    task = held.find("Task")
    assert task is not None and task.text == '{"conversation_id": "CA1", "case_reference": "HO-1A2B3C4D"}'


@pytest.mark.parametrize(
    ("dial", "expected"),
    [
        ("+442071234567", "<Dial><Number>+442071234567</Number></Dial>"),
        ("sip:agents@pbx.example.com",
         "<Dial><Sip>sip:agents@pbx.example.com?X-Case-Reference=HO-1A2B3C4D</Sip></Dial>"),
        ("client:agent-desk", '<Dial><Client><Identity>agent-desk</Identity><Parameter name="conversation_id" '
                              'value="CA1" /><Parameter name="case_reference" value="HO-1A2B3C4D" /></Client></Dial>'),
    ],
)
def test_a_handoff_dials_a_configured_number_sip_uri_or_client(dial: str, expected: str) -> None:
    root = parsed([reply("Putting you through.", handoff=True)], TwilioSettings(dial=dial), reference="HO-1A2B3C4D")
    assert [child.tag for child in root] == ["Say", "Dial", "Hangup"]
    assert ET.tostring(root[1], encoding="unicode") == expected


def test_the_case_reference_comes_from_the_handoff_payload() -> None:
    messages = [{"recipient_id": "CA1", "text": "Putting you through."},
                {"recipient_id": "CA1", "custom": {"handoff": True, "case_reference": "HO-1A2B3C4D"}}]
    assert case_reference(messages) == "HO-1A2B3C4D"
    assert case_reference([{"custom": {"end_call": True}}, {"text": "HO-1"}]) is None


def test_a_status_callback_gets_an_empty_document() -> None:
    assert ET.fromstring(nothing()).tag == "Response" and list(ET.fromstring(nothing())) == []


def test_speech_hints_are_the_handbooks_vocabulary() -> None:
    tables = default_tables()
    hints = speech_hints(tables).split(", ")
    assert {"Kenya", "Philippines", "United Kingdom", "M-Pesa", "GCash", "mobile money", "cash pickup", "pounds",
            "Kenyan shillings"} <= set(hints)
    assert set(tables.corridors.send_to) <= set(hints)
    assert len(hints) == len(set(hints)) and all(0 < len(h) <= 100 and "," not in h for h in hints)
