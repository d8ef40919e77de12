"""The outbox on SQLite and PostgreSQL: atomic idempotent recording, leased claims, dead-letter, redrive, CLI."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import List

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.__main__ import main as cli
from frontdoor.database import create_schema
from frontdoor.handoff.case import CaseInvalid, case_body
from frontdoor.handoff.outbox import (
    HANDOFF_CASES,
    HANDOFF_OUTBOX,
    Claim,
    claim_due,
    handoff_key,
    list_outbox,
    mark_delivered,
    mark_retry,
    outbox_status,
    record_handoff,
    redrive,
    status_counts,
)
from tests.handoff_support import sample_case

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
LEASE = timedelta(seconds=30)


@pytest.fixture
def engine(db_engine: Engine) -> Engine:
    create_schema(db_engine)
    return db_engine


def count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def claim_one(engine: Engine, now: datetime = T0) -> Claim:
    claims = claim_due(engine, now=now, lease=LEASE, limit=10)
    assert len(claims) == 1
    return claims[0]


def test_record_writes_case_and_outbox_row_once_per_key(engine: Engine) -> None:
    case = sample_case("conv-1")
    first = record_handoff(engine, case, key=handoff_key("conv-1", 1), now=T0)
    retried = record_handoff(engine, sample_case("conv-1"), key=handoff_key("conv-1", 1), now=T0)
    assert first.created and not retried.created
    assert retried.case_id == first.case_id == case["case_id"]
    assert count(engine, HANDOFF_CASES) == count(engine, HANDOFF_OUTBOX) == 1
    second = record_handoff(engine, sample_case("conv-1"), key=handoff_key("conv-1", 2), now=T0)
    assert second.created and second.case_id != first.case_id
    rows = list_outbox(engine)
    assert {r.status for r in rows} == {"pending"} and len(rows) == 2


def test_stored_body_is_the_exact_case_bytes(engine: Engine) -> None:
    case = sample_case()
    record_handoff(engine, case, key="k", now=T0)
    assert claim_one(engine).body == case_body(case)


def test_case_and_outbox_row_commit_together_or_not_at_all(engine: Engine) -> None:
    HANDOFF_OUTBOX.drop(engine)
    with pytest.raises(sa.exc.DBAPIError):
        record_handoff(engine, sample_case(), key="k", now=T0)
    assert count(engine, HANDOFF_CASES) == 0


def test_an_invalid_case_is_rejected_before_anything_is_stored(engine: Engine) -> None:
    case = sample_case()
    case["priority"] = "whenever"
    with pytest.raises(CaseInvalid, match="priority"):
        record_handoff(engine, case, key="k", now=T0)
    assert count(engine, HANDOFF_CASES) == 0


def test_a_claimed_row_is_not_claimed_again_until_its_lease_runs_out(engine: Engine) -> None:
    case_id = record_handoff(engine, sample_case(), key="k", now=T0).case_id
    first = claim_one(engine)
    assert (first.case_id, first.attempts) == (case_id, 1)
    assert claim_due(engine, now=T0 + LEASE - timedelta(seconds=1), lease=LEASE, limit=10) == []
    second = claim_one(engine, T0 + LEASE)
    assert second.attempts == 2 and second.token != first.token
    # The first worker comes back from the dead: its stale claim cannot reschedule the row.
    mark_retry(engine, first, error="late", next_attempt_at=T0 + timedelta(hours=1), now=T0 + LEASE)
    assert outbox_status(engine, case_id) == "delivering"
    mark_delivered(engine, second, now=T0 + LEASE)
    assert outbox_status(engine, case_id) == "delivered"
    assert claim_due(engine, now=T0 + timedelta(days=2), lease=LEASE, limit=10) == []


def test_concurrent_workers_never_claim_the_same_row(engine: Engine) -> None:
    for index in range(24):
        record_handoff(engine, sample_case(f"conv-{index}"), key=f"k{index}", now=T0)
    claimed: List[List[str]] = []
    errors: List[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            mine: List[str] = []
            while batch := claim_due(engine, now=T0, lease=LEASE, limit=5):
                mine += [c.case_id for c in batch]
            claimed.append(mine)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    everything = [case_id for mine in claimed for case_id in mine]
    assert len(everything) == len(set(everything)) == 24


def test_urgent_cases_are_claimed_first(engine: Engine) -> None:
    record_handoff(engine, sample_case("a", category="request_human"), key="a", now=T0)
    urgent = record_handoff(engine, sample_case("b"), key="b", now=T0 + timedelta(seconds=1)).case_id
    assert claim_due(engine, now=T0 + timedelta(seconds=2), lease=LEASE, limit=1)[0].case_id == urgent


def test_retry_schedules_and_dead_letter_then_redrive(engine: Engine) -> None:
    case_id = record_handoff(engine, sample_case(), key="k", now=T0).case_id
    claim = claim_one(engine)
    assert mark_retry(engine, claim, error="HTTP 500", next_attempt_at=T0 + timedelta(minutes=5), now=T0) == "pending"
    assert claim_due(engine, now=T0 + timedelta(minutes=4), lease=LEASE, limit=10) == []
    claim = claim_one(engine, T0 + timedelta(minutes=5))
    assert mark_retry(engine, claim, error="HTTP 503", next_attempt_at=None, now=T0) == "failed"
    failed = list_outbox(engine, status="failed")
    assert [(r.case_id, r.attempts, r.last_error) for r in failed] == [(case_id, 2, "HTTP 503")]
    assert status_counts(engine)["failed"] == 1
    assert claim_due(engine, now=T0 + timedelta(days=9), lease=LEASE, limit=10) == []
    later = T0 + timedelta(days=3)
    assert redrive(engine, now=later) == 1
    assert redrive(engine, now=later) == 0
    claim = claim_one(engine, later)
    assert claim.attempts == 1 and claim.retry_from == later


def test_cli_lists_failed_cases_and_redrives_them(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    case_id = record_handoff(engine, sample_case(), key="k", now=T0).case_id
    other = record_handoff(engine, sample_case("conv-2"), key="k2", now=T0).case_id
    claims = {c.case_id: c for c in claim_due(engine, now=T0, lease=LEASE, limit=10)}
    mark_retry(engine, claims[case_id], error="HTTP 500: boom", next_attempt_at=None, now=T0)
    assert cli(["handoff", "list", "--failed"], engine=engine) == 0
    out = capsys.readouterr().out
    assert case_id in out and other not in out and "HTTP 500: boom" in out and "failed: 1" in out
    assert cli(["handoff", "list", "--json"], engine=engine) == 0
    assert capsys.readouterr().out.count('"case_id"') == 2
    assert cli(["handoff", "redrive", other], engine=engine) == 1
    assert cli(["handoff", "redrive", case_id], engine=engine) == 0
    assert "queued 1 case(s)" in capsys.readouterr().out
    assert outbox_status(engine, case_id) == "pending"
    assert cli(["handoff", "redrive", "--all-failed"], engine=engine) == 0
    assert "queued 0 case(s)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli(["handoff", "redrive"], engine=engine)
