"""``make bench-load``: Frontdoor and a stock ``rasa init`` bot side by side under load -> reports/load.json.

Both systems run at once from the same venv, each on its own free loopback
ports (``benchmarks/load/servers.py``); cells alternate between them, so a
drift of the machine hits both alike. A cell is one system, one scenario
(``benchmarks/load/scenarios.py``) and one concurrency ``c``: ``c`` closed-loop
workers drive ``c x users-per-worker`` fresh senders (at least ``min-users``)
of ``messages-per-user`` messages each, and stop at ``duration-cap`` seconds.
Per cell: messages/s, p50/p95/p99 latency, errors, and peak RSS and CPU of
every process of the system. The ratios are the issue's targets (issue 15).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from benchmarks.load.driver import Outcome, closed_loop
from benchmarks.load.procs import Usage, tree_rss
from benchmarks.load.scenarios import FRONTDOOR_SCENARIOS, SCENARIOS, STOCK_SCENARIOS
from benchmarks.load.servers import free_port, frontdoor_ports, frontdoor_services, stock_project, stock_services
from frontdoor.launcher import HOST, Services
from frontdoor.model_hash import model_path
from frontdoor.paths import ROOT

REPORT = ROOT / "reports" / "load.json"
TARGETS = {"knowledge_c8_over_stock_hello_c8": (">=", 1.0), "knowledge_p95_c1_ms": ("<=", 100.0),
           "frontdoor_rss_mb_peak": ("<=", 1536.0)}
"""Issue 15's targets: throughput >= 1x the stock greeting (goal 3x), p95 <= 100 ms, total RSS <= 1.5 GB.

A system's RSS is the sum of each of its processes' peaks over a cell, the highest of its cells."""


@dataclass(frozen=True)
class Cell:
    system: str  # "stock" or "frontdoor"
    scenario: str
    concurrency: int

    @property
    def key(self) -> str:
        return f"{self.system}/{self.scenario}/c={self.concurrency}"


@dataclass(frozen=True)
class System:
    base: str
    root_pid: int
    voice_secret: Optional[bytes] = None


def plan(concurrency: Sequence[int], scenarios: Sequence[str], runs: int) -> List[Cell]:
    """Every cell once per run; within a run, stock and Frontdoor alternate at each ``c``."""
    per_run = [Cell(system, scenario, c)
               for c in concurrency
               for system, names in (("stock", STOCK_SCENARIOS), ("frontdoor", FRONTDOOR_SCENARIOS))
               for scenario in names if scenario in scenarios]
    return per_run * runs


async def run_cell(cell: Cell, system: System, n_users: int, args: argparse.Namespace,
                   rng: random.Random) -> Dict[str, Any]:
    users = SCENARIOS[cell.scenario](n_users, args.messages_per_user, rng)
    async with Usage(system.root_pid) as usage:
        outcome = await closed_loop(system.base, users, cell.concurrency, args.duration_cap, system.voice_secret,
                                    args.timeout)
    return {"outcome": outcome, **outcome.summary(), "processes": usage.report()}


def pooled(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
    """All runs of a cell as one: messages over total time, percentiles over every latency."""
    merged = Outcome(unexpected=sum(r["unexpected"] for r in runs), users=sum(r["users_completed"] for r in runs),
                     elapsed=sum(r["outcome"].elapsed for r in runs))
    for r in runs:
        merged.latencies += r["outcome"].latencies
        merged.errors.update(r["outcome"].errors)
    names = runs[0]["processes"]
    processes = {name: {"rss_mb_peak": max(r["processes"][name]["rss_mb_peak"] for r in runs),
                        "cpu_percent": round(statistics.mean(r["processes"][name]["cpu_percent"] for r in runs), 1)}
                 for name in names if all(name in r["processes"] for r in runs)}
    return {**merged.summary(), "rss_mb_peak_total": round(sum(p["rss_mb_peak"] for p in processes.values()), 1),
            "processes": processes, "runs": [{k: v for k, v in r.items() if k != "outcome"} for r in runs]}


def ratios(cells: Dict[str, Dict[str, Any]]) -> Dict[str, Optional[float]]:
    def figure(key: str, name: str) -> Optional[float]:
        return cells[key][name] if key in cells else None

    def peak_rss(system: str) -> float:
        return max(cell["rss_mb_peak_total"] for key, cell in cells.items() if key.startswith(system + "/"))

    knowledge, stock = figure("frontdoor/knowledge/c=8", "msgs_per_s"), figure("stock/hello/c=8", "msgs_per_s")
    return {
        "knowledge_c8_over_stock_hello_c8": round(knowledge / stock, 3) if knowledge and stock else None,
        "knowledge_p95_c1_ms": figure("frontdoor/knowledge/c=1", "p95_ms"),
        "frontdoor_rss_mb_peak": peak_rss("frontdoor"),
        "stock_rss_mb_peak": peak_rss("stock"),
    }


def busiest(cell: Dict[str, Any]) -> str:
    """The process with the most CPU (percent of one core): the one a turn waits on."""
    name, usage = max(cell["processes"].items(), key=lambda item: item[1]["cpu_percent"])
    return f"{name} {usage['cpu_percent']:.0f}% CPU"


def print_table(report: Dict[str, Any]) -> None:
    print(f"\n{'cell':<28} {'msgs/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} {'unexp':>5}"
          f" {'RSS MB':>7}  busiest process")
    for key, cell in report["cells"].items():
        print(f"{key:<28} {cell['msgs_per_s']:>7} {cell['p50_ms']!s:>8} {cell['p95_ms']!s:>8} {cell['p99_ms']!s:>8}"
              f" {cell['errors']:>6} {cell['unexpected']:>5} {cell['rss_mb_peak_total']:>7.0f}  {busiest(cell)}")
    for system, processes in report["idle_rss_mb"].items():
        listed = ", ".join(f"{name} {mb:.0f}" for name, mb in processes.items())
        print(f"RSS after warm-up, {system}: {sum(processes.values()):.0f} MB ({listed})")
    print("Ratios (issue 15 targets):")
    for name, value in report["ratios"].items():
        goal = " ".join(("  target", *map(str, TARGETS[name]))) if name in TARGETS else ""
        print(f"  {name:<36} {'n/a (cell not run)' if value is None else value}{goal}")


async def measure(args: argparse.Namespace, stock: System, frontdoor: System) -> Dict[str, Any]:
    rng = random.Random(args.seed)
    systems = {"stock": stock, "frontdoor": frontdoor}
    cells = plan(args.concurrency, args.scenarios, args.runs)
    for warm_up in sorted({Cell(c.system, c.scenario, 1) for c in cells}, key=lambda c: c.key):
        await run_cell(warm_up, systems[warm_up.system], 1, args, rng)  # first turns load lazily: not measured
    idle = {name: tree_rss(system.root_pid) for name, system in systems.items()}
    runs: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for number, cell in enumerate(cells, 1):
        n_users = max(cell.concurrency * args.users_per_worker, args.min_users)
        result = await run_cell(cell, systems[cell.system], n_users, args, rng)
        runs[cell.key].append(result)
        print(f"  [{number}/{len(cells)}] {cell.key:<28} {result['msgs_per_s']:>6} msgs/s  p95 {result['p95_ms']} ms"
              f"  errors {result['errors']}", flush=True)
    pooled_cells = {key: pooled(results) for key, results in runs.items()}
    return {"cells": pooled_cells, "idle_rss_mb": idle, "ratios": ratios(pooled_cells)}


def int_list(text: str) -> List[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def add_load_arguments(parser: argparse.ArgumentParser, concurrency: List[int], scenarios: List[str]) -> None:
    """The closed-loop generator's options, shared with ``bench_scale``; checked by ``check_load_arguments``."""
    parser.add_argument("--model", type=Path, help="Frontdoor model (default: the one of the current tree)")
    parser.add_argument("--concurrency", type=int_list, default=concurrency,
                        help=f"comma-separated c (default {','.join(map(str, concurrency))})")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--messages-per-user", type=int, default=4, help="identity always sends 4")
    parser.add_argument("--users-per-worker", type=int, default=3, help="users per cell: c x this (or --min-users)")
    parser.add_argument("--min-users", type=int, default=24, help="so that a p95 at c=1 rests on ~100 messages")
    parser.add_argument("--duration-cap", type=float, default=60.0, help="seconds per cell; no message sent after")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--scenarios", type=lambda s: s.split(","), default=scenarios,
                        help=f"comma-separated subset of {','.join(FRONTDOOR_SCENARIOS)} "
                             f"(default {','.join(scenarios)})")
    parser.add_argument("--seed", type=int, default=2026)


def check_load_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Bounded in count and time, whatever is asked for."""
    if not args.concurrency or not all(1 <= c <= 64 for c in args.concurrency):
        parser.error("--concurrency: each c must be 1..64")
    if not (1 <= args.runs <= 5 and 1 <= args.messages_per_user <= 20 and 1 <= args.users_per_worker <= 20
            and 1 <= args.min_users <= 500 and 1 <= args.duration_cap <= 600 and 1 <= args.timeout <= 120):
        parser.error("bounds: --runs 1..5, --messages-per-user 1..20, --users-per-worker 1..20, --min-users 1..500, "
                     "--duration-cap 1..600, --timeout 1..120")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {','.join(SCENARIOS)}")


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_load_arguments(parser, [1, 8, 32], list(FRONTDOOR_SCENARIOS))
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    check_load_arguments(parser, args)
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    model = args.model or model_path()
    if not model.is_file():
        raise SystemExit(f"{model} does not exist: run `make train`")
    project = stock_project()
    voice_secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        stock_port, ports = free_port(), frontdoor_ports()
        print(f"Starting the stock bot on {stock_port} and Frontdoor ({model.name}) on {ports}...", flush=True)
        stock_group: Services = stock_services(project, stock_port, Path(tmp) / "stock")
        frontdoor_group = frontdoor_services(model, ports, Path(tmp), voice_secret)
        with stock_group, frontdoor_group:
            started = time.monotonic()
            result = asyncio.run(measure(
                args,
                System(f"http://{HOST}:{stock_port}", stock_group.processes[0].pid),
                System(f"http://{HOST}:{ports['rasa']}", frontdoor_group.processes[0].pid, voice_secret.encode()),
            ))
    report = {
        "note": __doc__.strip().splitlines()[0],
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python -m benchmarks.bench_load " + " ".join(argv if argv is not None else sys.argv[1:]),
        "model": model.name, "stock_model": f"rasa init ({version('rasa')})", "cpus": os.cpu_count(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "out"},
        "measured_seconds": round(time.monotonic() - started, 1),
        "targets": TARGETS, **result,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
