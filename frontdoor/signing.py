"""Webhook signatures: ``X-Frontdoor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``.

One scheme for every webhook we send or receive (handoff deliveries, the
voice gateway's calls). The timestamp is signed with the body so a captured
request cannot be replayed after the tolerance window; receivers compare in
constant time. Several ``v1`` values may be sent while a secret is being rotated.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import List, Optional, Tuple

SIGNATURE_HEADER = "X-Frontdoor-Signature"


class SignatureError(ValueError):
    """Why a request's signature is not acceptable (missing, malformed, stale or wrong)."""


def signature(secret: bytes, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body``."""
    return hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    """The header value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def parse_header(header: str) -> Tuple[int, List[str]]:
    timestamp: Optional[int] = None
    signatures: List[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value.lower())
    if timestamp is None or not signatures:
        raise SignatureError("malformed signature header")
    return timestamp, signatures


def verify(secret: bytes, body: bytes, header: Optional[str], now: float, tolerance: int) -> None:
    """Raise ``SignatureError`` unless ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds of now."""
    if not header:
        raise SignatureError(f"missing {SIGNATURE_HEADER} header")
    timestamp, signatures = parse_header(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureError("stale signature timestamp")
    expected = signature(secret, body, timestamp)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("signature does not match")
