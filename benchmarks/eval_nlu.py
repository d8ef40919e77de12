"""Held-out NLU evaluation: the trained assistant model against tests/nlu/.

The held-out files were written separately from data/nlu/ and are never used
for training. Messages go through `/model/parse` of a real `rasa run`, so the
latency figures are the HTTP round trip a client sees (single client, sequential).

`/model/parse` carries no message metadata, so the pipeline's TranscriptNormaliser
(voice messages only) does not run there. The voice set is therefore scored
twice: as written (`by_style.voice`) and as the voice channel's NLU reads it
(`voice_normalised`: each transcript passed through the same
`normalise_transcript` the TranscriptNormaliser applies, parsed, and its
entities reconciled with the parsed values as NBestEntityFiller does; the
held-out set has one transcript per turn, so there are no alternatives to fill
from). Entity recall on the voice set's annotated entities is reported for both.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Dict, List, Tuple

from benchmarks.intent_metrics import grouped, percentile, summary
from benchmarks.rasa_server import parse_all, parse_server, write_report
from frontdoor.lint import read_nlu_examples
from frontdoor.nlu.entities import canonical_value
from frontdoor.paths import ROOT
from frontdoor.spoken.alternatives import reconcile_with_transcript
from frontdoor.spoken.normalise import normalise_transcript

HELDOUT = {"chat": ROOT / "tests/nlu/heldout_chat.yml", "voice": ROOT / "tests/nlu/heldout_voice.yml"}


def load_heldout() -> List[Tuple[str, str, str]]:
    """(style, gold intent, text) rows."""
    rows = []
    for style, path in HELDOUT.items():
        for intent, examples in read_nlu_examples([path]).items():
            rows.extend((style, intent, text) for text, _ in examples)
    return rows


def gold_entities(path: Path) -> Dict[str, List[Tuple[str, str]]]:
    """plain text -> annotated (entity, canonical value) pairs, read with Rasa's own loader."""
    from rasa.shared.nlu.training_data.loading import load_data

    out: Dict[str, List[Tuple[str, str]]] = {}
    for message in load_data(str(path)).training_examples:
        entities = message.get("entities") or []
        out[message.get("text")] = [(str(e["entity"]), str(canonical_value(str(e["entity"]), e["value"])))
                                    for e in entities]
    return out


def entity_recall(gold: List[List[Tuple[str, str]]], results: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Share of annotated (entity, value) pairs found with the same canonical value, per entity type."""
    found: Dict[str, List[int]] = {}
    for pairs, result in zip(gold, results, strict=True):
        predicted = {(str(e.get("entity")), str(e.get("value"))) for e in result.get("entities") or []}
        for pair in pairs:
            hits = found.setdefault(pair[0], [0, 0])
            hits[0] += pair in predicted
            hits[1] += 1
    total = [sum(h[0] for h in found.values()), sum(h[1] for h in found.values())]
    return {
        "all": {"found": total[0], "annotated": total[1],
                "recall": round(total[0] / total[1], 4) if total[1] else None},
        **{k: {"found": h[0], "annotated": h[1], "recall": round(h[0] / h[1], 4)} for k, h in sorted(found.items())},
    }


def top_classifier_guess(result: Dict[str, Any]) -> Tuple[str, float]:
    """The intent classifier's best guess, looking past the FallbackClassifier."""
    for entry in result.get("intent_ranking") or []:
        if entry.get("name") != "nlu_fallback":
            return str(entry.get("name")), float(entry.get("confidence") or 0.0)
    return "None", 0.0


def evaluate(model: Path, port: int) -> Dict[str, Any]:
    rows = load_heldout()
    voice = [(intent, text) for style, intent, text in rows if style == "voice"]
    parsed_values = [normalise_transcript(text) for _, text in voice]
    normalised = [found.text for found in parsed_values]
    with parse_server(model, port, ROOT / "var" / "log"):
        results = parse_all(port, [text for _, _, text in rows])
        normalised_results = [
            {**r, "entities": reconcile_with_transcript(list(r.get("entities") or []), found.spans)}
            for (r, _), found in zip(parse_all(port, normalised, warmup=0), parsed_values, strict=True)
        ]
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
    raw_voice = [r for (style, _, _), (r, _) in zip(rows, results, strict=True) if style == "voice"]
    voice_gold = [intent for intent, _ in voice]
    voice_predicted = [(r.get("intent") or {}).get("name") or "None" for r in normalised_results]
    annotated = gold_entities(HELDOUT["voice"])
    voice_entities = [annotated.get(text, []) for _, text in voice]
    changed = [
        {"gold": g, "as_written": (raw.get("intent") or {}).get("name"), "normalised": p, "text": text,
         "normalised_text": n}
        for (g, text), n, raw, p in zip(voice, normalised, raw_voice, voice_predicted, strict=True)
        if (raw.get("intent") or {}).get("name") != p
    ]
    return {
        "model": model.name,
        "heldout_files": {k: str(v.relative_to(ROOT)) for k, v in HELDOUT.items()},
        **overall,
        "fallback_rate": round(fallback_rate, 4),
        "accuracy_without_fallback": round(sum(g == c for g, (c, _) in zip(gold, top, strict=True)) / len(gold), 4),
        "by_style": {k: {m: v[m] for m in ("n", "accuracy", "macro_f1")} for k, v in by_style.items()},
        "voice_normalised": {
            "how": "each voice transcript through frontdoor.spoken.normalise.normalise_transcript (what the "
                   "TranscriptNormaliser does to voice-channel messages), then /model/parse, then the entities "
                   "reconciled with the parsed values (frontdoor.spoken.alternatives.reconcile_with_transcript, "
                   "as NBestEntityFiller does)",
            "rewritten": sum(n != t for n, (_, t) in zip(normalised, voice, strict=True)),
            **{m: v for m, v in summary(voice_gold, voice_predicted).items() if m in ("n", "accuracy", "macro_f1")},
            "intent_changed": changed,
        },
        "voice_entity_recall": {
            "how": "annotated (entity, canonical value) pairs of heldout_voice.yml found in the parse; spoken "
                   "references are not annotated there, so transfer_reference is not scored",
            "as_written": entity_recall(voice_entities, raw_voice),
            "normalised": entity_recall(voice_entities, normalised_results),
        },
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
    vn = report["voice_normalised"]
    print(f"  voice, normalised as the voice channel does ({vn['rewritten']} rewritten): accuracy {vn['accuracy']:.3f}"
          f"  macro-F1 {vn['macro_f1']:.3f}")
    recall = report["voice_entity_recall"]
    print(f"  voice entity recall: as written {recall['as_written']['all']['recall']}, "
          f"normalised {recall['normalised']['all']['recall']}")
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
