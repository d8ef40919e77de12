"""Serve a trained model with `rasa run --enable-api` and time `/model/parse` over HTTP."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

from frontdoor.launcher import HOST, Services, ServiceSpec
from frontdoor.paths import ROOT


def parse_server(model: Path, port: int, log_dir: Path) -> Services:
    """A Rasa server with only the NLU API in use (no tracker store, no actions)."""
    endpoints = log_dir / "empty-endpoints.yml"
    log_dir.mkdir(parents=True, exist_ok=True)
    endpoints.write_text("{}\n")
    rasa = Path(__import__("sys").executable).parent / "rasa"
    spec = ServiceSpec(
        name=f"rasa-parse-{port}",
        command=[str(rasa), "run", "--enable-api", "-i", HOST, "-p", str(port),
                 "--model", str(model), "--endpoints", str(endpoints)],
        health_url=f"http://{HOST}:{port}/status",
    )
    return Services([spec], log_dir, startup_timeout=300)


def parse(port: int, text: str) -> Tuple[Dict[str, Any], float]:
    """Parse one message; returns the result and the round-trip seconds."""
    request = urllib.request.Request(
        f"http://{HOST}:{port}/model/parse",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    return body, time.perf_counter() - started


def parse_all(port: int, texts: Iterable[str], warmup: int = 10) -> List[Tuple[Dict[str, Any], float]]:
    texts = list(texts)
    for text in texts[:warmup]:
        parse(port, text)
    return [parse(port, text) for text in texts]


def write_report(name: str, report: Dict[str, Any]) -> Path:
    path = ROOT / "reports" / f"{name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")
    return path
