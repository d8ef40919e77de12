"""The webhook signature scheme shared by the handoff deliveries and the voice webhook."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from frontdoor.signing import SignatureError, sign, verify

SECRET = b"k3y"
BODY = b'{"case_id":"abc","x":"\xc3\xa9"}'
T = 1764590400


def independent(body: bytes, timestamp: int, secret: bytes = SECRET) -> str:
    """The header computed with hmac directly, not with the code under test."""
    return f"t={timestamp},v1={hmac.new(secret, f'{timestamp}.'.encode() + body, hashlib.sha256).hexdigest()}"


def test_the_header_matches_an_independent_hmac_and_verifies() -> None:
    assert sign(SECRET, BODY, T) == independent(BODY, T)
    verify(SECRET, BODY, independent(BODY, T), now=T, tolerance=300)


def test_a_rotated_secret_may_send_several_signatures() -> None:
    verify(SECRET, BODY, f"t={T},v1={'0' * 64},v1={independent(BODY, T).split('v1=')[1]}", now=T, tolerance=300)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "missing X-Frontdoor-Signature"),
        ("", "missing X-Frontdoor-Signature"),
        (independent(BODY, T, secret=b"other"), "does not match"),
        (independent(BODY + b" ", T), "does not match"),
        (independent(BODY, T).replace(f"t={T}", f"t={T + 1}"), "does not match"),
        (f"t={T},v1=", "malformed"),
        (f"v1={'0' * 64}", "malformed"),
        (f"t=soon,v1={'0' * 64}", "malformed"),
        (f"t=-{T},v1={'0' * 64}", "malformed"),
        ("garbage", "malformed"),
    ],
    ids=["unsigned", "empty", "wrong-secret", "tampered-body", "moved-timestamp", "no-v1", "no-t", "t-not-a-number",
         "negative-t", "garbage"],
)
def test_bad_signatures_are_rejected_with_the_reason(header: str, reason: str) -> None:
    with pytest.raises(SignatureError, match=reason):
        verify(SECRET, BODY, header, now=T, tolerance=300)


@pytest.mark.parametrize("offset", [-301, 301], ids=["stale", "future"])
def test_timestamps_outside_the_window_are_rejected(offset: int) -> None:
    with pytest.raises(SignatureError, match="stale"):
        verify(SECRET, BODY, independent(BODY, T + offset), now=T, tolerance=300)


@pytest.mark.parametrize("offset", [-300, 300])
def test_timestamps_at_the_edge_of_the_window_are_accepted(offset: int) -> None:
    verify(SECRET, BODY, independent(BODY, T + offset), now=T, tolerance=300)


def test_the_signature_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    verify(SECRET, BODY, independent(BODY, T), now=T, tolerance=300)
    assert compared == [(independent(BODY, T).split("v1=")[1],) * 2]
