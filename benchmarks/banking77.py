"""Banking77 benchmark of the project's own NLU pipeline.

Trains the pipeline of config.yml (same components and settings) in a temporary
project on Banking77's train split, serves it with `rasa run`, and classifies
the test split through `/model/parse`. Banking77: Casanueva et al. 2020,
PolyAI-LDN/task-specific-datasets, CC-BY-4.0. Its train split is used only for
this benchmark model, never for the assistant.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

from benchmarks.intent_metrics import percentile, summary
from benchmarks.rasa_server import parse_all, parse_server, write_report
from frontdoor.paths import ROOT, shared_data

WORK = ROOT / "build" / "bench-banking77"


def read_split(path: Path) -> List[Tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["category"]) for row in csv.DictReader(handle)]


def prepare(train: List[Tuple[str, str]]) -> Path:
    """A temporary project: our config.yml pipeline plus the Banking77 train split."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config.pop("policies", None)
    (WORK / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    examples = [{"text": t, "intent": c, "entities": []} for t, c in train]
    (WORK / "nlu.json").write_text(json.dumps({"rasa_nlu_data": {"common_examples": examples}}))
    return WORK


def train_model(work: Path) -> Tuple[Path, float]:
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(work / "graph-cache")}
    rasa = Path(sys.executable).parent / "rasa"
    started = time.monotonic()
    subprocess.run(
        [str(rasa), "train", "nlu", "--config", str(work / "config.yml"),
         "--nlu", str(work / "nlu.json"), "--out", str(work / "models"),
         "--fixed-model-name", "banking77"],
        cwd=ROOT, env=env, check=True,
    )
    return work / "models" / "banking77.tar.gz", time.monotonic() - started


def classifier_intent(result: Dict[str, Any]) -> str:
    """The classifier's top intent, looking past the FallbackClassifier."""
    for entry in result.get("intent_ranking") or []:
        if entry.get("name") != "nlu_fallback":
            return str(entry.get("name"))
    return "None"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    shared = shared_data()
    parser.add_argument("--data", type=Path, default=shared / "banking77")
    parser.add_argument("--port", type=int, default=5106)
    args = parser.parse_args()
    if not (args.data / "train.csv").is_file():
        sys.exit(f"Banking77 not found under {args.data}; set FRONTDOOR_SHARED_DATA")
    train, test = read_split(args.data / "train.csv"), read_split(args.data / "test.csv")
    model, train_seconds = train_model(prepare(train))
    with parse_server(model, args.port, ROOT / "var" / "log"):
        results = parse_all(args.port, [t for t, _ in test])
    gold = [c for _, c in test]
    predicted = [classifier_intent(r) for r, _ in results]
    with_fallback = [(r.get("intent") or {}).get("name") or "None" for r, _ in results]
    latencies = [s * 1000 for _, s in results]
    overall = summary(gold, predicted)
    report = {
        "dataset": "Banking77 (Casanueva et al. 2020), PolyAI-LDN/task-specific-datasets 57ec275d, CC-BY-4.0",
        "train_examples": len(train),
        "test_examples": len(test),
        "pipeline": "config.yml pipeline, unchanged",
        "train_seconds": round(train_seconds, 1),
        "accuracy": overall["accuracy"],
        "macro_f1": overall["macro_f1"],
        "fallback_rate": round(sum(p == "nlu_fallback" for p in with_fallback) / len(test), 4),
        "accuracy_counting_fallback_as_wrong": round(
            sum(g == p for g, p in zip(gold, with_fallback, strict=False)) / len(test), 4),
        "latency_ms": {
            "how": "HTTP POST /model/parse on 127.0.0.1, single sequential client, after 10 warm-up requests",
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
        },
        "per_intent": overall["per_intent"],
        "confusions": overall["confusions"],
    }
    print(f"\nBanking77 test: accuracy {report['accuracy']:.4f}, macro-F1 {report['macro_f1']:.4f}")
    print(f"  training {report['train_seconds']} s on {os.cpu_count()} cores; "
          f"fallback rate {report['fallback_rate']:.3f} "
          f"(accuracy counting fallbacks as wrong {report['accuracy_counting_fallback_as_wrong']:.4f})")
    print(f"  /model/parse p50 {report['latency_ms']['p50']} ms, p95 {report['latency_ms']['p95']} ms")
    print(f"wrote {write_report('banking77', report)}")


if __name__ == "__main__":
    main()
