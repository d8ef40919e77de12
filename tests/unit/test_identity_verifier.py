"""Identity-check policy on a real database (SQLite and PostgreSQL): attempts, lockout, expiry, audit."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from frontdoor.database import create_schema
from frontdoor.handoff.config import load_config
from frontdoor.identity.tables import LOCKOUTS, VERIFICATION_ATTEMPTS
from frontdoor.identity.verifier import (
    LOCK_FOR,
    Answers,
    Outcome,
    Verifier,
    customer_for_reference,
    still_verified,
)
from frontdoor.transfers.tables import CUSTOMERS, TRANSFERS

START = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
RIGHT = Answers(name="Teresa Smith", dob="11/08/1909", postcode="JE0X 5SB")
WRONG = Answers(name="Teresa Smith", dob="12/03/1950", postcode="JE0X 5SB")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def engine(db_engine):
    create_schema(db_engine)
    with db_engine.begin() as connection:
        connection.execute(
            CUSTOMERS.insert(),
            [
                {"customer_id": "en.GB.0", "first_name": "Teresa", "last_name": "Smith", "full_name": "Teresa Smith",
                 "dob": dt.date(1909, 8, 11), "postcode": "JE0X 5SB", "postcode_key": "JE0X5SB", "created_at": START},
                {"customer_id": "en.GB.1", "first_name": "Antony", "last_name": "Shaw", "full_name": "Antony Shaw",
                 "dob": dt.date(1939, 6, 3), "postcode": "AL6N 0TW", "postcode_key": "AL6N0TW", "created_at": START},
            ],
        )  # fmt: skip
        connection.execute(
            TRANSFERS.insert().values(
                reference="ZS40318822", customer_id="en.GB.0", created_at=START, send_currency="GBP",
                send_amount=100, fee=1.99, fx_rate=160, receive_country="Kenya", receive_currency="KES",
                receive_amount=16000, delivery_method="mobile_money", payout_partner="M-Pesa",
                recipient_name="Mwangi Njoroge", recipient_phone="+254700000000", payment_method="debit_card",
                status="sent_to_partner", promised_by=START, updated_at=START,
            )
        )  # fmt: skip
    return db_engine


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_right_details_pass_for_30_minutes(engine, clock) -> None:
    result = Verifier(engine, clock).check("c1", RIGHT, customer_id="en.GB.0")
    assert result.outcome is Outcome.PASSED and result.customer_id == "en.GB.0"
    assert still_verified(result.verified_until, START + dt.timedelta(minutes=29))
    assert not still_verified(result.verified_until, START + dt.timedelta(minutes=30))


def test_voice_nbest_passes(engine, clock) -> None:
    spoken = Answers(
        name=["Teresa Smyth", "Theresa Smith"],
        dob=["the eleventh of august nineteen oh nine"],
        postcode=["juliet echo zero x-ray five sierra bravo", "juliet echo oh x ray 5 s b"],
    )
    assert Verifier(engine, clock).check("c1", spoken, customer_id="en.GB.0", channel="voice").passed


def test_identification_from_details_alone(engine, clock) -> None:
    result = Verifier(engine, clock).check("c1", RIGHT)
    assert result.passed and result.customer_id == "en.GB.0"
    stranger = Answers(name="Nobody Here", dob="1/1/1990", postcode="ZZ9 9ZZ")
    assert Verifier(engine, clock).check("c2", stranger).outcome is Outcome.FAILED


def test_customer_from_transfer_reference(engine) -> None:
    assert customer_for_reference(engine, "it's about ZS 4031 8822") == "en.GB.0"
    assert customer_for_reference(engine, "ZS99999999") is None
    assert customer_for_reference(engine, None) is None


def test_three_failures_end_the_conversation_and_lock_the_profile(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    first = verifier.check("c1", WRONG, customer_id="en.GB.0")
    assert first.outcome is Outcome.FAILED and first.attempts_left == 2 and not first.needs_agent
    verifier.check("c1", WRONG, customer_id="en.GB.0")
    third = verifier.check("c1", WRONG, customer_id="en.GB.0")
    assert third.outcome is Outcome.LOCKED and third.needs_agent and third.reason == "unverified"
    fourth = verifier.check("c1", RIGHT, customer_id="en.GB.0")
    assert not fourth.passed and fourth.attempts_left == 0


def test_the_number_of_attempts_comes_from_the_handoff_config(engine, clock, tmp_path, monkeypatch) -> None:
    assert Verifier(engine, clock).max_attempts == load_config().triggers.identity_check_attempts == 3
    config = tmp_path / "handoff.yml"
    config.write_text("triggers:\n  identity_check_attempts: 2\n", encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_HANDOFF_CONFIG", str(config))
    load_config.cache_clear()
    try:
        verifier = Verifier(engine, clock)
        first = verifier.check("c1", WRONG, customer_id="en.GB.0")
        assert first.attempts_left == 1 and not first.needs_agent
        second = verifier.check("c1", WRONG, customer_id="en.GB.0")
        assert second.needs_agent and second.reason == "unverified" and second.attempts_left == 0
    finally:
        load_config.cache_clear()


def test_lockout_holds_across_conversations_and_channels_then_expires(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    for _ in range(verifier.max_attempts):
        verifier.check("c1", WRONG, customer_id="en.GB.0")
    clock.advance(minutes=5)
    assert verifier.check("c2", RIGHT, customer_id="en.GB.0", channel="voice").outcome is Outcome.LOCKED
    by_details_alone = verifier.check("c3", RIGHT)
    assert by_details_alone.outcome is Outcome.FAILED, "a locked profile must not confirm guessed details"
    clock.now = START + LOCK_FOR + dt.timedelta(seconds=1)
    assert verifier.check("c4", RIGHT, customer_id="en.GB.0").passed


def test_same_wrong_answer_in_new_conversations_counts(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    for conversation in ("a", "b", "c"):
        result = verifier.check(conversation, WRONG, customer_id="en.GB.0")
        clock.advance(minutes=2)
    assert result.outcome is Outcome.LOCKED
    assert verifier.check("d", RIGHT, customer_id="en.GB.0").outcome is Outcome.LOCKED
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(LOCKOUTS)).scalar_one() == 1


def test_failures_outside_the_window_do_not_lock(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    for conversation in ("a", "b", "c"):
        result = verifier.check(conversation, WRONG, customer_id="en.GB.0")
        clock.advance(minutes=20)
    assert result.outcome is Outcome.FAILED


def test_other_profiles_are_not_locked(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    for _ in range(verifier.max_attempts):
        verifier.check("c1", WRONG, customer_id="en.GB.0")
    right_for_antony = Answers(name="Antony Shaw", dob="3 June 1939", postcode="AL6N 0TW")
    assert verifier.check("c2", right_for_antony, customer_id="en.GB.1").passed


def test_result_never_says_which_detail_was_wrong(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    wrong_name = verifier.check("c1", Answers(name="Bob Jones", dob="11/08/1909", postcode="JE0X 5SB"), "en.GB.0")
    wrong_dob = verifier.check("c2", WRONG, customer_id="en.GB.0")
    assert (wrong_name.outcome, wrong_name.reason, wrong_name.verified_until) == (
        wrong_dob.outcome, wrong_dob.reason, wrong_dob.verified_until,
    )  # fmt: skip
    assert set(vars(wrong_name)) == {"outcome", "customer_id", "verified_until", "attempts_left", "needs_agent",
                                     "reason"}  # fmt: skip


def test_every_attempt_is_audited_without_raw_details(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    verifier.check("c1", RIGHT, customer_id="en.GB.0")
    verifier.check("c2", WRONG, customer_id="en.GB.0")
    verifier.check("c3", Answers(name="x", dob="1 May 1990", postcode="SW1A 1AA"), customer_id="en.GB.1")
    with engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(sa.select(VERIFICATION_ATTEMPTS))]
    assert [r["outcome"] for r in rows] == ["pass", "fail", "fail"]
    assert rows[1]["dob_match"] is False and rows[1]["postcode_match"] is True
    dump = repr(rows).lower()
    for secret in ("1909", "08-11", "je0x", "5sb", "1950", "1990", "sw1a", "teresa", "smith", "antony"):
        assert secret not in dump


@pytest.mark.parametrize(
    "conversation_id, customer_id, channel",
    [("", None, "chat"), ("x" * 300, None, "chat"), (None, None, "chat"), ("c1", "", "chat"), ("c1", None, "fax")],
)
def test_bad_arguments_are_clear_errors(engine, clock, conversation_id, customer_id, channel) -> None:
    with pytest.raises(ValueError):
        Verifier(engine, clock).check(conversation_id, RIGHT, customer_id=customer_id, channel=channel)


def test_garbage_answers_and_unknown_customer_fail_cleanly(engine, clock) -> None:
    verifier = Verifier(engine, clock)
    garbage = Answers(name=b"\xff\x00", dob=12345, postcode=["\x00" * 10_000])
    assert verifier.check("c1", garbage, customer_id="en.GB.0").outcome is Outcome.FAILED
    assert verifier.check("c2", RIGHT, customer_id="no-such-customer").outcome is Outcome.FAILED
    with pytest.raises(TypeError):
        verifier.check("c3", {"name": "Teresa Smith"}, customer_id="en.GB.0")  # type: ignore[arg-type]
