"""Twilio Voice channel: ``POST /webhooks/twilio_voice/webhook`` with Twilio's call parameters, answered with TwiML.

Only translation happens here (``frontdoor.twilio_voice`` reads, authenticates and answers). A Twilio call is a
``voice`` conversation to the rest of the stack: the ``channel: voice`` response variants, the transcript
normaliser and n-best filler, the actions and the analytics treat it as a call on the voice channel, and a turn
lost because the action server is down is handed to an agent (``frontdoor.rasa.backend_guard``). The language
step (``frontdoor.rasa.language``) reads each turn first, as on the voice channel.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from frontdoor.inbound import APOLOGY, InvalidMessage
from frontdoor.knowledge.tables import default_tables
from frontdoor.rasa.backend_guard import hand_off_if_backend_down
from frontdoor.rasa.language import LanguageStep
from frontdoor.rasa.voice_channel import VoiceOutput
from frontdoor.signing import SignatureError
from frontdoor.twilio_voice.request import (
    AUTH_TOKEN_ENV,
    SIGNATURE_HEADER,
    auth_token,
    authenticate,
    is_forwarded,
    parse_form,
    parse_turn,
    signed_url,
)
from frontdoor.twilio_voice.settings import load_settings
from frontdoor.twilio_voice.twiml import answer, case_reference, nothing, speech_hints
from frontdoor.voice import VoiceReply, ssml, voice_replies

logger = logging.getLogger(__name__)

VOICE_CHANNEL = "voice"
CALL_START_MESSAGE = "/greet"
"""What the bot hears when a call comes in: the greet intent itself, as nobody has said anything yet."""
TWIML = "text/xml"


class TwilioVoiceInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "twilio_voice"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio = Blueprint("frontdoor_twilio_voice", __name__)
        token = auth_token()
        settings = load_settings()
        language = LanguageStep()
        hints = speech_hints(default_tables())
        if token is None:
            logger.warning("frontdoor.twilio_voice.unsigned %s is not set: the Twilio webhook accepts unsigned "
                           "requests from local, unproxied callers only", AUTH_TOKEN_ENV)

        @twilio.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @twilio.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            url = signed_url(request.url, request.path, request.query_string)
            try:
                params = parse_form(request.body or b"", request.headers.get("Content-Type"))
            except InvalidMessage as error:
                return response.json({"error": str(error)}, status=error.status)
            try:
                authenticate(token, url, params, request.headers.get(SIGNATURE_HEADER), request.ip,
                             is_forwarded(request.headers))
            except SignatureError as error:
                logger.warning("frontdoor.twilio_voice.rejected peer=%s reason=%s", request.ip, error)
                return response.json({"error": str(error)}, status=403)
            try:
                turn = parse_turn(params)
            except InvalidMessage as error:
                return response.json({"error": str(error)}, status=error.status)
            if turn.call_over:
                return response.text(nothing(), content_type=TWIML)
            voice = turn.voice_turn()
            collector = VoiceOutput()
            message = UserMessage(
                CALL_START_MESSAGE if turn.starts_call else voice.text,
                collector,
                turn.call_sid,
                input_channel=VOICE_CHANNEL,
                metadata=voice.nlu_metadata(),
            )
            try:
                message, said = await language.incoming(message)
                await on_new_message(message)
                await hand_off_if_backend_down(request.app.ctx.agent, message)
                await language.outgoing(said, collector.messages)
                replies = voice_replies(turn.call_sid, collector.messages)
            except Exception:
                logger.exception("frontdoor.twilio_voice.message_failed call=%s", turn.call_sid)
                replies = [VoiceReply(turn.call_sid, APOLOGY, ssml(APOLOGY))]
            twiml = answer(replies, settings, call_sid=turn.call_sid, action_url=url, hints=hints,
                           reference=case_reference(collector.messages))
            return response.text(twiml, content_type=TWIML)

        return twilio
