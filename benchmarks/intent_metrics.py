"""Intent classification metrics, written out so the figures can be checked by hand."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Dict, List, Sequence, Tuple


def per_label_f1(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, Dict[str, float]]:
    """Precision, recall, F1 and support for every gold label."""
    true_positive: Counter[str] = Counter()
    predicted_count: Counter[str] = Counter(predicted)
    support: Counter[str] = Counter(gold)
    for g, p in zip(gold, predicted, strict=False):
        if g == p:
            true_positive[g] += 1
    report = {}
    for label in sorted(support):
        precision = true_positive[label] / predicted_count[label] if predicted_count[label] else 0.0
        recall = true_positive[label] / support[label]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support[label],
        }
    return report


def summary(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, object]:
    """Accuracy, macro-F1 over gold labels, per-label scores and top confusions."""
    if not gold:
        return {"n": 0, "accuracy": None, "macro_f1": None, "per_intent": {}, "confusions": []}
    per_label = per_label_f1(gold, predicted)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=False)) / len(gold)
    macro_f1 = sum(v["f1"] for v in per_label.values()) / len(per_label)
    return {
        "n": len(gold),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro_f1, 4),
        "per_intent": per_label,
        "confusions": top_confusions(gold, predicted),
    }


def top_confusions(
    gold: Sequence[str], predicted: Sequence[str], limit: int = 15
) -> List[Dict[str, object]]:
    pairs: Counter[Tuple[str, str]] = Counter(
        (g, p) for g, p in zip(gold, predicted, strict=False) if g != p
    )
    return [{"gold": g, "predicted": p, "count": n} for (g, p), n in pairs.most_common(limit)]


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def grouped(rows: List[Tuple[str, str, str]]) -> Dict[str, Dict[str, object]]:
    """Summaries per group of (group, gold, predicted) rows."""
    by_group: Dict[str, Tuple[List[str], List[str]]] = defaultdict(lambda: ([], []))
    for group, g, p in rows:
        by_group[group][0].append(g)
        by_group[group][1].append(p)
    return {k: summary(*v) for k, v in sorted(by_group.items())}
