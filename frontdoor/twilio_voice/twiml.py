"""The TwiML answer to a call turn: the bot's spoken replies, then listen, hang up or put the caller through.

The replies are the voice channel's (``frontdoor.voice.voice_replies``: the ``channel: voice`` response variants,
buttons spoken as choices, ``end_call``/``handoff`` from the responses' custom payloads), so a Twilio caller hears
exactly what a caller on our own voice gateway hears. Twilio's own builder writes and escapes the XML.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, Dict, Iterable, List, Optional, Sequence

from twilio.twiml.voice_response import Dial, Enqueue, Gather, VoiceResponse

from frontdoor.knowledge.fill import METHOD_LABEL, SPOKEN_CURRENCY
from frontdoor.knowledge.tables import DELIVERY_METHODS, Tables
from frontdoor.twilio_voice.settings import TwilioSettings
from frontdoor.voice import VoiceReply

SPEECH_TIMEOUT_SECONDS = 2
"""Silence that ends the caller's turn; Twilio refuses ``auto`` with some speech models, so a number."""
CASE_HEADER = "X-Case-Reference"
CASE_PARAMETER = "case_reference"
MAX_HINT_CHARS = 100
"""Twilio's limit per hint phrase."""


def speech_hints(tables: Tables) -> str:
    """What callers name here, for the recogniser: the handbook's countries, partners, methods and currencies."""
    corridors = tables.corridors
    phrases: List[str] = [*corridors.send_to, *corridors.send_from]
    phrases += sorted({partner for corridor in corridors.send_to.values() for partner in corridor.mobile_money})
    phrases += [METHOD_LABEL[method] for method in DELIVERY_METHODS]
    phrases += [SPOKEN_CURRENCY[code] for code in tables.currencies if code in SPOKEN_CURRENCY]
    unique = dict.fromkeys(p.replace(",", " ").strip() for p in phrases)
    return ", ".join(p for p in unique if p and len(p) <= MAX_HINT_CHARS)


def case_reference(messages: Iterable[Dict[str, Any]]) -> Optional[str]:
    """The reference a handoff's custom payload carries (``{"handoff": true, "case_reference": "HO-..."}``)."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("handoff") and isinstance(custom.get(CASE_PARAMETER), str):
            return str(custom[CASE_PARAMETER])
    return None


def _say(target: Any, replies: Sequence[VoiceReply], settings: TwilioSettings) -> None:
    for reply in replies:
        if reply.text:
            target.say(reply.text, voice=settings.voice, language=settings.language)


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.urlencode([*urllib.parse.parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urllib.parse.urlunsplit(parts._replace(query=query))


def put_through(settings: TwilioSettings, call_sid: str, reference: Optional[str]) -> Any:
    """``<Dial>`` the configured number, SIP URI or client, else ``<Enqueue>`` in the queue, with the case."""
    case = {"conversation_id": call_sid, **({CASE_PARAMETER: reference} if reference else {})}
    if settings.dial:
        dial = Dial()
        if settings.dial.startswith("sip:"):
            dial.sip(_with_query(settings.dial, **{CASE_HEADER: reference}) if reference else settings.dial)
        elif settings.dial.startswith("client:"):
            client = dial.client()
            client.identity(settings.dial.removeprefix("client:"))
            for name, value in case.items():
                client.parameter(name=name, value=value)
        else:
            dial.number(settings.dial)
        return dial
    enqueue = Enqueue(
        settings.queue,
        wait_url=_with_query(settings.wait_url, **case) if settings.wait_url else None,
        workflow_sid=settings.workflow_sid or None,
    )
    if settings.workflow_sid:
        enqueue.task(json.dumps(case))
    return enqueue


def nothing() -> str:
    """An empty document, for a status callback: the call is over, nobody to speak to."""
    return str(VoiceResponse())


def answer(
    replies: Sequence[VoiceReply],
    settings: TwilioSettings,
    *,
    call_sid: str,
    action_url: str,
    hints: str,
    reference: Optional[str] = None,
) -> str:
    """The TwiML document for one turn.

    A handoff says the replies (they read out the case reference) and puts the caller through; the goodbye says
    them and hangs up; anything else says them inside ``<Gather>``, so the caller can answer (or key digits)
    while the bot is still speaking. Silence is posted back too, and the bot re-prompts as on the voice channel.
    """
    response = VoiceResponse()
    if any(reply.handoff for reply in replies):
        _say(response, replies, settings)
        response.append(put_through(settings, call_sid, reference))
        response.hangup()  # once the agent's leg ends, or if nobody took the call
    elif any(reply.end_call for reply in replies):
        _say(response, replies, settings)
        response.hangup()
    else:
        gather = Gather(
            input="speech dtmf",
            action=action_url,
            method="POST",
            action_on_empty_result=True,
            speech_timeout=SPEECH_TIMEOUT_SECONDS,
            language=settings.language,
            hints=hints or None,
        )
        _say(gather, replies, settings)
        response.append(gather)
    return str(response)
