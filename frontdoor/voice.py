"""Phone calls: validating the telephony gateway's webhook payload and shaping spoken replies.

A call turn arrives as the speech recogniser's n-best list (and maybe DTMF
keypad digits); the reply must be plain speakable text plus SSML for the TTS.
The gateway signs each request (``frontdoor.signing``) with ``VOICE_WEBHOOK_SECRET``.
"""

from __future__ import annotations

import html
import ipaddress
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from frontdoor.inbound import InvalidMessage, clean_text, parse_sender
from frontdoor.signing import SignatureError, verify

SECRET_ENV = "VOICE_WEBHOOK_SECRET"
SIGNATURE_TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024
MAX_ALTERNATIVES = 20
MAX_TRANSCRIPT_CHARS = 2_000
MAX_DTMF_CHARS = 32
_DTMF = re.compile(r"^[0-9*#]*$")


@dataclass(frozen=True)
class Alternative:
    transcript: str
    confidence: Optional[float]


@dataclass(frozen=True)
class VoiceTurn:
    """One caller turn. ``text`` is what NLU reads: the top transcript, else the keypad digits."""

    sender: str
    alternatives: Tuple[Alternative, ...]
    dtmf: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        for alternative in self.alternatives:
            if alternative.transcript:
                return alternative.transcript
        return self.dtmf or ""

    @property
    def silent(self) -> bool:
        return not self.text

    def nlu_metadata(self) -> Dict[str, Any]:
        """What actions and NLU components see in ``metadata``: every alternative and the digits."""
        return {
            **self.metadata,
            "channel": "voice",
            "alternatives": [{"transcript": a.transcript, "confidence": a.confidence} for a in self.alternatives],
            "dtmf": self.dtmf,
        }


def webhook_secret(environ: Mapping[str, str] = os.environ) -> Optional[bytes]:
    """The gateway's signing secret, or ``None`` when unset (the embedded default)."""
    secret = environ.get(SECRET_ENV, "")
    return secret.encode() if secret else None


def is_loopback(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback)


def authenticate(secret: Optional[bytes], body: bytes, header: Optional[str], peer: str, now: float) -> None:
    """Raise ``SignatureError`` unless the gateway signed ``body``; without a secret, unless the caller is local.

    A call turn carries what the caller says about their identity, so only the gateway may post one.
    """
    if secret is not None:
        verify(secret, body, header, now, SIGNATURE_TOLERANCE_SECONDS)
    elif not is_loopback(peer):
        raise SignatureError(f"{SECRET_ENV} is not set: only loopback callers are accepted")


def _alternative(raw: Any, index: int) -> Alternative:
    where = f"'alternatives[{index}]'"
    if not isinstance(raw, dict):
        raise InvalidMessage(f"{where} must be an object with 'transcript' and optional 'confidence'")
    transcript = raw.get("transcript", "")
    if transcript is None:
        transcript = ""
    if not isinstance(transcript, str):
        raise InvalidMessage(f"{where}.transcript must be a string")
    if len(transcript) > MAX_TRANSCRIPT_CHARS:
        raise InvalidMessage(f"{where}.transcript must be at most {MAX_TRANSCRIPT_CHARS} characters", status=413)
    confidence = raw.get("confidence")
    if confidence is not None:
        if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            raise InvalidMessage(f"{where}.confidence must be a number between 0 and 1")
        confidence = float(confidence)
    return Alternative(clean_text(transcript), confidence)


def parse_voice_payload(payload: Any) -> VoiceTurn:
    """``{"sender", "alternatives": [{"transcript", "confidence"}], "dtmf"?, "metadata"?}`` or ``InvalidMessage``."""
    if not isinstance(payload, dict):
        raise InvalidMessage("the body must be a JSON object with 'sender' and 'alternatives'")
    sender = parse_sender(payload, "the call id")
    raw_alternatives = payload.get("alternatives", [])
    if raw_alternatives is None:
        raw_alternatives = []
    if not isinstance(raw_alternatives, list):
        raise InvalidMessage("'alternatives' must be a list of {'transcript', 'confidence'} objects")
    if len(raw_alternatives) > MAX_ALTERNATIVES:
        raise InvalidMessage(f"'alternatives' must hold at most {MAX_ALTERNATIVES} entries", status=413)
    alternatives = tuple(_alternative(raw, i) for i, raw in enumerate(raw_alternatives))
    dtmf = payload.get("dtmf")
    if dtmf is not None:
        if not isinstance(dtmf, str) or len(dtmf) > MAX_DTMF_CHARS or not _DTMF.match(dtmf):
            raise InvalidMessage(f"'dtmf' must be a string of at most {MAX_DTMF_CHARS} keypad characters (0-9, *, #)")
        dtmf = dtmf or None
    metadata = payload.get("metadata")
    metadata = {} if metadata is None else metadata
    if not isinstance(metadata, dict):
        raise InvalidMessage("'metadata' must be a JSON object")
    return VoiceTurn(sender.strip(), alternatives, dtmf, metadata)


_MARKDOWN = re.compile(r"(\*\*|__|`|^#+\s*|^\s*[-*]\s+|_(?=\S)|(?<=\S)_)", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_URL = re.compile(r"https?://\S+")


def speakable(text: str) -> str:
    """Text a TTS engine can read: no Markdown, links or URLs, one line."""
    plain = _URL.sub("", _LINK.sub(r"\1", text))
    plain = _MARKDOWN.sub("", plain)
    return re.sub(r"\s+", " ", plain).strip()


def with_spoken_choices(text: str, button_titles: Sequence[str]) -> str:
    """Buttons become "You can say A, or B." (only when the text does not offer them already)."""
    titles = [speakable(t) for t in button_titles if t and speakable(t)]
    if not titles or all(t.lower() in text.lower() for t in titles):
        return text
    choices = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + ", or " + titles[-1]
    return f"{text} You can say {choices}."


def ssml(text: str) -> str:
    """The reply as SSML: escaped, with a short pause between sentences."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return "<speak>" + ' <break time="300ms"/> '.join(html.escape(s, quote=False) for s in sentences) + "</speak>"


@dataclass(frozen=True)
class VoiceReply:
    recipient_id: str
    text: str
    ssml: str
    end_call: bool = False
    handoff: bool = False

    def as_dict(self) -> Dict[str, Any]:
        return {
            "recipient_id": self.recipient_id,
            "text": self.text,
            "ssml": self.ssml,
            "end_call": self.end_call,
            "handoff": self.handoff,
        }


def voice_replies(recipient_id: str, messages: Sequence[Dict[str, Any]]) -> List[VoiceReply]:
    """Rasa's collected bot messages as spoken replies.

    A response's ``custom`` payload (``{"end_call": true}`` on goodbye,
    ``{"handoff": true}`` when an agent takes over) arrives as a message of its
    own; its flags go on the reply before it.
    """
    replies: List[VoiceReply] = []
    for message in messages:
        raw_custom = message.get("custom")
        custom: Dict[str, Any] = raw_custom if isinstance(raw_custom, dict) else {}
        titles = [str(b.get("title", "")) for b in message.get("buttons") or [] if isinstance(b, dict)]
        text = with_spoken_choices(speakable(str(message.get("text") or "")), titles)
        end_call, handoff = bool(custom.get("end_call")), bool(custom.get("handoff"))
        if text:
            replies.append(VoiceReply(recipient_id, text, ssml(text), end_call, handoff))
        elif (end_call or handoff) and replies:
            last = replies[-1]
            replies[-1] = VoiceReply(recipient_id, last.text, last.ssml, last.end_call or end_call,
                                     last.handoff or handoff)
        elif end_call or handoff:
            replies.append(VoiceReply(recipient_id, "", "<speak></speak>", end_call, handoff))
    return replies
