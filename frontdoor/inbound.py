"""Validation of inbound customer messages, shared by every input channel.

A malformed request gets a clear 4xx error naming the problem; a well-formed
but odd message (empty, emoji, another language) is passed on for a polite reply.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

MAX_MESSAGE_CHARS = 50_000
MAX_SENDER_CHARS = 128
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


def parse_rest_payload(payload: Any) -> InboundMessage:
    """``{"sender": str, "message": str, "metadata": object?}`` or ``InvalidMessage``."""
    if not isinstance(payload, dict):
        raise InvalidMessage("the body must be a JSON object with 'sender' and 'message'")
    sender = parse_sender(payload, "the conversation id")
    text = payload.get("message", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InvalidMessage("'message' must be a string")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(f"'message' must be at most {MAX_MESSAGE_CHARS} characters", status=413)
    metadata = payload.get("metadata")
    metadata = {} if metadata is None else metadata
    if not isinstance(metadata, dict):
        raise InvalidMessage("'metadata' must be a JSON object")
    return InboundMessage(sender=sender.strip(), text=clean_text(text), metadata=metadata)


def parse_optional_json(raw: bytes) -> Optional[Any]:
    """The decoded JSON body, or ``InvalidMessage`` for anything that is not JSON."""
    import json

    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidMessage(f"the body is not valid UTF-8 JSON ({error.__class__.__name__})") from error
