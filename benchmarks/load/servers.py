"""The two systems under load, each on free loopback ports, started with ``frontdoor.launcher.Services``.

- Stock: the ``rasa init`` bot from the same venv, trained once and cached
  under ``build/stock-bot/rasa-<version>/`` (training takes about a minute),
  served by ``rasa run`` with its own endpoints (in-memory tracker).
- Frontdoor: ``python -m frontdoor.launcher``, exactly what ``make run``
  starts (queue, delivery worker, action server, Rasa, web app), on SQLite
  files in a temporary directory seeded with the demo tenant.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Dict

from frontdoor.launcher import HOST, Services, ServiceSpec
from frontdoor.paths import ROOT

STARTUP_SECONDS = 300.0
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def stock_project(cache_root: Path = ROOT / "build" / "stock-bot") -> Path:
    """The trained ``rasa init`` project for this Rasa version; built on first use."""
    project = cache_root / f"rasa-{version('rasa')}"
    if any((project / "models").glob("*.tar.gz")):
        return project
    building = project.with_name(project.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    print(f"Creating and training the stock `rasa init` bot in {project} (once, about a minute)...", flush=True)
    with open(building / "init.log", "wb") as log:
        subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(building)],
                       cwd=building, stdout=log, stderr=subprocess.STDOUT, check=True, timeout=1800)
    shutil.rmtree(project, ignore_errors=True)
    building.rename(project)
    return project


def stock_model(project: Path) -> Path:
    return max((project / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


def stock_services(project: Path, port: int, log_dir: Path) -> Services:
    spec = ServiceSpec(
        name="stock-rasa",
        command=[str(BIN / "rasa"), "run", "-i", HOST, "-p", str(port), "--model", str(stock_model(project)),
                 "--endpoints", str(project / "endpoints.yml"), "--credentials", str(project / "credentials.yml")],
        health_url=f"http://{HOST}:{port}/",
    )
    return Services([spec], log_dir, startup_timeout=STARTUP_SECONDS)


def frontdoor_services(model: Path, ports: Dict[str, int], data_dir: Path, voice_secret: str) -> Services:
    """The launcher over a freshly seeded SQLite database; healthy once the web app (started last) answers."""
    env = {
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_URL": f"sqlite:///{data_dir / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{data_dir / 'app.db'}",
        "QUEUE_DATABASE_URL": f"sqlite:///{data_dir / 'queue.db'}",
        "VOICE_WEBHOOK_SECRET": voice_secret,
        "RASA_AUTH_TOKEN": "",  # the embedded default, whatever the shell exports
        "HANDOFF_WEBHOOK_URL": "",  # so the launcher starts its own queue (loopback), never the shell's
    }
    subprocess.run([sys.executable, "-m", "frontdoor.db", "seed"], env={**os.environ, **env}, check=True,
                   stdout=subprocess.DEVNULL)
    launcher = [sys.executable, "-m", "frontdoor.launcher", "--model", str(model), "--log-dir", str(data_dir / "logs"),
                *(f"--{name}-port={port}" for name, port in ports.items())]
    spec = ServiceSpec("frontdoor", launcher, f"http://{HOST}:{ports['web']}/health", env)
    return Services([spec], data_dir / "logs", startup_timeout=STARTUP_SECONDS)


def frontdoor_ports() -> Dict[str, int]:
    return {name: free_port() for name in ("rasa", "actions", "web", "queue")}
