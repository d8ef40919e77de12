"""Phone channel: ``POST /webhooks/voice/webhook`` with the recogniser's n-best list, answered with text and SSML.

Only translation happens here; authentication, validation and reply shaping are in ``frontdoor.voice``; a turn
lost because the action server is down is handed to an agent (``frontdoor.rasa.backend_guard``). The language
step (``frontdoor.rasa.language``) reads each turn first and translates the replies back when it translated.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from frontdoor.inbound import APOLOGY, InvalidMessage, parse_optional_json
from frontdoor.rasa.backend_guard import hand_off_if_backend_down
from frontdoor.rasa.language import LanguageStep
from frontdoor.signing import SIGNATURE_HEADER, SignatureError
from frontdoor.voice import (
    MAX_BODY_BYTES,
    SECRET_ENV,
    authenticate,
    parse_voice_payload,
    ssml,
    voice_replies,
    webhook_secret,
)

logger = logging.getLogger(__name__)


class VoiceOutput(CollectingOutputChannel):
    """Collects replies under the name ``voice``, so Rasa picks the ``channel: voice`` response variants."""

    @classmethod
    def name(cls) -> str:
        return "voice"


class VoiceInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "voice"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        voice = Blueprint("frontdoor_voice", __name__)
        secret = webhook_secret()
        language = LanguageStep()
        if secret is None:
            logger.warning("frontdoor.voice.unsigned %s is not set: the voice webhook accepts unsigned requests "
                           "from loopback only", SECRET_ENV)

        @voice.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @voice.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:  # before the HMAC, so an oversized body costs nothing
                return response.json({"error": f"the body must be at most {MAX_BODY_BYTES} bytes"}, status=413)
            try:
                authenticate(secret, body, request.headers.get(SIGNATURE_HEADER), request.ip, time.time())
            except SignatureError as error:
                logger.warning("frontdoor.voice.rejected peer=%s reason=%s", request.ip, error)
                return response.json({"error": str(error)}, status=401)
            try:
                turn = parse_voice_payload(parse_optional_json(body, MAX_BODY_BYTES))
            except InvalidMessage as error:
                return response.json({"error": str(error)}, status=error.status)
            collector = VoiceOutput()
            message = UserMessage(
                turn.text,
                collector,
                turn.sender,
                input_channel=self.name(),
                metadata=turn.nlu_metadata(),
            )
            try:
                message, said = await language.incoming(message)
                await on_new_message(message)
                await hand_off_if_backend_down(request.app.ctx.agent, message)
                await language.outgoing(said, collector.messages)
            except Exception:
                logger.exception("frontdoor.voice.message_failed sender=%s", turn.sender)
                return response.json([{"recipient_id": turn.sender, "text": APOLOGY, "ssml": ssml(APOLOGY),
                                       "end_call": False, "handoff": False}])
            return response.json([r.as_dict() for r in voice_replies(turn.sender, collector.messages)])

        return voice
