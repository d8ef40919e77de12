"""Signed customer tokens from the authenticated app chat (``customer_token`` in the message metadata).

JWT HS256 signed with ``CUSTOMER_TOKEN_SECRET``, subject = customer id, with
an expiry. A valid token means the app already verified the customer; anything
else (no secret configured, bad signature, other algorithm, expired, malformed)
is ignored and logged, and the customer goes through the normal check.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from typing import Optional

import jwt

from frontdoor.dbtypes import utcnow

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
SECRET_ENV = "CUSTOMER_TOKEN_SECRET"
MIN_SECRET_BYTES = 32
"""HS256 keys shorter than the hash output are guessable offline."""
MAX_TOKEN_CHARS = 4096
DEFAULT_TTL = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class TokenClaims:
    customer_id: str
    expires_at: dt.datetime


def _secret(secret: Optional[str]) -> Optional[str]:
    value = secret if secret is not None else os.environ.get(SECRET_ENV, "")
    return value if len(value.encode()) >= MIN_SECRET_BYTES else None


def issue_token(
    customer_id: str, secret: Optional[str] = None, ttl: dt.timedelta = DEFAULT_TTL, now: Optional[dt.datetime] = None
) -> str:
    """What the app backend does after login; here for tests and the demo."""
    key = _secret(secret)
    if key is None:
        raise ValueError(f"{SECRET_ENV} must be set to at least {MIN_SECRET_BYTES} bytes")
    issued = now or utcnow()
    claims = {"sub": customer_id, "iat": int(issued.timestamp()), "exp": int((issued + ttl).timestamp())}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_token(token: object, secret: Optional[str] = None, now: Optional[dt.datetime] = None) -> Optional[TokenClaims]:
    """The claims of a valid token, else ``None`` (the reason is logged, never the token itself)."""
    key = _secret(secret)
    if key is None:
        log.warning("customer_token ignored: %s is not set (or shorter than %d bytes)", SECRET_ENV, MIN_SECRET_BYTES)
        return None
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        log.warning("customer_token ignored: not a token string")
        return None
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"], "verify_exp": False}
        )
    except jwt.PyJWTError as error:
        log.warning("customer_token ignored: %s", type(error).__name__)
        return None
    subject, expires = claims.get("sub"), claims.get("exp")
    if not isinstance(subject, str) or not subject or not isinstance(expires, int | float):
        log.warning("customer_token ignored: malformed claims")
        return None
    expires_at = dt.datetime.fromtimestamp(expires, dt.timezone.utc)
    if (now or utcnow()) >= expires_at:
        log.warning("customer_token ignored: expired")
        return None
    return TokenClaims(subject, expires_at)
