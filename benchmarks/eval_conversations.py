"""``make eval-conversations``: whole conversations with rule-based customers -> reports/conversations.json.

Personas (benchmarks/conversations/) cover every contact reason on chat and
voice; each is scored pass/fail against the handbook (outcome, case category,
verified, facts said, things never said). By default fresh servers are started
on their own ports with a temporary, freshly seeded SQLite database (cancel
and correction personas change transfers, so a reused database would not give
the same run twice). ``--rasa-url``/``--queue-url`` reuse running servers
(e.g. ``make run``: http://127.0.0.1:5005 and http://127.0.0.1:8001) instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from benchmarks.conversations.personas import generate
from benchmarks.conversations.report import summarise
from benchmarks.conversations.rescore import rescore
from benchmarks.conversations.run import run_all
from frontdoor.launcher import HOST, Services, assistant_specs, handoff_specs
from frontdoor.paths import ROOT

REPORT = ROOT / "reports" / "conversations.json"
PORTS = {"rasa": 25005, "actions": 25055, "queue": 28001}


def latest_model() -> Path:
    models = sorted((ROOT / "models").glob("frontdoor-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no trained model under models/: run `make train`")
    return models[-1]


@contextmanager
def fresh_servers(model: Path, ports: Dict[str, int], log_dir: Optional[Path] = None) -> Iterator[Tuple[str, str]]:
    """Queue, delivery worker, action server and Rasa on loopback over a temporary, freshly seeded database."""
    with tempfile.TemporaryDirectory(prefix="eval-conv-") as tmp:
        base = Path(tmp)
        env = {
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_URL": f"sqlite:///{base / 'tracker.db'}",
            "DATABASE_URL": f"sqlite:///{base / 'app.db'}",
            "QUEUE_DATABASE_URL": f"sqlite:///{base / 'queue.db'}",
            "HANDOFF_WEBHOOK_URL": f"http://{HOST}:{ports['queue']}/cases",
            "HANDOFF_POLL_SECONDS": "0.2",
        }
        subprocess.run([sys.executable, "-m", "frontdoor.db", "seed"], env={**os.environ, **env}, check=True,
                       stdout=subprocess.DEVNULL)
        group = Services(
            handoff_specs(ports["queue"], env)
            + assistant_specs(model, ports["rasa"], ports["actions"], extra_env=env),
            log_dir=log_dir or base / "logs", startup_timeout=300,
        )
        with group:
            yield f"http://{HOST}:{ports['rasa']}", f"http://{HOST}:{ports['queue']}"


def _progress(done: int, total: int) -> None:
    if done % 20 == 0 or done == total:
        print(f"  {done}/{total} conversations", flush=True)


def evaluate(rasa: str, queue: str, split: str, limit: Optional[int], concurrency: int, seed: int) -> Dict[str, Any]:
    personas = [p for p in generate(seed) if split == "all" or p.split == split][: limit or None]
    print(f"{len(personas)} personas against {rasa} (queue {queue}), {concurrency} at a time...", flush=True)
    secret = os.environ.get("VOICE_WEBHOOK_SECRET", "").encode() or None
    results = asyncio.run(run_all(personas, rasa, queue, concurrency, seed, _progress, secret))
    rows: List[Dict[str, Any]] = [r.as_dict() for r in results]
    return {"seed": seed, "personas_run": split, **summarise(rows), "personas": rows}


def print_summary(report: Dict[str, Any]) -> None:
    def line(name: str, m: Dict[str, Any]) -> str:
        return f"{name:<26} {m['passed']:>4}/{m['n']:<4} {m['rate']}"

    print(line("all", report["all"]))
    print(line("tuning", report["tuning"]))
    for channel, m in report["by_channel"].items():
        print(line(f"  {channel}", m) + f"   held out {m['heldout']['rate']}")
    for reason, m in report["by_reason"].items():
        print(line(f"  {reason}", m) + f"   held out {m['heldout']['rate']}")
    print(f"most common failures: {list(report['failure_kinds'].items())[:6]}")
    print(f"HELD-OUT PASS RATE: {report['heldout']['rate']} ({report['heldout']['passed']}/{report['heldout']['n']}),"
          f" target {report['target']['passed']}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_conversations", description=__doc__)
    parser.add_argument("--model", type=Path, help="model to serve (default: the newest under models/)")
    parser.add_argument("--rasa-url", help="reuse a running Rasa (e.g. http://127.0.0.1:5005) instead of starting one")
    parser.add_argument("--queue-url", default="http://127.0.0.1:8001", help="its handoff queue, with --rasa-url")
    parser.add_argument("--split", choices=("all", "tuning", "heldout"), default="all")
    parser.add_argument("--limit", type=int, help="only the first N personas (a quick look)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--rescore", type=Path, help="re-score a saved report against the current personas")
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 8:
        parser.error("--concurrency must be 1..8")
    if args.rescore:
        report = rescore(json.loads(args.rescore.read_text()))
    elif args.rasa_url:
        report = evaluate(args.rasa_url, args.queue_url, args.split, args.limit, args.concurrency, args.seed)
    else:
        model = args.model or latest_model()
        print(f"Starting the assistant with {model.name} on ports {PORTS} (about a minute)...", flush=True)
        with fresh_servers(model, PORTS) as (rasa, queue):
            report = evaluate(rasa, queue, args.split, args.limit, args.concurrency, args.seed)
        report["model"] = model.name
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print_summary(report)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
