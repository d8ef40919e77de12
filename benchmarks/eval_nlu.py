"""Held-out NLU evaluation: the trained assistant model against tests/nlu/.

The held-out files were written separately from data/nlu/ and are never used
for training. Messages go through `/model/parse` of a real `rasa run`, so the
latency figures are the HTTP round trip a client sees (single client, sequential).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Dict, List, Tuple

from benchmarks.intent_metrics import grouped, percentile, summary
from benchmarks.rasa_server import parse_all, parse_server, write_report
from frontdoor.lint import read_nlu_examples
from frontdoor.paths import ROOT

HELDOUT = {"chat": ROOT / "tests/nlu/heldout_chat.yml", "voice": ROOT / "tests/nlu/heldout_voice.yml"}


def load_heldout() -> List[Tuple[str, str, str]]:
    """(style, gold intent, text) rows."""
    rows = []
    for style, path in HELDOUT.items():
        for intent, examples in read_nlu_examples([path]).items():
            rows.extend((style, intent, text) for text, _ in examples)
    return rows


def top_classifier_guess(result: Dict[str, Any]) -> Tuple[str, float]:
    """The intent classifier's best guess, looking past the FallbackClassifier."""
    for entry in result.get("intent_ranking") or []:
        if entry.get("name") != "nlu_fallback":
            return str(entry.get("name")), float(entry.get("confidence") or 0.0)
    return "None", 0.0


def evaluate(model: Path, port: int) -> Dict[str, Any]:
    rows = load_heldout()
    with parse_server(model, port, ROOT / "var" / "log"):
        results = parse_all(port, [text for _, _, text in rows])
    predicted = [(r.get("intent") or {}).get("name") or "None" for r, _ in results]
    top = [top_classifier_guess(r) for r, _ in results]
    latencies = [seconds * 1000 for _, seconds in results]
    gold = [intent for _, intent, _ in rows]
    overall = summary(gold, predicted)
    by_style = grouped([(style, g, p) for (style, g, _), p in zip(rows, predicted, strict=False)])
    misses = [
        {"style": style, "gold": g, "predicted": p, "classifier": c, "confidence": round(conf, 3), "text": text}
        for (style, g, text), p, (c, conf) in zip(rows, predicted, top, strict=True)
        if g != p
    ]
    fallback_rate = sum(p == "nlu_fallback" for p in predicted) / len(predicted)
    return {
        "model": model.name,
        "heldout_files": {k: str(v.relative_to(ROOT)) for k, v in HELDOUT.items()},
        **overall,
        "fallback_rate": round(fallback_rate, 4),
        "accuracy_without_fallback": round(sum(g == c for g, (c, _) in zip(gold, top, strict=True)) / len(gold), 4),
        "by_style": {k: {m: v[m] for m in ("n", "accuracy", "macro_f1")} for k, v in by_style.items()},
        "latency_ms": {
            "how": "HTTP POST /model/parse on 127.0.0.1, single sequential client, after 10 warm-up requests",
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
            "n": len(latencies),
        },
        "misclassified": misses,
    }


def print_report(report: Dict[str, Any]) -> None:
    print(f"\nHeld-out NLU evaluation ({report['n']} messages, model {report['model']})")
    print(f"  accuracy {report['accuracy']:.3f}   macro-F1 {report['macro_f1']:.3f}")
    for style, figures in report["by_style"].items():
        print(
            f"  {style:<6} n={figures['n']:<4} accuracy {figures['accuracy']:.3f}"
            f"  macro-F1 {figures['macro_f1']:.3f}"
        )
    print(
        f"  fallback rate {report['fallback_rate']:.3f}; classifier accuracy ignoring the fallback "
        f"{report['accuracy_without_fallback']:.3f}"
    )
    lat = report["latency_ms"]
    print(f"  /model/parse latency p50 {lat['p50']} ms, p95 {lat['p95']} ms ({lat['how']})")
    print("\n  per-intent F1:")
    for intent, scores in report["per_intent"].items():
        print(f"    {intent:<26} F1 {scores['f1']:.3f}  (n={scores['support']})")
    print("\n  top confusions (gold -> predicted):")
    for c in report["confusions"]:
        print(f"    {c['gold']} -> {c['predicted']}: {c['count']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--port", type=int, default=5105)
    args = parser.parse_args()
    report = evaluate(args.model, args.port)
    print_report(report)
    print(f"\nwrote {write_report('nlu', report)}")


if __name__ == "__main__":
    main()
