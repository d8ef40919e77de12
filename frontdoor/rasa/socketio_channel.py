"""Socket.io input channel (the one Rasa Webchat speaks) behind the REST channel's validation.

Rasa's ``SocketIOInput`` passes any ``user_uttered`` payload straight on: a
non-string message, a huge text or a binary frame raises inside the event
task, and every metadata key reaches NLU and the actions. Here each event is
checked by ``frontdoor.inbound.parse_socketio_payload``, the same rules and
the same ``customer_token``-only metadata filter as REST; a bad one gets an
``ERROR_EVENT`` naming the problem and is logged, never processed. A message
must carry the session id this connection was confirmed for, so one socket
cannot post into, or read from, a conversation it did not open. An internal
error gets the REST channel's apology; a turn lost because the action server
is down is handed to an agent (``frontdoor.rasa.backend_guard``).
``requirements.lock`` pins python-socketio 5.9, where ``enter_room`` is
synchronous (the field notes' 5.10 bug does not apply).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic
from socketio import AsyncServer

from frontdoor.inbound import APOLOGY, InvalidMessage, parse_session_id, parse_socketio_payload
from frontdoor.rasa.backend_guard import hand_off_if_backend_down

logger = logging.getLogger(__name__)

ERROR_EVENT = "frontdoor_error"
"""Emitted to the socket as ``{"error": "..."}`` when an event is refused; rasa-webchat ignores it."""
SESSION_KEY = "session_id"


class WebchatOutput(SocketIOOutput, CollectingOutputChannel):
    """Rasa's socket.io replies, also collected so the backend guard can tell an empty turn.

    Custom payloads go out as ``{"custom": {...}}`` like on REST: Rasa's ``send_custom_json`` spreads them
    into ``emit()`` keyword arguments, which fails for our handoff payload.
    """

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        SocketIOOutput.__init__(self, sio, bot_message_evt)
        self.messages: List[Dict[str, Any]] = []

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.messages.append(response)
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class ValidatingSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> Optional[WebchatOutput]:
        return WebchatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint (socket.io server, connect and JWT check, health route) with our two handlers in
        place of its ``session_request`` and ``user_uttered`` ones.

        Replies go to the session's room, so ``session_persistence`` must be on (a reload keeps the conversation).
        """
        if not self.session_persistence:
            raise ValueError(f"{type(self).__name__} needs 'session_persistence: true' in credentials.yml")
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        apps: List[Sanic] = []

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _: Any) -> None:
            apps.append(app)

        async def refuse(sid: str, error: InvalidMessage) -> None:
            logger.warning("frontdoor.socketio.refused sid=%s reason=%s", sid, error)
            await sio.emit(ERROR_EVENT, {"error": str(error)}, room=sid, namespace=self.namespace)

        async def session_request(sid: str, *args: Any) -> None:
            """Confirm the session the widget asks for (a fresh one if none, or a malformed one)."""
            data = args[0] if len(args) == 1 and isinstance(args[0], dict) else {}
            requested = data.get(SESSION_KEY)
            try:
                session_id = uuid.uuid4().hex if requested is None else parse_session_id(requested)
            except InvalidMessage as error:
                logger.warning("frontdoor.socketio.new_session sid=%s reason=%s", sid, error)
                session_id = uuid.uuid4().hex
            await sio.save_session(sid, {SESSION_KEY: session_id}, namespace=self.namespace)
            sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def user_uttered(sid: str, *args: Any) -> None:
            try:
                if len(args) != 1:
                    raise InvalidMessage(f"'{self.user_message_evt}' takes one object, not {len(args)} arguments")
                inbound = parse_socketio_payload(args[0], self.metadata_key or "metadata")
                confirmed = (await sio.get_session(sid, namespace=self.namespace)).get(SESSION_KEY)
                if inbound.sender != confirmed:
                    raise InvalidMessage("'session_id' is not the session confirmed to this connection; "
                                         "send 'session_request' first")
            except InvalidMessage as error:
                await refuse(sid, error)
                return
            output = WebchatOutput(sio, self.bot_message_evt)
            message = UserMessage(inbound.text, output, inbound.sender, input_channel=self.name(),
                                  metadata=inbound.metadata)
            try:
                await on_new_message(message)
                await hand_off_if_backend_down(apps[0].ctx.agent if apps else None, message)
            except Exception:
                logger.exception("frontdoor.socketio.message_failed sender=%s", inbound.sender)
                await output.send_text_message(inbound.sender, APOLOGY)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        return blueprint
