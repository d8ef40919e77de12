"""Outbox to receiver over real loopback HTTP, with faults: receiver down, 500s, lost acks, timeouts,
the delivery worker SIGKILLed mid-delivery, the retry window running out. Every case must arrive, once.

The receiver is the real ``frontdoor.queue`` app; faults are injected by a middleware in front of its
handler. Retries are driven with an injectable clock, so no test sleeps through a backoff.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional, Set

import pytest
from aiohttp import web
from sqlalchemy.engine import Engine

from frontdoor.__main__ import main as cli
from frontdoor.database import create_schema
from frontdoor.handoff.case import case_body
from frontdoor.handoff.config import Delivery
from frontdoor.handoff.delivery import DeliveryWorker
from frontdoor.handoff.outbox import handoff_key, list_outbox, outbox_status, record_handoff, status_counts
from frontdoor.paths import ROOT
from frontdoor.queue.app import make_app
from frontdoor.queue.store import create_queue_schema, list_cases
from tests.conftest import POSTGRES_URL
from tests.handoff_support import CARD, DOB, PHONE, POSTCODE, free_port, leaked, sample_case

SECRET = b"integration-secret"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Clock:
    """A settable UTC clock shared by the worker and the receiver."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Faults:
    """What the middleware in front of the real receiver handler does to each POST."""

    fail_first: int = 0
    always_fail: bool = False
    reject: bool = False
    fail_body: str = "queue is having a bad day"
    drop_ack: Set[int] = field(default_factory=set)
    slow: Set[int] = field(default_factory=set)
    seen: List[Dict[str, Any]] = field(default_factory=list)


def fault_middleware(faults: Faults) -> Any:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST":
            return await handler(request)
        body = await request.read()
        faults.seen.append({"headers": dict(request.headers), "body": body})
        number = len(faults.seen)
        if faults.reject:
            return web.Response(status=400, text="we cannot take this case")
        if faults.always_fail or number <= faults.fail_first:
            return web.Response(status=500, text=faults.fail_body)
        if number in faults.slow:
            await asyncio.sleep(2)
        response = await handler(request)
        if number in faults.drop_ack:
            return web.Response(status=502, text="the ack got lost")
        return response

    return middleware


@pytest.fixture
def engine(db_engine: Engine) -> Engine:
    create_schema(db_engine)
    create_queue_schema(db_engine)
    return db_engine


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def start_receiver(engine: Engine, port: int, faults: Faults, clock: Optional[Clock] = None) -> web.AppRunner:
    now: Callable[[], float] = (lambda: clock().timestamp()) if clock else time.time
    app = make_app(engine, SECRET, clock=now)
    app.middlewares.append(fault_middleware(faults))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


@pytest.fixture
async def receiver(engine: Engine, clock: Clock) -> AsyncIterator[tuple[int, Faults]]:
    port, faults = free_port(), Faults()
    runner = await start_receiver(engine, port, faults, clock)
    yield port, faults
    await runner.cleanup()


def settings(port: int, **overrides: Any) -> Delivery:
    values: Dict[str, Any] = {
        "webhook_url": f"http://127.0.0.1:{port}/cases",
        "timeout_seconds": 1.0,
        "backoff_base_seconds": 1.0,
        "backoff_max_seconds": 30.0,
        "lease_seconds": 30.0,
        "retry_window": timedelta(hours=24),
    }
    values.update(overrides)
    return Delivery(**values)


def record(engine: Engine, count: int, clock: Clock) -> List[Dict[str, Any]]:
    cases = [sample_case(f"conv-{i}") for i in range(count)]
    for case in cases:
        record_handoff(engine, case, key=handoff_key(case["conversation_id"], 1), now=clock())
    return cases


async def drive(worker: DeliveryWorker, clock: Clock, engine: Engine, rounds: int = 200) -> None:
    """Run the worker, jumping the clock over each backoff, until nothing is pending (bounded)."""
    for _ in range(rounds):
        counts = status_counts(engine)
        if counts["pending"] == counts["delivering"] == 0:
            return
        if not await worker.run_once():
            clock.advance(worker.settings.backoff_max_seconds + 1)
    raise AssertionError(f"outbox did not settle: {status_counts(engine)}")


def stored_ids(engine: Engine) -> List[str]:
    return [stored.case["case_id"] for stored in list_cases(engine)]


async def test_delivery_posts_the_stored_bytes_signed_with_an_idempotency_key(
    engine: Engine, receiver: tuple[int, Faults], clock: Clock
) -> None:
    port, faults = receiver
    cases = record(engine, 3, clock)
    worker = DeliveryWorker(engine, settings(port), SECRET, clock=clock)
    try:
        assert await worker.run_once() == 3
    finally:
        await worker.close()
    assert status_counts(engine)["delivered"] == 3
    by_id = {case["case_id"]: case for case in cases}
    for request in faults.seen:
        headers, body = request["headers"], request["body"]
        case_id = headers["Idempotency-Key"]
        assert body == case_body(by_id[case_id])
        t, v1 = (part.split("=", 1)[1] for part in headers["X-Frontdoor-Signature"].split(","))
        assert int(t) == int(clock().timestamp())
        assert v1 == hmac.new(SECRET, t.encode() + b"." + body, hashlib.sha256).hexdigest()
        assert headers["Content-Type"] == "application/json"
    assert sorted(stored_ids(engine)) == sorted(by_id)


async def test_receiver_down_for_the_first_attempts(engine: Engine, clock: Clock) -> None:
    port, faults, down_for = free_port(), Faults(), 3
    (case,) = record(engine, 1, clock)
    worker = DeliveryWorker(engine, settings(port), SECRET, clock=clock)
    runner = None
    try:
        for attempt in range(1, down_for + 1):
            assert await worker.run_once() == 1
            row = list_outbox(engine)[0]
            assert (row.status, row.attempts) == ("pending", attempt)
            assert "ClientConnectorError" in (row.last_error or "")
            clock.advance(31)
        runner = await start_receiver(engine, port, faults, clock)
        await drive(worker, clock, engine)
    finally:
        await worker.close()
        if runner:
            await runner.cleanup()
    row = list_outbox(engine)[0]
    assert (row.status, row.attempts) == ("delivered", down_for + 1)
    assert stored_ids(engine) == [case["case_id"]]


async def test_receiver_answering_500_then_recovering(
    engine: Engine, receiver: tuple[int, Faults], clock: Clock
) -> None:
    port, faults = receiver
    faults.fail_first = 5
    cases = record(engine, 3, clock)
    worker = DeliveryWorker(engine, settings(port), SECRET, clock=clock)
    try:
        await drive(worker, clock, engine)
    finally:
        await worker.close()
    assert status_counts(engine)["delivered"] == 3
    assert sorted(stored_ids(engine)) == sorted(c["case_id"] for c in cases)
    assert len(faults.seen) == 5 + 3
    assert {r.last_error for r in list_outbox(engine)} <= {None, "HTTP 500: queue is having a bad day"}


async def test_lost_acks_and_timeouts_are_retried_and_deduplicated_by_the_receiver(
    engine: Engine, receiver: tuple[int, Faults], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    port, faults = receiver
    faults.drop_ack, faults.slow = {1, 2}, {3}
    cases = record(engine, 2, clock)
    worker = DeliveryWorker(engine, settings(port, timeout_seconds=0.5), SECRET, clock=clock)
    try:
        await drive(worker, clock, engine)
    finally:
        await worker.close()
    stored = list_cases(engine)
    assert sorted(s.case["case_id"] for s in stored) == sorted(c["case_id"] for c in cases)
    assert sum(s.receipts for s in stored) > len(stored), "some cases were delivered more than once"
    assert "timed out after 0.5 s" in caplog.text and "HTTP 502: the ack got lost" in caplog.text
    assert status_counts(engine)["delivered"] == 2


async def test_dead_letter_after_the_retry_window_then_redrive(
    engine: Engine, receiver: tuple[int, Faults], clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    port, faults = receiver
    faults.always_fail = True
    (case,) = record(engine, 1, clock)
    worker = DeliveryWorker(engine, settings(port, retry_window=timedelta(minutes=10)), SECRET, clock=clock)
    try:
        await drive(worker, clock, engine)
        row = list_outbox(engine)[0]
        assert row.status == "failed" and row.attempts > 5
        assert clock() - row.created_at >= timedelta(minutes=10)
        assert cli(["handoff", "list", "--failed"], engine=engine) == 0
        assert case["case_id"] in capsys.readouterr().out
        faults.always_fail = False
        assert cli(["handoff", "redrive", "--all-failed"], engine=engine) == 0
        assert outbox_status(engine, case["case_id"]) == "pending"
        assert await worker.run_once() == 1
    finally:
        await worker.close()
    assert outbox_status(engine, case["case_id"]) == "delivered"
    assert stored_ids(engine) == [case["case_id"]]


async def test_401_is_retried_but_400_dead_letters_at_once(
    engine: Engine, receiver: tuple[int, Faults], clock: Clock
) -> None:
    port, faults = receiver
    (case,) = record(engine, 1, clock)
    wrong = DeliveryWorker(engine, settings(port), b"wrong-secret", clock=clock)
    try:
        assert await wrong.run_once() == 1
    finally:
        await wrong.close()
    row = list_outbox(engine)[0]
    assert row.status == "pending" and "HTTP 401" in (row.last_error or ""), "a fixed secret must still deliver"
    faults.reject = True
    clock.advance(60)
    worker = DeliveryWorker(engine, settings(port), SECRET, clock=clock)
    try:
        assert await worker.run_once() == 1
    finally:
        await worker.close()
    row = list_outbox(engine)[0]
    assert (row.status, row.attempts) == ("failed", 2)
    assert stored_ids(engine) == []


def subprocess_database_url(engine: Engine) -> str:
    """The test database as a URL a child process can open (PostgreSQL: schema via the options parameter)."""
    if engine.dialect.name == "sqlite":
        return engine.url.render_as_string(hide_password=False)
    with engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def start_worker(engine: Engine, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": subprocess_database_url(engine),
        "HANDOFF_WEBHOOK_URL": f"http://127.0.0.1:{port}/cases",
        "HANDOFF_WEBHOOK_SECRET": SECRET.decode(),
        "HANDOFF_LEASE_SECONDS": "2",
        "HANDOFF_TIMEOUT_SECONDS": "1.5",
        "HANDOFF_POLL_SECONDS": "0.2",
        "HANDOFF_BACKOFF_BASE_SECONDS": "0.2",
        "HANDOFF_BACKOFF_MAX_SECONDS": "0.5",
    }
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "frontdoor.handoff.worker"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


async def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def test_worker_killed_mid_delivery_and_restarted_delivers_every_case_once(
    engine: Engine, tmp_path: Path
) -> None:
    cases = record(engine, 5, Clock())
    port = free_port()
    hold = asyncio.Event()
    stored_before_kill = asyncio.Event()

    @web.middleware
    async def store_then_hang(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if not hold.is_set():
            stored_before_kill.set()
            await hold.wait()
        return response

    app = make_app(engine, SECRET)
    app.middlewares.append(store_then_hang)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    log = tmp_path / "worker.log"
    first = start_worker(engine, port, log)
    second = None
    try:
        await asyncio.wait_for(stored_before_kill.wait(), timeout=20)
        first.send_signal(signal.SIGKILL)
        assert await asyncio.to_thread(first.wait, 10) == -signal.SIGKILL
        assert status_counts(engine)["delivering"] >= 1, "the dead worker held claims"
        assert status_counts(engine)["delivered"] == 0
        hold.set()
        second = start_worker(engine, port, log)
        await wait_for(lambda: status_counts(engine)["delivered"] == 5, 30, "all cases delivered after restart")
        second.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(second.wait, 15) == 0
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        await runner.cleanup()
    stored = list_cases(engine)
    ids = [s.case["case_id"] for s in stored]
    assert len(ids) == len(set(ids)) == 5 and set(ids) == {c["case_id"] for c in cases}
    assert any(s.receipts > 1 for s in stored), "a case stored before the kill was delivered again"
    output = log.read_text()
    assert "stopped cleanly" in output
    assert leaked(output) == []


async def test_no_sensitive_value_reaches_the_payload_the_queue_or_the_logs(
    engine: Engine, receiver: tuple[int, Faults], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port, faults = receiver
    faults.fail_first = 1
    faults.fail_body = f"rejected customer born {DOB} at {POSTCODE}, card {CARD}, phone {PHONE}"
    cases = record(engine, 2, clock)
    worker = DeliveryWorker(engine, settings(port), SECRET, clock=clock)
    try:
        await drive(worker, clock, engine)
    finally:
        await worker.close()
    assert caplog.records, "the worker and the receiver log what they do"
    for case in cases:
        assert leaked(case_body(case).decode()) == []
    assert leaked(" ".join(s.case.__repr__() for s in list_cases(engine))) == []
    assert leaked("".join(r["body"].decode() for r in faults.seen)) == []
    assert leaked(caplog.text) == []
    assert "[card number]" in case_body(cases[0]).decode()
    errors = " ".join(r.last_error or "" for r in list_outbox(engine))
    assert "[card number]" in errors and "[card number]" in caplog.text, "the echoed error was logged, redacted"
    assert leaked(errors) == []
