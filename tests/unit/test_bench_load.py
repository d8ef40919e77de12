"""``make bench-load``'s parts that need no server: the cell plan, the closed loop, the scenarios, /proc readings."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from typing import AsyncIterator, List

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from benchmarks.bench_load import Cell, plan, pooled, print_table, ratios
from benchmarks.load import procs
from benchmarks.load.driver import Outcome, User, closed_loop
from benchmarks.load.scenarios import SCENARIOS
from frontdoor.signing import SIGNATURE_HEADER, verify

SECRET = b"load-test-secret"


def test_the_plan_alternates_systems_at_each_concurrency_and_repeats_per_run() -> None:
    cells = plan([1, 8], ["hello", "knowledge"], runs=2)
    assert cells[:3] == [Cell("stock", "hello", 1), Cell("frontdoor", "hello", 1), Cell("frontdoor", "knowledge", 1)]
    assert cells[3].key == "stock/hello/c=8"
    assert cells[:6] == cells[6:]


def a_run(latencies: List[float], elapsed: float, rss: float, cpu: float) -> dict:
    outcome = Outcome(latencies=latencies, users=1, elapsed=elapsed)
    return {"outcome": outcome, **outcome.summary(),
            "processes": {"rasa": {"rss_mb_peak": rss, "cpu_percent": cpu},
                          "web": {"rss_mb_peak": 50, "cpu_percent": 1}}}


def test_runs_pool_into_a_cell_and_the_ratios_read_the_issues_cells(capsys: pytest.CaptureFixture) -> None:
    knowledge = pooled([a_run([0.1] * 19 + [0.5], 2.0, 1600, 90), a_run([0.2] * 20, 3.0, 1700, 100)])
    assert (knowledge["messages"], knowledge["msgs_per_s"], knowledge["p95_ms"]) == (40, 8.0, 200.0)
    assert knowledge["processes"]["rasa"] == {"rss_mb_peak": 1700, "cpu_percent": 95.0}
    assert knowledge["rss_mb_peak_total"] == 1750
    stock = pooled([a_run([0.05] * 40, 2.0, 1100, 99)])
    cells = {"frontdoor/knowledge/c=8": knowledge, "frontdoor/knowledge/c=1": knowledge, "stock/hello/c=8": stock}
    found = ratios(cells)
    assert found == {"knowledge_c8_over_stock_hello_c8": 0.4, "knowledge_p95_c1_ms": 200.0,
                     "frontdoor_rss_mb_peak": 1750, "stock_rss_mb_peak": 1150}
    print_table({"cells": cells, "idle_rss_mb": {"stock": {"rasa": 1100.0}}, "ratios": found})
    assert "rasa 95% CPU" in capsys.readouterr().out


@pytest.fixture
async def fake_rasa() -> AsyncIterator[tuple[str, List[dict]]]:
    """A REST channel and a voice webhook that check the signature, answer after 20 ms; "boom" gets a 500."""
    seen: List[dict] = []

    async def rest(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body)
        await asyncio.sleep(0.02)
        if body["message"] == "boom":
            return web.Response(status=500)
        return web.json_response([{"text": f"you said {body['message']}"}])

    async def voice(request: web.Request) -> web.Response:
        raw = await request.read()
        verify(SECRET, raw, request.headers.get(SIGNATURE_HEADER), time.time(), 300)
        seen.append(json.loads(raw))
        return web.json_response([{"text": "heard"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", rest)
    app.router.add_post("/webhooks/voice/webhook", voice)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/"), seen


async def test_each_user_is_a_fresh_sender_and_every_message_is_timed(fake_rasa: tuple[str, List[dict]]) -> None:
    base, seen = fake_rasa
    users = [User("chat", ("a", "b", "c"), expect="you said c")] * 5 + [User("voice", ("x",), expect="heard")]
    outcome = await closed_loop(base, users, concurrency=2, duration_cap=30, voice_secret=SECRET)
    summary = outcome.summary()
    assert (summary["messages"], summary["users_completed"], summary["errors"], summary["unexpected"]) == (16, 6, 0, 0)
    assert len({body["sender"] for body in seen}) == 6
    assert 20 <= summary["p50_ms"] < 1000


async def test_errors_and_unexpected_replies_are_counted_not_timed(fake_rasa: tuple[str, List[dict]]) -> None:
    base, _ = fake_rasa
    users = [User("chat", ("boom", "never sent")), User("chat", ("hello",), expect="goodbye")]
    outcome = await closed_loop(base, users, concurrency=1, duration_cap=30)
    assert (len(outcome.latencies), dict(outcome.errors), outcome.unexpected) == (1, {"HTTP 500": 1}, 1)


async def test_no_message_is_sent_after_the_deadline(fake_rasa: tuple[str, List[dict]]) -> None:
    base, seen = fake_rasa
    started = time.monotonic()
    await closed_loop(base, [User("chat", ("hi",) * 1000)], concurrency=1, duration_cap=0.3)
    assert time.monotonic() - started < 2 and len(seen) < 100


async def test_the_loop_refuses_anything_but_loopback() -> None:
    with pytest.raises(SystemExit, match="loopback only"):
        await closed_loop("http://example.com", [User("chat", ("hi",))], concurrency=1, duration_cap=1)


def test_scenarios_use_answerable_questions_and_one_demo_customer_per_identity_user() -> None:
    rng = random.Random(1)
    identity = SCENARIOS["identity"](30, 4, rng)
    assert len({u.messages[1] for u in identity}) == 30 and all(len(u.messages) == 4 for u in identity)
    assert all(u.messages[0].startswith("where is my transfer ZS") for u in identity)
    assert all(u.channel == "voice" for u in SCENARIOS["voice"](3, 4, rng))
    knowledge = SCENARIOS["knowledge"](3, 4, rng)
    assert all(len(set(u.messages)) == 4 and u.channel == "chat" for u in knowledge)


def test_a_process_tree_is_named_and_measured_from_proc() -> None:
    child = subprocess.Popen([sys.executable, "-m", "timeit", "-n1", "-r1", "import time; time.sleep(30)"])
    try:
        assert child.pid in procs.descendants(os.getpid())
        assert procs.label(child.pid) == "timeit"
        assert procs.rss_mb(child.pid) > 1
    finally:
        child.kill()
        child.wait()
    assert procs.rss_mb(child.pid) == 0.0 and procs.label(child.pid) == str(child.pid)  # gone: no error
    assert procs.rss_mb(os.getpid()) > 10 and procs.cpu_seconds(os.getpid()) > 0
    assert procs.label(os.getpid()) in ("pytest", "py.test")
