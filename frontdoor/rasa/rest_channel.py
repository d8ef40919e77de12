"""REST input channel with strict payload validation and no silent failures.

Same URL and contract as Rasa's ``rest`` channel (``/webhooks/rest/webhook``);
malformed requests get a JSON 4xx naming the problem, metadata keeps only
``customer_token`` (``frontdoor.inbound.rest_metadata``), an internal error
gets an apology instead of an empty reply, and a turn lost because the action
server is down is handed to an agent (``frontdoor.rasa.backend_guard``). Each message goes through the
language step first (``frontdoor.rasa.language``); collected replies are translated back when it translated.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request

from frontdoor.inbound import APOLOGY, InvalidMessage, parse_optional_json, parse_rest_payload
from frontdoor.rasa.backend_guard import hand_off_if_backend_down
from frontdoor.rasa.language import LanguageStep

logger = logging.getLogger(__name__)


class ValidatingRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _payload(self, request: Request) -> Any:
        if "frontdoor_message" not in request.ctx.__dict__:
            request.ctx.frontdoor_message = parse_rest_payload(parse_optional_json(request.body))
        return request.ctx.frontdoor_message

    async def _extract_sender(self, req: Request) -> Optional[str]:
        return str(self._payload(req).sender)

    def _extract_message(self, req: Request) -> Optional[str]:
        return str(self._payload(req).text)

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        return dict(self._payload(request).metadata)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        apps: List[Sanic] = []
        language = LanguageStep()

        async def guarded(message: UserMessage) -> None:
            try:
                message, turn = await language.incoming(message)
                await on_new_message(message)
                await hand_off_if_backend_down(apps[0].ctx.agent if apps else None, message)
                if isinstance(message.output_channel, CollectingOutputChannel):
                    await language.outgoing(turn, message.output_channel.messages)
            except Exception:
                logger.exception("frontdoor.rest.message_failed sender=%s", message.sender_id)
                await message.output_channel.send_text_message(message.sender_id, APOLOGY)

        blueprint = super().blueprint(guarded)

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _: Any) -> None:
            apps.append(app)

        @blueprint.exception(InvalidMessage)
        async def invalid(request: Request, error: InvalidMessage) -> response.HTTPResponse:
            return response.json({"error": str(error)}, status=error.status)

        return blueprint
