"""NLU on a development set: the opening messages of the tuning-half personas of ``make eval-conversations``.

tests/nlu/ is the held-out measure and is never tuned on. Choices that need a
measure of their own (the DIET seed among equally good ones, an NLU data edit)
are made here instead. The openings come from benchmarks/conversations/
templates.yml, which is written apart from data/nlu; only personas the split
marks ``tuning`` are used, drawn with several persona seeds for variety, and
each opening's gold intent is the contact reason its persona asks about.
Voice openings go through the transcript normaliser first, as the voice
channel's NLU reads them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from benchmarks.conversations.personas import generate
from benchmarks.intent_metrics import grouped, summary
from benchmarks.rasa_server import parse_all, parse_server, write_report
from frontdoor.paths import ROOT
from frontdoor.spoken.normalise import normalise_transcript

PERSONA_SEEDS = (2026, 11, 12, 13, 14, 15)


def load_rows(seeds: Sequence[int] = PERSONA_SEEDS) -> List[Tuple[str, str, str]]:
    """Unique (channel, gold intent, text as NLU reads it) rows from the tuning personas' openings."""
    seen: Dict[Tuple[str, str], str] = {}
    for seed in seeds:
        for persona in generate(seed):
            if persona.split != "tuning":
                continue
            text = normalise_transcript(persona.opening).text if persona.channel == "voice" else persona.opening
            seen.setdefault((persona.channel, text), persona.reason)
    return [(channel, gold, text) for (channel, text), gold in sorted(seen.items())]


def evaluate(model: Path, port: int, seeds: Sequence[int] = PERSONA_SEEDS) -> Dict[str, Any]:
    rows = load_rows(seeds)
    with parse_server(model, port, ROOT / "var" / "log"):
        results = parse_all(port, [text for _, _, text in rows])
    predicted = [(r.get("intent") or {}).get("name") or "None" for r, _ in results]
    gold = [g for _, g, _ in rows]
    overall = summary(gold, predicted)
    by_channel = grouped([(c, g, p) for (c, g, _), p in zip(rows, predicted, strict=True)])
    return {
        "model": model.name,
        "set": "tuning-half persona openings of benchmarks/conversations (development data, not held out)",
        "persona_seeds": list(seeds),
        "n": overall["n"],
        "accuracy": overall["accuracy"],
        "macro_f1": overall["macro_f1"],
        "by_channel": {k: {m: v[m] for m in ("n", "accuracy", "macro_f1")} for k, v in by_channel.items()},
        "misses": [
            {"channel": c, "gold": g, "predicted": p, "text": t}
            for (c, g, t), p in zip(rows, predicted, strict=True)
            if g != p
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--port", type=int, default=25006)
    parser.add_argument("--out", default="nlu_dev", help="report name under reports/ (or a path ending .json)")
    args = parser.parse_args()
    report = evaluate(args.model, args.port)
    print(f"NLU development set ({report['n']} tuning persona openings): accuracy {report['accuracy']}, "
          f"macro-F1 {report['macro_f1']}; "
          + ", ".join(f"{k} {v['accuracy']}" for k, v in report["by_channel"].items()))
    if args.out.endswith(".json"):
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(f"wrote {write_report(args.out, report)}")


if __name__ == "__main__":
    main()
