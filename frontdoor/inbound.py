"""Validation of inbound customer messages, shared by every input channel.

A malformed request gets a clear 4xx error naming the problem; a well-formed
but odd message (empty, emoji, another language) is passed on for a polite reply.
The REST contract is checked here for the REST channel, the web app's
``/api/chat`` and the socket.io widget channel alike, so all three treat the
same message the same way.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from frontdoor.identity.token import MAX_TOKEN_CHARS

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 50_000
MAX_SENDER_CHARS = 128
SESSION_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_SENDER_CHARS}}}")
MAX_BODY_BYTES = 256 * 1024
"""Room for the longest message in 4-byte UTF-8, plus sender and token."""
CUSTOMER_TOKEN = "customer_token"
REST_METADATA_KEYS = frozenset({CUSTOMER_TOKEN})
"""The metadata the REST contract documents. Anything else (speech ``alternatives``, ``dtmf``, ``channel``) would
let a chat client pose as the phone channel, so it is dropped: only the voice channel sets those."""
APOLOGY = (
    "Sorry, something went wrong on our side while handling your message. "
    "Please try again in a moment, or ask for an agent."
)


class InvalidMessage(ValueError):
    """The request cannot be processed; ``status`` is the HTTP code to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class InboundMessage:
    sender: str
    text: str
    metadata: Dict[str, Any] = field(default_factory=dict)


def clean_text(text: str) -> str:
    """Drop control and format characters (NUL, bidi overrides) that carry no meaning."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    ).strip()


def parse_sender(payload: Dict[str, Any], meaning: str) -> str:
    """The channel's ``sender`` (the Rasa conversation id), or ``InvalidMessage``."""
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise InvalidMessage(f"'sender' must be a non-empty string ({meaning})")
    if len(sender) > MAX_SENDER_CHARS:
        raise InvalidMessage(f"'sender' must be at most {MAX_SENDER_CHARS} characters")
    return sender


def rest_metadata(metadata: Dict[str, Any]) -> Dict[str, Any]:
    """The documented keys of REST ``metadata``; the others are dropped and counted in the log, never shown."""
    token = metadata.get(CUSTOMER_TOKEN)
    if token is not None and (not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS):
        raise InvalidMessage(f"'{CUSTOMER_TOKEN}' must be a string of at most {MAX_TOKEN_CHARS} characters")
    dropped = sum(1 for key in metadata if key not in REST_METADATA_KEYS)
    if dropped:
        log.warning("frontdoor.inbound.metadata_dropped count=%d", dropped)
    return {CUSTOMER_TOKEN: token} if token else {}


def parse_rest_payload(payload: Any) -> InboundMessage:
    """``{"sender": str, "message": str, "metadata": {"customer_token"?: str}?}`` or ``InvalidMessage``."""
    if not isinstance(payload, dict):
        raise InvalidMessage("the body must be a JSON object with 'sender' and 'message'")
    sender = parse_sender(payload, "the conversation id")
    return _message(sender.strip(), payload, "metadata")


def parse_session_id(value: Any) -> str:
    """A socket.io ``session_id`` (the Rasa conversation id), or ``InvalidMessage``.

    Narrower than REST's ``sender``: it also names a socket.io room, and the widget only ever sends the ids
    the server issued (``uuid4().hex``).
    """
    if not isinstance(value, str) or not SESSION_ID.fullmatch(value):
        raise InvalidMessage(f"'session_id' must be 1 to {MAX_SENDER_CHARS} letters, digits, '-' or '_'")
    return value


def parse_socketio_payload(payload: Any, metadata_key: str) -> InboundMessage:
    """A ``user_uttered`` event, ``{"message": str, "session_id": str, <metadata_key>: {...}?}``, checked
    and filtered exactly as a REST body; rasa-webchat sends its ``customData`` under ``metadata_key``."""
    if not isinstance(payload, dict):
        raise InvalidMessage("the event must be an object with 'message' and 'session_id'")
    return _message(parse_session_id(payload.get("session_id")), payload, metadata_key)


def _message(sender: str, payload: Dict[str, Any], metadata_key: str) -> InboundMessage:
    text = payload.get("message", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InvalidMessage("'message' must be a string")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(f"'message' must be at most {MAX_MESSAGE_CHARS} characters", status=413)
    metadata = payload.get(metadata_key)
    metadata = {} if metadata is None else metadata
    if not isinstance(metadata, dict):
        raise InvalidMessage(f"'{metadata_key}' must be a JSON object")
    return InboundMessage(sender=sender, text=clean_text(text), metadata=rest_metadata(metadata))


def parse_optional_json(raw: bytes, max_bytes: int = MAX_BODY_BYTES) -> Optional[Any]:
    """The decoded JSON body, or ``InvalidMessage`` for anything larger than ``max_bytes`` or not JSON."""
    import json

    if len(raw) > max_bytes:
        raise InvalidMessage(f"the body must be at most {max_bytes} bytes", status=413)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidMessage(f"the body is not valid UTF-8 JSON ({error.__class__.__name__})") from error
