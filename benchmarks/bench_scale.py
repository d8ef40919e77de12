"""``make bench-scale``: production mode with 1, then 2 Rasa workers behind HAProxy, same load -> reports/scale.json.

For each worker count, ``python -m frontdoor.launcher --production --workers N`` starts on free loopback ports
(PostgreSQL tracker store, Redis lock store, a fresh seeded app-database schema dropped afterwards) and the
closed-loop generator of ``make bench-load`` drives the proxy with every scenario at every ``c``. One worker count
runs at a time (each Rasa worker holds ~1.15 GB), so a neighbour's load drifts between them: run it on an idle
machine. The ratio is issue 15's target: with 2 workers, >= 1.7x the single worker's messages/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import sqlalchemy as sa

from benchmarks.bench_load import Cell, System, add_load_arguments, check_load_arguments, int_list, pooled, run_cell
from benchmarks.load.servers import STARTUP_SECONDS
from frontdoor.launcher import HOST, Services, ServiceSpec
from frontdoor.model_hash import model_path
from frontdoor.paths import ROOT

REPORT = ROOT / "reports" / "scale.json"
POSTGRES_URL = os.environ.get("DATABASE_URL_PG", "postgresql://postgres@127.0.0.1:5432/test")
TARGET = (">=", 1.7)


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports: HAProxy, then one per worker.

    Below the kernel's ephemeral range, where a client's own source port can never take a port being polled."""
    ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, ephemeral_low - count)
        try:
            for port in range(base, base + count):
                with socket.socket() as sock:
                    sock.bind((HOST, port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {count} consecutive free ports on {HOST}")


@contextmanager
def app_schema() -> Iterator[str]:
    """A PostgreSQL schema of its own for the app database, seeded with the demo tenant, dropped afterwards."""
    schema = f"scale_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        subprocess.run([sys.executable, "-m", "frontdoor.db", "seed"], env={**os.environ, "DATABASE_URL": url},
                       check=True, stdout=subprocess.DEVNULL)
        yield url
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def production(model: Path, workers: int, app_url: str, voice_secret: str, tmp: Path) -> tuple[Services, int]:
    """``frontdoor.launcher --production --workers N`` as ``make run-production`` starts it; healthy once the
    web app (started last) answers. Returns the group and HAProxy's port."""
    proxy, actions, web, queue = free_ports(workers + 1), free_ports(workers), free_ports(1), free_ports(1)
    env = {
        "TRACKER_URL": POSTGRES_URL, "REDIS_HOST": os.environ.get("REDIS_HOST", "127.0.0.1"),
        "REDIS_PORT": os.environ.get("REDIS_PORT", "6379"), "DATABASE_URL": app_url, "QUEUE_DATABASE_URL": app_url,
        "HANDOFF_WEBHOOK_URL": "",  # the launcher's own reference queue (loopback), never the shell's
        "VOICE_WEBHOOK_SECRET": voice_secret, "RASA_AUTH_TOKEN": secrets.token_hex(16),
    }
    launcher = [sys.executable, "-m", "frontdoor.launcher", "--production", "--workers", str(workers),
                "--model", str(model), "--rasa-port", str(proxy), "--actions-port", str(actions),
                "--web-port", str(web), "--queue-port", str(queue), "--log-dir", str(tmp / "logs"),
                "--run-dir", str(tmp / "run")]
    spec = ServiceSpec(f"frontdoor-{workers}w", launcher, f"http://{HOST}:{web}/health", env)
    return Services([spec], tmp, startup_timeout=STARTUP_SECONDS * workers), proxy


async def measure(args: argparse.Namespace, workers: int, system: System) -> Dict[str, List[Dict[str, Any]]]:
    rng = random.Random(args.seed)
    label = f"workers={workers}"
    for scenario in args.scenarios:  # first turns load lazily (every worker): not measured
        await run_cell(Cell(label, scenario, workers), system, 2 * workers, args, rng)
    runs: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for _ in range(args.runs):
        for c in args.concurrency:
            for scenario in args.scenarios:
                cell = Cell(label, scenario, c)
                result = await run_cell(cell, system, max(c * args.users_per_worker, args.min_users), args, rng)
                runs[cell.key].append(result)
                print(f"  {cell.key:<32} {result['msgs_per_s']:>6} msgs/s  p95 {result['p95_ms']} ms"
                      f"  errors {result['errors']}", flush=True)
    return runs


def ratios(cells: Dict[str, Dict[str, Any]], workers: List[int]) -> Dict[str, Optional[float]]:
    """msgs/s of the most workers over the fewest, per scenario and ``c``."""
    low, high = min(workers), max(workers)
    found: Dict[str, Optional[float]] = {}
    for key, cell in cells.items():
        if key.startswith(f"workers={high}/") and high != low:
            base = cells.get(key.replace(f"workers={high}/", f"workers={low}/"), {}).get("msgs_per_s")
            name = key.split("/", 1)[1].replace("/", "_")
            found[f"{name}_workers{high}_over_{low}"] = round(cell["msgs_per_s"] / base, 3) if base else None
    return found


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_load_arguments(parser, [16], ["hello", "knowledge"])
    parser.add_argument("--workers", type=int_list, default=[1, 2], help="comma-separated worker counts (1,2)")
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    if not args.workers or not all(1 <= n <= 8 for n in args.workers):
        parser.error("--workers: each count must be 1..8")
    check_load_arguments(parser, args)
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    model = args.model or model_path()
    if not model.is_file():
        raise SystemExit(f"{model} does not exist: run `make train`")
    voice_secret = secrets.token_hex(16)
    runs: Dict[str, List[Dict[str, Any]]] = {}
    started = time.monotonic()
    for workers in args.workers:
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{workers}w-") as tmp, app_schema() as app_url:
            group, proxy = production(model, workers, app_url, voice_secret, Path(tmp))
            print(f"Starting production mode with {workers} worker(s), HAProxy on {proxy}...", flush=True)
            with group:
                system = System(f"http://{HOST}:{proxy}", group.processes[0].pid, voice_secret.encode())
                runs.update(asyncio.run(measure(args, workers, system)))
    cells = {key: pooled(results) for key, results in runs.items()}
    report = {
        "note": (__doc__ or "").strip().splitlines()[0],
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python -m benchmarks.bench_scale " + " ".join(argv if argv is not None else sys.argv[1:]),
        "model": model.name, "cpus": os.cpu_count(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "out"},
        "measured_seconds": round(time.monotonic() - started, 1),
        "target": {"msgs_per_s_ratio": TARGET}, "cells": cells, "ratios": ratios(cells, args.workers),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{'cell':<32} {'msgs/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'RSS MB':>7}")
    for key, cell in cells.items():
        print(f"{key:<32} {cell['msgs_per_s']:>7} {cell['p50_ms']!s:>8} {cell['p95_ms']!s:>8} {cell['errors']:>6}"
              f" {cell['rss_mb_peak_total']:>7.0f}")
    for name, value in report["ratios"].items():
        print(f"  {name:<40} {value}  target {' '.join(map(str, TARGET))}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
