"""Twilio's voice webhook: the form it posts, checked and signed, read as one caller turn.

Twilio posts ``application/x-www-form-urlencoded`` parameters (``CallSid``, ``From``, ``CallStatus``, and after a
``<Gather>`` ``SpeechResult``, ``Confidence`` or ``Digits``) and signs them in ``X-Twilio-Signature``: an HMAC of
the URL it called plus the sorted parameters, keyed by the account's auth token. A turn carries what the caller
says about their identity, so only Twilio may post one; without a token, only a local, unproxied caller may.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from dataclasses import dataclass
from typing import Dict, Mapping, Optional

from twilio.request_validator import RequestValidator

from frontdoor.inbound import InvalidMessage, clean_text
from frontdoor.signing import SignatureError
from frontdoor.voice import MAX_DTMF_CHARS, MAX_TRANSCRIPT_CHARS, Alternative, VoiceTurn, is_loopback

AUTH_TOKEN_ENV = "TWILIO_AUTH_TOKEN"
PUBLIC_URL_ENV = "TWILIO_PUBLIC_URL"
SIGNATURE_HEADER = "X-Twilio-Signature"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_BODY_BYTES = 64 * 1024
MAX_FIELD_CHARS = 256
"""The parameters read besides ``SpeechResult`` (SID, status, digits, confidence) are short."""
GATEWAY = "twilio"
_CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
_DIGITS = re.compile(r"^[0-9*#]*$")
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For")
CALL_START = "ringing"
"""``CallStatus`` of the first request of an incoming call, before the caller has said anything."""
CALL_OVER = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
"""A status callback pointed at this URL: nothing to say to anyone."""


def auth_token(environ: Mapping[str, str] = os.environ) -> Optional[str]:
    """The account's auth token, or ``None`` when unset (the embedded default)."""
    return environ.get(AUTH_TOKEN_ENV) or None


def signed_url(request_url: str, path: str, query: str, environ: Mapping[str, str] = os.environ) -> str:
    """The URL Twilio signed: ``TWILIO_PUBLIC_URL`` + path + query behind a proxy, else the URL as requested."""
    base = environ.get(PUBLIC_URL_ENV, "").rstrip("/")
    if not base:
        return request_url
    return base + path + (f"?{query}" if query else "")


def is_forwarded(headers: Mapping[str, str]) -> bool:
    """A proxy relayed this request (``headers`` is the framework's case-insensitive mapping)."""
    return any(headers.get(name) for name in FORWARDING_HEADERS)


def authenticate(
    token: Optional[str],
    url: str,
    params: Mapping[str, str],
    signature: Optional[str],
    peer: str,
    forwarded: bool,
) -> None:
    """Raise ``SignatureError`` unless Twilio signed this request; without a token, unless the caller is local.

    A proxy on the same host makes every caller look local, so a forwarded request needs the token too.
    """
    if token is not None:
        if not signature:
            raise SignatureError(f"missing {SIGNATURE_HEADER} header")
        if not RequestValidator(token).validate(url, dict(params), signature):
            raise SignatureError(f"{SIGNATURE_HEADER} does not match")
    elif forwarded or not is_loopback(peer):
        raise SignatureError(f"{AUTH_TOKEN_ENV} is not set: only local, unproxied callers are accepted")


def parse_form(body: bytes, content_type: Optional[str]) -> Dict[str, str]:
    """The posted parameters, or ``InvalidMessage`` for anything Twilio would not send."""
    if len(body) > MAX_BODY_BYTES:
        raise InvalidMessage(f"the body must be at most {MAX_BODY_BYTES} bytes", status=413)
    if (content_type or "").split(";")[0].strip().lower() != FORM_CONTENT_TYPE:
        raise InvalidMessage(f"the body must be {FORM_CONTENT_TYPE}", status=415)
    try:
        text = body.decode("utf-8")
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidMessage(f"the body is not UTF-8 form data ({error.__class__.__name__})") from error
    params: Dict[str, str] = {}
    for key, value in pairs:
        if key in params:
            raise InvalidMessage(f"'{key}' is given more than once")
        params[key] = value
    return params


@dataclass(frozen=True)
class TwilioTurn:
    """One webhook request of a call. ``CallSid`` is the conversation id for the whole call."""

    call_sid: str
    call_status: str
    speech: str = ""
    confidence: Optional[float] = None
    digits: Optional[str] = None

    @property
    def starts_call(self) -> bool:
        """The call has just come in: the bot speaks first."""
        return self.call_status == CALL_START and not self.speech and not self.digits

    @property
    def call_over(self) -> bool:
        return self.call_status in CALL_OVER

    def voice_turn(self) -> VoiceTurn:
        """The same turn the voice channel builds, so NLU normalises and fills entities exactly as for it."""
        alternatives = (Alternative(self.speech, self.confidence),) if self.speech else ()
        return VoiceTurn(self.call_sid, alternatives, self.digits, {"gateway": GATEWAY})


def _field(params: Mapping[str, str], name: str, limit: int = MAX_FIELD_CHARS) -> str:
    value = params.get(name, "")
    if len(value) > limit:
        raise InvalidMessage(f"'{name}' must be at most {limit} characters", status=413)
    return value


def _confidence(raw: str) -> Optional[float]:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:  # also false for nan
        raise InvalidMessage("'Confidence' must be a number between 0 and 1")
    return value


def parse_turn(params: Mapping[str, str]) -> TwilioTurn:
    """A call turn from Twilio's parameters, or ``InvalidMessage`` naming the parameter."""
    call_sid = _field(params, "CallSid")
    if not _CALL_SID.match(call_sid):
        raise InvalidMessage("'CallSid' must be a Twilio call SID ('CA' and 32 hexadecimal digits)")
    digits = _field(params, "Digits")
    if len(digits) > MAX_DTMF_CHARS or not _DIGITS.match(digits):
        raise InvalidMessage(f"'Digits' must be at most {MAX_DTMF_CHARS} keypad characters (0-9, *, #)")
    return TwilioTurn(
        call_sid=call_sid,
        call_status=_field(params, "CallStatus").strip().lower(),
        speech=clean_text(_field(params, "SpeechResult", MAX_TRANSCRIPT_CHARS)),
        confidence=_confidence(_field(params, "Confidence").strip()),
        digits=digits or None,
    )
