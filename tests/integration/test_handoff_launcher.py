"""`make run` starts the reference queue and the delivery worker: a recorded case reaches the queue."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from frontdoor.database import create_schema, make_engine
from frontdoor.handoff.outbox import outbox_status, record_handoff
from frontdoor.launcher import Services, handoff_specs
from tests.handoff_support import free_port, sample_case


def test_launcher_runs_queue_and_worker_and_a_case_arrives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app_url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", app_url)
    monkeypatch.setenv("QUEUE_DATABASE_URL", f"sqlite:///{tmp_path / 'queue.db'}")
    monkeypatch.setenv("HANDOFF_WEBHOOK_SECRET", "launcher-secret")
    monkeypatch.setenv("HANDOFF_POLL_SECONDS", "0.2")
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    engine = make_engine(app_url)
    create_schema(engine)
    case = sample_case()
    record_handoff(engine, case, key="launcher-1")
    port = free_port()
    with Services(handoff_specs(port), tmp_path / "log", startup_timeout=30) as services:
        assert [p.poll() for p in services.processes] == [None, None]
        deadline = time.monotonic() + 20
        while outbox_status(engine, case["case_id"]) != "delivered" and time.monotonic() < deadline:
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cases", timeout=5) as response:
            listed = json.load(response)
    assert outbox_status(engine, case["case_id"]) == "delivered"
    assert [item["case"]["case_id"] for item in listed] == [case["case_id"]]
    assert all(p.poll() is not None for p in services.processes)
    assert "stopped cleanly" in (tmp_path / "log" / "handoff-worker.log").read_text()


def test_an_external_queue_url_skips_the_reference_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "https://queue.example.com/frontdoor")
    assert [spec.name for spec in handoff_specs()] == ["handoff-worker"]
