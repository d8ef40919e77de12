"""The contact-centre identity check (handbook section 13) over the app database.

Policy: up to ``max_attempts`` per conversation (``triggers.identity_check_attempts``
in ``config/handoff.yml``, 3 in the handbook); as many failures for one profile
within ``FAILURE_WINDOW`` (in any conversations, on any channel) lock it for
automated checks for ``LOCK_FOR``; a pass is valid for at most
``VERIFIED_FOR``. Callers only learn pass, fail or locked: which detail
matched goes to the audit row alone, as flags, never as the values heard.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from frontdoor.dbtypes import utcnow
from frontdoor.handoff.config import load_config
from frontdoor.identity.decision import Decision, Profile
from frontdoor.identity.evidence import CHANNELS, Evidence
from frontdoor.identity.tables import LOCKOUTS, VERIFICATION_ATTEMPTS
from frontdoor.identity.token import read_token
from frontdoor.transfers.service import REFERENCE, find_reference
from frontdoor.transfers.tables import CUSTOMERS, TRANSFERS

FAILURE_WINDOW = dt.timedelta(minutes=30)
LOCK_FOR = dt.timedelta(minutes=30)
VERIFIED_FOR = dt.timedelta(minutes=30)
MAX_ID_CHARS = 255


class Outcome(str, enum.Enum):
    PASSED = "pass"
    FAILED = "fail"
    LOCKED = "locked"


@dataclass(frozen=True)
class Answers:
    """What the customer gave for each detail: a typed string or an n-best list per detail."""

    name: object = None
    dob: object = None
    postcode: object = None


@dataclass(frozen=True)
class CheckResult:
    """Everything a caller may know about an attempt; deliberately nothing about individual details."""

    outcome: Outcome
    customer_id: Optional[str]
    verified_until: Optional[dt.datetime]
    attempts_left: int
    needs_agent: bool
    reason: Optional[str]

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED


def still_verified(verified_until: Optional[dt.datetime], now: dt.datetime) -> bool:
    """A pass counts for the rest of the conversation, but never beyond its 30 minutes."""
    return verified_until is not None and now < verified_until


def _profile(connection: Connection, customer_id: str) -> Optional[Profile]:
    row = connection.execute(sa.select(CUSTOMERS).where(CUSTOMERS.c.customer_id == customer_id)).first()
    if row is None:
        return None
    return Profile(row.customer_id, row.first_name, row.last_name, row.dob, row.postcode)


def customer_for_reference(engine: Engine, alternatives: object) -> Optional[str]:
    """Whose transfer a reference is (to know whose profile to check against, never to skip the check)."""
    reference = find_reference(alternatives)
    if reference is None or not REFERENCE.fullmatch(reference):
        return None
    with engine.connect() as connection:
        query = sa.select(TRANSFERS.c.customer_id).where(TRANSFERS.c.reference == reference)
        return connection.execute(query).scalar_one_or_none()


class Verifier:
    """Runs, audits and rate-limits identity checks; ``clock`` is injectable so tests control time.

    ``max_attempts`` defaults to ``triggers.identity_check_attempts`` of the handoff config.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], dt.datetime] = utcnow,
        max_attempts: Optional[int] = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.max_attempts = load_config().triggers.identity_check_attempts if max_attempts is None else max_attempts

    def check(
        self, conversation_id: str, answers: Answers, customer_id: Optional[str] = None, channel: str = "chat"
    ) -> CheckResult:
        """One attempt. Without ``customer_id`` the customer is identified from the details alone."""
        _require_id(conversation_id, "conversation_id")
        _require_channel(channel)
        if customer_id is not None:
            _require_id(customer_id, "customer_id")
        if not isinstance(answers, Answers):
            raise TypeError("answers must be an Answers instance")
        now = self.clock()
        evidence = Evidence(today=now.date(), channel=channel)
        for slot, value in (("postcode", answers.postcode), ("name", answers.name), ("dob", answers.dob)):
            evidence.add(slot, value)
        with self.engine.begin() as connection:
            used = self._conversation_failures(connection, conversation_id)
            if used >= self.max_attempts:
                self._audit(connection, conversation_id, customer_id, channel, now, "refused", None)
                return CheckResult(Outcome.FAILED, None, None, 0, True, "unverified")
            identified = customer_id is None
            if identified:
                customer_id = self._identify(connection, evidence)
            profile = _profile(connection, customer_id) if customer_id else None
            if profile is not None and self._locked(connection, profile.customer_id, now):
                self._audit(connection, conversation_id, profile.customer_id, channel, now, "locked", None)
                left = self.max_attempts - used - 1
                if identified:
                    # Saying "locked" here would confirm that the details just given were right.
                    return CheckResult(Outcome.FAILED, None, None, left, left == 0, "unverified" if left == 0 else None)
                return CheckResult(Outcome.LOCKED, None, None, left, True, "unverified")
            decision = evidence.decide(profile) if profile is not None else None
            passed = decision is not None and decision.passed
            known = profile.customer_id if profile is not None else None
            self._audit(connection, conversation_id, known, channel, now, "pass" if passed else "fail", decision)
            if passed:
                return CheckResult(Outcome.PASSED, known, now + VERIFIED_FOR, self.max_attempts - used, False, None)
            left = self.max_attempts - used - 1
            if known is not None and self._recent_failures(connection, known, now) >= self.max_attempts:
                connection.execute(
                    LOCKOUTS.insert().values(
                        customer_id=known, locked_at=now, locked_until=now + LOCK_FOR, conversation_id=conversation_id
                    )
                )
                return CheckResult(Outcome.LOCKED, None, None, max(left, 0), True, "unverified")
            return CheckResult(Outcome.FAILED, None, None, left, left == 0, "unverified" if left == 0 else None)

    def check_token(self, conversation_id: str, token: object, channel: str = "chat") -> Optional[CheckResult]:
        """A valid ``customer_token`` verifies the customer; an invalid one is ignored (``None``) and audited."""
        _require_id(conversation_id, "conversation_id")
        _require_channel(channel)
        now = self.clock()
        claims = read_token(token, now=now)
        with self.engine.begin() as connection:
            profile = _profile(connection, claims.customer_id[:MAX_ID_CHARS]) if claims else None
            if claims is None or profile is None:
                self._audit(connection, conversation_id, None, channel, now, "token_rejected", None)
                return None
            self._audit(connection, conversation_id, profile.customer_id, channel, now, "token_pass", None)
        until = min(now + VERIFIED_FOR, claims.expires_at)
        return CheckResult(Outcome.PASSED, profile.customer_id, until, self.max_attempts, False, None)

    def _identify(self, connection: Connection, evidence: Evidence) -> Optional[str]:
        """The best-matching profile among those sharing a given postcode or date of birth, if it passes."""
        keys = sorted(evidence.candidate_postcodes())[:20]
        dates = sorted(evidence.candidate_dates())[:20]
        if not keys and not dates:
            return None
        query = sa.select(CUSTOMERS).where(sa.or_(CUSTOMERS.c.postcode_key.in_(keys), CUSTOMERS.c.dob.in_(dates)))
        best: tuple[float, str] = (-1.0, "")
        for row in connection.execute(query.limit(5000)):
            profile = Profile(row.customer_id, row.first_name, row.last_name, row.dob, row.postcode)
            decision = evidence.decide(profile)
            if decision.passed:
                best = max(best, (decision.score, profile.customer_id))
        return best[1] or None

    def _conversation_failures(self, connection: Connection, conversation_id: str) -> int:
        query = sa.select(sa.func.count()).where(
            VERIFICATION_ATTEMPTS.c.conversation_id == conversation_id,
            VERIFICATION_ATTEMPTS.c.outcome.in_(("fail", "locked")),
        )
        return int(connection.execute(query).scalar_one())

    def _locked(self, connection: Connection, customer_id: str, now: dt.datetime) -> bool:
        query = sa.select(sa.func.count()).where(LOCKOUTS.c.customer_id == customer_id, LOCKOUTS.c.locked_until > now)
        return bool(connection.execute(query).scalar_one())

    def _recent_failures(self, connection: Connection, customer_id: str, now: dt.datetime) -> int:
        """Failures in the rolling window since the last lockout ended, across conversations and channels."""
        last_lock = connection.execute(
            sa.select(sa.func.max(LOCKOUTS.c.locked_until)).where(LOCKOUTS.c.customer_id == customer_id)
        ).scalar_one()
        since = now - FAILURE_WINDOW
        if last_lock is not None:
            since = max(since, last_lock)
        query = sa.select(sa.func.count()).where(
            VERIFICATION_ATTEMPTS.c.customer_id == customer_id,
            VERIFICATION_ATTEMPTS.c.outcome == "fail",
            VERIFICATION_ATTEMPTS.c.attempted_at >= since,
        )
        return int(connection.execute(query).scalar_one())

    def _audit(
        self,
        connection: Connection,
        conversation_id: str,
        customer_id: Optional[str],
        channel: str,
        now: dt.datetime,
        outcome: str,
        decision: Optional[Decision],
    ) -> None:
        connection.execute(
            VERIFICATION_ATTEMPTS.insert().values(
                conversation_id=conversation_id,
                customer_id=customer_id,
                channel=channel,
                attempted_at=now,
                outcome=outcome,
                name_match=None if decision is None else bool(decision.matched("name")),
                dob_match=None if decision is None else bool(decision.matched("dob")),
                postcode_match=None if decision is None else bool(decision.matched("postcode")),
                score=None if decision is None else round(decision.score, 4),
            )
        )


def _require_id(value: object, name: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_CHARS:
        raise ValueError(f"{name} must be a non-empty string of at most {MAX_ID_CHARS} characters")


def _require_channel(channel: object) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
