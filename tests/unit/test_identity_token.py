"""Signed customer tokens: valid ones verify, every other kind is ignored, logged and audited."""

from __future__ import annotations

import datetime as dt
import logging

import jwt
import pytest
import sqlalchemy as sa

from frontdoor.database import create_schema
from frontdoor.identity.tables import VERIFICATION_ATTEMPTS
from frontdoor.identity.token import SECRET_ENV, issue_token, read_token
from frontdoor.identity.verifier import Verifier
from frontdoor.transfers.tables import CUSTOMERS

SECRET = "s" * 64
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)


def test_valid_token_gives_customer_and_expiry() -> None:
    token = issue_token("en.GB.0", now=NOW, ttl=dt.timedelta(minutes=10))
    claims = read_token(token, now=NOW + dt.timedelta(minutes=9))
    assert claims is not None and claims.customer_id == "en.GB.0"
    assert claims.expires_at == NOW + dt.timedelta(minutes=10)


def test_expired_token_is_ignored_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    token = issue_token("en.GB.0", now=NOW, ttl=dt.timedelta(minutes=10))
    with caplog.at_level(logging.WARNING):
        assert read_token(token, now=NOW + dt.timedelta(minutes=10)) is None
    assert "expired" in caplog.text and token not in caplog.text


def test_bad_signature_is_ignored() -> None:
    forged = jwt.encode({"sub": "en.GB.0", "exp": int(NOW.timestamp()) + 600}, "x" * 40, algorithm="HS256")
    assert read_token(forged, now=NOW) is None


@pytest.mark.parametrize("algorithm", ["HS512", "none"])
def test_other_algorithms_are_refused(algorithm: str) -> None:
    key = None if algorithm == "none" else SECRET
    token = jwt.encode({"sub": "en.GB.0", "exp": int(NOW.timestamp()) + 600}, key, algorithm=algorithm)
    assert read_token(token, now=NOW) is None


def test_missing_claims_and_garbage_are_ignored() -> None:
    assert read_token(jwt.encode({"sub": "en.GB.0"}, SECRET, algorithm="HS256"), now=NOW) is None
    assert read_token(jwt.encode({"exp": int(NOW.timestamp()) + 60}, SECRET, algorithm="HS256"), now=NOW) is None
    for garbage in (None, "", "not.a.token", b"\xff", 42, "a" * 10_000):
        assert read_token(garbage, now=NOW) is None


def test_no_or_short_secret_refuses_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    token = issue_token("en.GB.0", now=NOW)
    monkeypatch.setenv(SECRET_ENV, "short")
    assert read_token(token, now=NOW) is None
    monkeypatch.delenv(SECRET_ENV)
    assert read_token(token, now=NOW) is None
    with pytest.raises(ValueError):
        issue_token("en.GB.0", now=NOW)


def test_verifier_accepts_valid_token_and_audits_rejections(db_engine) -> None:
    create_schema(db_engine)
    with db_engine.begin() as connection:
        connection.execute(CUSTOMERS.insert().values(
            customer_id="en.GB.0", first_name="Teresa", last_name="Smith", full_name="Teresa Smith",
            dob=dt.date(1909, 8, 11), postcode="JE0X 5SB", postcode_key="JE0X5SB", created_at=NOW,
        ))  # fmt: skip
    verifier = Verifier(db_engine, clock=lambda: NOW)
    result = verifier.check_token("c1", issue_token("en.GB.0", now=NOW, ttl=dt.timedelta(minutes=5)))
    assert result is not None and result.passed and result.customer_id == "en.GB.0"
    assert result.verified_until == NOW + dt.timedelta(minutes=5)
    assert verifier.check_token("c2", issue_token("en.GB.404", now=NOW)) is None
    assert verifier.check_token("c3", "garbage") is None
    with db_engine.connect() as connection:
        outcomes = [row.outcome for row in connection.execute(sa.select(VERIFICATION_ATTEMPTS.c.outcome))]
    assert outcomes == ["token_pass", "token_rejected", "token_rejected"]
    with pytest.raises(ValueError):
        verifier.check_token("c4", "garbage", channel="sms")
