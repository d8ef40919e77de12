"""Twilio Voice over HTTP: requests built as Twilio documents them and signed with Twilio's own validator.

Each call starts with the request Twilio makes when the number rings, and every later turn is posted to the
``<Gather action>`` URL of the previous answer, as Twilio does.
"""

from __future__ import annotations

import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Tuple

import pytest
from twilio.request_validator import RequestValidator

from frontdoor.launcher import Services
from tests.e2e.conftest import TWILIO_TOKEN, TWILIO_WAIT_URL, Bot, Queue

PATH = "/webhooks/twilio_voice/webhook"
ACCOUNT_SID = "AC" + "5" * 32


class Call:
    """One phone call: Twilio's parameters for it, and the URL its next request goes to."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.sid = "CA" + uuid.uuid4().hex
        self.url = bot.base + PATH  # the number's voice webhook
        self.status = "ringing"

    def params(self, **turn: str) -> Dict[str, str]:
        """The voice request parameters (Twilio docs: "TwiML Voice: Twilio's request to your application")."""
        return {"AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01", "CallSid": self.sid, "CallStatus": self.status,
                "Called": "+442071234567", "Caller": "+447700900123", "Direction": "inbound",
                "From": "+447700900123", "FromCountry": "GB", "To": "+442071234567", "ToCountry": "GB", **turn}

    def post(self, params: Dict[str, str], token: Optional[str] = TWILIO_TOKEN) -> Tuple[int, bytes]:
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        if token is not None:
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(self.url, params)
        path = self.url.removeprefix(self.bot.base)
        return self.bot.request("POST", path, urllib.parse.urlencode(params).encode(), headers)

    def turn(self, **turn: str) -> ET.Element:
        """Post one request; the TwiML answer, its ``<Gather action>`` becoming the next request's URL."""
        status, body = self.post(self.params(**turn))
        assert status == 200, body
        root = ET.fromstring(body)
        assert root.tag == "Response", body
        gather = root.find("Gather")
        if gather is not None:
            self.url = gather.attrib["action"]
        self.status = "in-progress"
        return root

    def say(self, speech: str, confidence: str = "0.9") -> ET.Element:
        return self.turn(SpeechResult=speech, Confidence=confidence)


def spoken(root: ET.Element) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def user_events(bot: Bot, sid: str) -> List[dict]:
    return [e for e in bot.tracker(sid)["events"] if e["event"] == "user"]


def test_a_ringing_call_is_greeted_inside_a_gather_with_speech_hints(bot: Bot):
    call = Call(bot)
    root = call.turn()
    [gather] = list(root)
    assert gather.tag == "Gather"
    assert gather.attrib["input"] == "speech dtmf" and gather.attrib["actionOnEmptyResult"] == "true"
    assert gather.attrib["action"] == bot.base + PATH
    assert {"Kenya", "M-Pesa", "mobile money", "pounds"} <= set(gather.attrib["hints"].split(", "))
    assert "you're through to ZuriSend's virtual assistant" in spoken(root)
    tracker = bot.tracker(call.sid)
    assert tracker["latest_input_channel"] == "voice"
    assert [e["parse_data"]["intent"]["name"] for e in user_events(bot, call.sid)] == ["greet"]


def test_a_question_is_answered_with_the_voice_variant_and_the_goodbye_hangs_up(bot: Bot):
    call = Call(bot)
    call.turn()
    answer = call.say("how much is the fee to send 300 pounds", "0.93")
    assert answer.find("Gather") is not None
    said = spoken(answer)
    assert "300 pounds costs 1.99 pounds" in said, said
    assert "Source" not in said and "**" not in said
    user = user_events(bot, call.sid)[-1]
    assert user["metadata"]["alternatives"] == [{"transcript": "how much is the fee to send 300 pounds",
                                                 "confidence": 0.93}]
    assert "rate this call from one to five" in spoken(call.say("bye"))
    bye = call.say("i'd give it a four")
    assert "Thank you for the feedback" in spoken(bye)
    assert [child.tag for child in bye][-1] == "Hangup" and bye.find("Gather") is None


def test_speech_is_normalised_and_digits_and_silence_reach_the_assistant(bot: Bot):
    call = Call(bot)
    call.turn()
    heard = "um where is my transfer zed ess four oh three one double eight two two"
    call.say(heard, "0.71")
    user = user_events(bot, call.sid)[-1]
    assert user["parse_data"]["text"] == "where is my transfer ZS40318822"
    assert user["parse_data"]["original_text"] == heard

    call = Call(bot)
    call.turn()
    assert spoken(call.turn(Digits="40318822")).strip()
    user = user_events(bot, call.sid)[-1]
    assert (user["text"], user["metadata"]["dtmf"]) == ("40318822", "40318822")
    assert "didn't catch that" in spoken(call.turn())


@pytest.mark.parametrize(
    "sign",
    [
        lambda call, params: call.post(params, token=None),
        lambda call, params: call.post(params, token="not-the-auth-token"),
        lambda call, params: call.bot.request(
            "POST", PATH, urllib.parse.urlencode({**params, "SpeechResult": "cancel my transfer"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded",
             "X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(call.url, params)}),
    ],
    ids=["unsigned", "other-token", "tampered"],
)
def test_a_request_twilio_did_not_sign_gets_403_and_reaches_nobody(bot: Bot, sign):
    call = Call(bot)
    status, body = sign(call, call.params(SpeechResult="hello", Confidence="0.9"))
    assert status == 403, body
    assert "X-Twilio-Signature" in body.decode()
    assert user_events(bot, call.sid) == []
    assert "virtual assistant" in spoken(call.turn()), "the same call, signed, is served"


def test_asking_for_an_agent_enqueues_the_call_with_its_case_reference(bot: Bot, queue: Queue):
    call = Call(bot)
    call.turn()
    root = call.say("I want to speak to a human agent please")
    assert [child.tag for child in root][-2:] == ["Enqueue", "Hangup"] and root.find("Gather") is None
    enqueue = root.find("Enqueue")
    assert enqueue is not None and enqueue.text == "frontdoor-agents"
    wait = urllib.parse.urlsplit(enqueue.attrib["waitUrl"])
    assert urllib.parse.urlunsplit(wait._replace(query="")) == TWILIO_WAIT_URL
    carried = dict(urllib.parse.parse_qsl(wait.query))
    [case] = queue.cases_for(call.sid)
    assert carried == {"conversation_id": call.sid, "case_reference": "HO-" + case["case_id"].replace("-", "")[:8]
                       .upper()}
    assert (case["channel"], case["category"]) == ("voice", "request_human")
    assert "your case reference is H, O," in spoken(root)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"\xff\xfe\x00binary", "application/x-www-form-urlencoded", 400, "not UTF-8 form data"),
        (b'{"CallSid": "CA1"}', "application/json", 415, "x-www-form-urlencoded"),
    ],
)
def test_a_body_twilio_never_sends_gets_a_4xx(bot: Bot, body: bytes, content_type: str, status: int, says: str):
    got, error = bot.request("POST", PATH, body, {"Content-Type": content_type})
    assert got == status, error
    assert says in error.decode()


@pytest.mark.parametrize(
    ("turn", "status", "says"),
    [
        ({"CallSid": ""}, 400, "'CallSid'"),
        ({"SpeechResult": "a" * 5_000, "Confidence": "0.9"}, 413, "'SpeechResult'"),
        ({"SpeechResult": "hello", "Confidence": "very"}, 400, "'Confidence'"),
        ({"Digits": "12ab"}, 400, "'Digits'"),
    ],
    ids=["no-callsid", "huge-speech", "word-confidence", "letter-digits"],
)
def test_malformed_signed_parameters_get_a_4xx_and_the_channel_keeps_serving(bot: Bot, turn: Dict[str, str],
                                                                             status: int, says: str):
    call = Call(bot)
    got, error = call.post(call.params(**turn))
    assert got == status, error
    assert says in error.decode()
    assert spoken(Call(bot).turn()).strip()


def test_with_a_token_rasa_does_not_warn_about_unsigned_twilio_requests(services: Services):
    assert "frontdoor.twilio_voice.unsigned" not in (services.log_dir / "rasa.log").read_text()
