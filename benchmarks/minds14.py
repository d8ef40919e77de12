"""MInDS-14 benchmark: the assistant's intent model on 60 spoken e-banking transcripts.

MInDS-14 (Gerz et al. 2021, PolyAI/minds14 en-US, CC-BY-4.0; the reviewed
60-item subset of coval-ai/benchmarks stt-v2) labels calls to a bank with 14
intents. Where a bank intent corresponds to a ZuriSend contact reason it is
mapped to it (MAPPING); every other one is a request ZuriSend does not serve,
so the expected outcome is that the bot declines: `out_of_scope` or the
`nlu_fallback`. Nothing here was used for training.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from benchmarks.intent_metrics import percentile
from benchmarks.rasa_server import parse_all, parse_server, write_report
from frontdoor.paths import ROOT, shared_data

# MInDS-14 intent -> ZuriSend contact reason, where the customer's need is the same.
MAPPING: Dict[str, str] = {
    "app_error": "app_problem",  # the app fails, crashes, cannot connect
    "card_issues": "payment_declined",  # "my card is refused when I pay": a declined card payment
    "freeze_account": "fraud_report",  # lost or stolen card, suspected fraud: stop all use now
    "latest_transactions": "fraud_report",  # both items report a payment the caller did not make
}
# Bank products ZuriSend does not offer (joint accounts, ATMs, bill payment, loans,
# cash deposits, direct debits, account balances, postal address changes, cards used
# abroad) and 3-D Secure codes for large card purchases at other merchants.
DECLINED = ("out_of_scope", "nlu_fallback")


def expected(minds_intent: str) -> Optional[str]:
    """The ZuriSend reason, or None when the bot should decline."""
    return MAPPING.get(minds_intent)


def correct(minds_intent: str, predicted: str) -> bool:
    target = expected(minds_intent)
    return predicted in DECLINED if target is None else predicted == target


def load_items(path: Path) -> List[Tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(item["intent_name"], item["transcript"]) for item in data["items"]]


def score(rows: List[Tuple[str, str, str]]) -> Dict[str, Any]:
    """rows: (MInDS intent, transcript, predicted intent)."""
    mapped = [(m, p) for m, _, p in rows if expected(m) is not None]
    unmapped = [(m, p) for m, _, p in rows if expected(m) is None]
    per_intent: Dict[str, Dict[str, Any]] = {}
    for minds, _, predicted in rows:
        entry = per_intent.setdefault(minds, {"expected": expected(minds) or "decline", "n": 0, "correct": 0})
        entry["n"] += 1
        entry["correct"] += int(correct(minds, predicted))
    return {
        "n": len(rows),
        "accuracy": round(sum(correct(m, p) for m, _, p in rows) / len(rows), 4),
        "mapped": {"n": len(mapped), "accuracy": round(sum(correct(m, p) for m, p in mapped) / max(len(mapped), 1), 4)},
        "unmapped_declined": {
            "n": len(unmapped),
            "share": round(sum(p in DECLINED for _, p in unmapped) / max(len(unmapped), 1), 4),
        },
        "per_intent": dict(sorted(per_intent.items())),
        "errors": [
            {"minds14": m, "expected": expected(m) or "decline", "predicted": p, "text": t}
            for m, t, p in rows
            if not correct(m, p)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    shared = shared_data()
    parser.add_argument("--data", type=Path, default=shared / "minds14_en_subset" / "stt-v2.json")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--port", type=int, default=5106)
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"MInDS-14 subset not found at {args.data}; set FRONTDOOR_SHARED_DATA")
    items = load_items(args.data)
    with parse_server(args.model, args.port, ROOT / "var" / "log"):
        results = parse_all(args.port, [text for _, text in items])
    rows = [
        (m, t, (r.get("intent") or {}).get("name") or "None")
        for (m, t), (r, _) in zip(items, results, strict=True)
    ]
    latencies = [seconds * 1000 for _, seconds in results]
    report = {
        "dataset": "MInDS-14 en-US (Gerz et al. 2021), 60-item reviewed subset coval-ai/benchmarks stt-v2, CC-BY-4.0",
        "model": args.model.name,
        "mapping": {**MAPPING, **{"(all others)": "decline: out_of_scope or nlu_fallback"}},
        **score(rows),
        "latency_ms": {
            "how": "HTTP POST /model/parse on 127.0.0.1, single sequential client, after 10 warm-up requests",
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
        },
    }
    print(f"\nMInDS-14 ({report['n']} spoken transcripts, model {report['model']})")
    print(f"  accuracy {report['accuracy']:.3f}")
    print(f"  mapped to ZuriSend reasons: n={report['mapped']['n']} accuracy {report['mapped']['accuracy']:.3f}")
    print(
        f"  not ZuriSend's business: n={report['unmapped_declined']['n']} "
        f"declined {report['unmapped_declined']['share']:.3f}"
    )
    for name, entry in report["per_intent"].items():
        print(f"    {name:<22} -> {entry['expected']:<18} {entry['correct']}/{entry['n']}")
    print(f"\nwrote {write_report('minds14', report)}")


if __name__ == "__main__":
    main()
