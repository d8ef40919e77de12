"""``make profile-turn``: where a turn's time goes, in Rasa and in the action server -> reports/profile_turn.json.

Starts the action server and Rasa (both under cProfile, ``benchmarks.profiled``) on free loopback ports
over a fresh SQLite tracker store, warms up, then sends ``--messages`` messages of one scenario one at a time
(fresh senders, 4 messages each, as ``make bench-load``), and reports per message the CPU time of each stage of
Rasa's handling (the channel, NLU components, policies, actions, tracker store) and of the action server's
(the request, our actions, the knowledge base). Each process's CPU time and
the wall-clock latency of the same messages are measured without the profiler's own bookkeeping; cProfile
slows Python code (not TensorFlow kernels) by roughly 1.5-2x, so read the shares, not the milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from benchmarks.load.driver import closed_loop
from benchmarks.load.procs import cpu_seconds, rss_mb
from benchmarks.load.scenarios import SCENARIOS
from benchmarks.load.servers import free_port
from frontdoor.launcher import HOST, Services, assistant_specs
from frontdoor.model_hash import model_path
from frontdoor.paths import ROOT

REPORT = ROOT / "reports" / "profile_turn.json"
WARM_UP = 8
VOICE_SECRET = "profile-turn"
Stage = Tuple[str, str, str]
RASA_STAGES: List[Stage] = [
    ("whole turn (channel handler)", "frontdoor/rasa/rest_channel.py", "guarded"),
    ("language step", "frontdoor/rasa/language.py", "incoming"),
    ("Rasa handle_message", "rasa/core/processor.py", "handle_message"),
    ("NLU parse_message", "rasa/core/processor.py", "parse_message"),
    ("  transcript normaliser", "frontdoor/rasa/transcript_normaliser.py", "process"),
    ("  spaCy tokenizer", "rasa/nlu/utils/spacy_utils.py", "process"),
    ("  MiniLM sentence encoder", "frontdoor/rasa/sentence_featurizer.py", "process"),
    ("  regex featurizer", "rasa/nlu/featurizers/sparse_featurizer/regex_featurizer.py", "process"),
    ("  lexical-syntactic featurizer",
     "rasa/nlu/featurizers/sparse_featurizer/lexical_syntactic_featurizer.py", "process"),
    ("  count-vectors featurizer", "rasa/nlu/featurizers/sparse_featurizer/count_vectors_featurizer.py", "process"),
    ("  DIET classifier", "rasa/nlu/classifiers/diet_classifier.py", "process"),
    ("  regex entity extractor", "rasa/nlu/extractors/regex_entity_extractor.py", "process"),
    ("  fallback classifier", "rasa/nlu/classifiers/fallback_classifier.py", "process"),
    ("policies (prediction loop)", "rasa/core/processor.py", "_predict_next_with_tracker"),
    ("  RulePolicy", "rasa/core/policies/rule_policy.py", "predict_action_probabilities"),
    ("  MemoizationPolicy", "rasa/core/policies/memoization.py", "predict_action_probabilities"),
    ("  TEDPolicy", "rasa/core/policies/ted_policy.py", "predict_action_probabilities"),
    ("actions (_run_action, Rasa's side)", "rasa/core/processor.py", "_run_action"),
    ("tracker store retrieve", "rasa/core/tracker_store.py", "retrieve"),
    ("tracker store save", "rasa/core/tracker_store.py", "save"),
    ("backend guard", "frontdoor/rasa/backend_guard.py", "hand_off_if_backend_down"),
]
"""(label, file path suffix, function name): a function's cumulative time over all its calls."""
ACTION_STAGES: List[Stage] = [
    ("whole request (webhook)", "rasa_sdk/endpoint.py", "webhook"),
    ("  reading the tracker", "rasa_sdk/interfaces.py", "from_dict"),
    ("  running the action", "rasa_sdk/executor.py", "run"),
    ("    knowledge answer (actions side)", "actions/knowledge.py", "answer_from_knowledge"),
    ("      KnowledgeBase.answer", "frontdoor/knowledge/answer.py", "answer"),
    ("        sentence encoder", "frontdoor/nlu/encoder.py", "encode"),
    ("        retrieval", "frontdoor/knowledge/retrieval.py", "rank"),
    ("        slots from the question", "frontdoor/knowledge/answer.py", "slots"),
    ("  response JSON", "sanic/response.py", "json"),
]


def stage_times(stats: pstats.Stats, messages: int, stages: List[Stage]) -> Dict[str, Optional[float]]:
    """Milliseconds per message of each stage; None for a stage that never ran (a different pipeline)."""
    table: Dict[Tuple[str, int, str], Tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    result: Dict[str, Optional[float]] = {}
    for label, suffix, function in stages:
        total = [row[3] for (path, _line, name), row in table.items()
                 if name == function and path.replace(os.sep, "/").endswith(suffix)]
        result[label] = round(max(total) * 1000 / messages, 2) if total else None
    return result


def top_functions(stats: pstats.Stats, messages: int, count: int = 25) -> List[Dict[str, Any]]:
    """The functions with the most time in their own code (not their callees), per message."""
    table: Dict[Tuple[str, int, str], Tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(table.items(), key=lambda item: -item[1][2])[:count]
    return [{"function": f"{_short(path)}:{line}({name})", "self_ms": round(row[2] * 1000 / messages, 2),
             "cumulative_ms": round(row[3] * 1000 / messages, 2), "calls_per_message": round(row[1] / messages, 1)}
            for (path, line, name), row in rows]


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def _percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def _drive(base: str, scenario: str, messages: int, seed: int) -> List[float]:
    users = SCENARIOS[scenario](max(1, messages // 4), 4, random.Random(seed))
    outcome = await closed_loop(base, users, 1, duration_cap=600.0, voice_secret=VOICE_SECRET.encode())
    if outcome.errors:
        raise SystemExit(f"errors while profiling: {dict(outcome.errors)}")
    return [s * 1000 for s in outcome.latencies]


def profile(model: Path, scenario: str, messages: int, seed: int) -> Dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="profile-turn-") as tmp:
        base = Path(tmp)
        env = {"TRACKER_DIALECT": "sqlite", "TRACKER_URL": f"sqlite:///{base / 'tracker.db'}",
               "DATABASE_URL": f"sqlite:///{base / 'app.db'}", "RASA_AUTH_TOKEN": "", "HANDOFF_WEBHOOK_URL": "",
               "VOICE_WEBHOOK_SECRET": VOICE_SECRET}
        subprocess.run([sys.executable, "-m", "frontdoor.db", "seed"], env={**os.environ, **env}, check=True,
                       stdout=subprocess.DEVNULL)
        rasa_port, actions_port = free_port(), free_port()
        specs = assistant_specs(model, rasa_port, actions_port, extra_env=env)
        profiles = {"rasa": base / "rasa.prof", "actions": base / "actions.prof"}
        for spec, name in zip(specs, ("actions", "rasa"), strict=True):
            at = spec.command.index("-m") + 1
            spec.command[at:at] = ["benchmarks.profiled", str(profiles[name])]
        url = f"http://{HOST}:{rasa_port}"
        with Services(specs, base / "logs", startup_timeout=300) as group:
            pids = {"actions": group.processes[0].pid, "rasa": group.processes[1].pid}
            asyncio.run(_drive(url, scenario, WARM_UP, seed + 1))
            cpu_before, started = {n: cpu_seconds(p) for n, p in pids.items()}, time.perf_counter()
            plain = asyncio.run(_drive(url, scenario, messages, seed))
            cpu = {n: cpu_seconds(p) - cpu_before[n] for n, p in pids.items()}
            wall = time.perf_counter() - started
            for pid in pids.values():
                os.kill(pid, signal.SIGUSR1)
            profiled = asyncio.run(_drive(url, scenario, messages, seed))
            for pid in pids.values():
                os.kill(pid, signal.SIGUSR2)
            for _ in range(100):
                if all(path.exists() and path.stat().st_size for path in profiles.values()):
                    break
                time.sleep(0.1)
            rss = {n: round(rss_mb(p), 1) for n, p in pids.items()}
            stats = {n: pstats.Stats(str(path)) for n, path in profiles.items()}
        n, k = len(plain), len(profiled)
        return {
            "model": model.name, "scenario": scenario, "messages": n,
            "without_profiler": {
                "p50_ms": round(_percentile(plain, 50), 1), "p95_ms": round(_percentile(plain, 95), 1),
                **{f"{name}_cpu_ms_per_message": round(seconds * 1000 / n, 1) for name, seconds in cpu.items()},
                **{f"{name}_cpu_share_of_wall": round(seconds / wall, 2) for name, seconds in cpu.items()},
            },
            "with_profiler_p50_ms": round(_percentile(profiled, 50), 1),
            "rss_mb": rss,
            "rasa_stages_ms_per_message": stage_times(stats["rasa"], k, RASA_STAGES),
            "action_server_stages_ms_per_message": stage_times(stats["actions"], k, ACTION_STAGES),
            "rasa_top_self_time": top_functions(stats["rasa"], k),
            "action_server_top_self_time": top_functions(stats["actions"], k),
        }


def print_report(report: Dict[str, Any]) -> None:
    plain = report["without_profiler"]
    print(f"{report['scenario']}: {report['messages']} messages, p50 {plain['p50_ms']} ms, p95 {plain['p95_ms']} ms; "
          f"CPU per message: Rasa {plain['rasa_cpu_ms_per_message']} ms, "
          f"actions {plain['actions_cpu_ms_per_message']} ms; RSS {report['rss_mb']}")
    print(f"under cProfile (p50 {report['with_profiler_p50_ms']} ms), per message:")
    for part in ("rasa", "action_server"):
        print(f" {part.replace('_', ' ')}:")
        for label, ms in report[f"{part}_stages_ms_per_message"].items():
            print(f"  {label:<44} {'-' if ms is None else f'{ms:8.2f} ms'}")
        print(f" {part.replace('_', ' ')}: most time in a function's own code")
        for row in report[f"{part}_top_self_time"][:10]:
            print(f"  {row['self_ms']:7.2f} ms  {row['calls_per_message']:>7} calls  {row['function']}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_turn", description=__doc__)
    parser.add_argument("--model", type=Path, default=None, help="default: the model of the current tree")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="knowledge")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    if not 4 <= args.messages <= 2000:
        parser.error("--messages must be 4..2000")
    model = args.model or model_path()
    if not model.is_file():
        parser.error(f"{model} does not exist: run `make train`")
    report = profile(model, args.scenario, args.messages, args.seed)
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
