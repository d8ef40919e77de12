"""Knowledge retrieval evaluation over tests/kb/questions.yml -> reports/kb.json.

Recall@1/@3 and MRR over answerable questions (a hit is any expected article),
the share of unanswerable questions declined, the share of answerable ones
wrongly declined, and per-question latency of ``KnowledgeBase.answer`` in
process (index loaded, encoder warm), overall and per style (chat/voice).

The fusion weights and thresholds in ``Tuning`` were chosen on the
odd-numbered questions only (``--tune`` repeats that search); the report
gives every figure for all questions and for the even-numbered half alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from benchmarks.intent_metrics import percentile
from frontdoor.knowledge import KnowledgeBase, Tuning
from frontdoor.knowledge.retrieval import Ranking, Retriever
from frontdoor.paths import ROOT

QUESTIONS = ROOT / "tests" / "kb" / "questions.yml"
REPORT = ROOT / "reports" / "kb.json"
SPLIT_NOTE = (
    "Fusion weights and thresholds (Tuning) were fitted by `--tune` on the odd-numbered questions only; "
    "'holdout_even' (the even-numbered half) never fed a fitted number. Caveat: the misses of one untuned "
    "baseline run over all questions were read once, and motivated two generic changes (recognising "
    "countries ZuriSend does not serve, and not letting an unknown country name count against articles); "
    "every later change was motivated by odd-numbered questions only. Articles and the question set "
    "were not changed."
)
# The clarify search finds almost nothing to gain when a thin lead rarely hides the right article
# (0.005 on the tuning half); a floor keeps true ties ("cash pickup": countries, fee or collection?) asked about.
CLARIFY_FLOOR = 0.01
TARGETS = {"recall@1": 0.90, "recall@3": 0.97, "unanswerable_declined": 0.85, "latency_p95_ms": 25.0}


@dataclass(frozen=True)
class Question:
    number: int  # 1-based position in the file: odd numbers tune, even numbers are held out
    text: str
    expect: Tuple[str, ...]
    style: str


@dataclass(frozen=True)
class Outcome:
    question: Question
    ranked: Tuple[str, ...]
    scores: Tuple[float, ...]
    confidence: float
    decline: bool
    clarify: bool
    latency_ms: float

    @property
    def rank(self) -> Optional[int]:
        """1-based rank of the first expected article."""
        return next((i + 1 for i, a in enumerate(self.ranked) if a in self.question.expect), None)


def load_questions(path: Path = QUESTIONS) -> List[Question]:
    rows = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions") or []
    return [
        Question(n, str(row["q"]), tuple(row.get("expect") or ()), str(row.get("style", "chat")))
        for n, row in enumerate(rows, 1)
    ]


def run(kb: KnowledgeBase, questions: Sequence[Question]) -> List[Outcome]:
    """Answer each question once, timing ``answer()`` (retrieval plus composing the text)."""
    for warm in ("warm up the encoder", "how much does it cost"):
        kb.answer(warm)
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        answer = kb.answer(question.text, channel="voice" if question.style == "voice" else "chat")
        elapsed = (time.perf_counter() - started) * 1000
        ranking = kb.retriever.rank(question.text, kb.slots(question.text))
        outcomes.append(_outcome(question, ranking, elapsed, answer.decline, answer.clarify, answer.confidence))
    return outcomes


def _outcome(
    question: Question, ranking: Ranking, ms: float, decline: bool, clarify: bool, confidence: float
) -> Outcome:
    return Outcome(
        question,
        tuple(h.article_id for h in ranking.hits[:10]),
        tuple(round(h.score, 4) for h in ranking.hits[:10]),
        round(confidence, 4),
        decline,
        clarify,
        ms,
    )


def metrics(outcomes: Sequence[Outcome]) -> Dict[str, Any]:
    answerable = [o for o in outcomes if o.question.expect]
    unanswerable = [o for o in outcomes if not o.question.expect]
    ranks = [o.rank for o in answerable]
    clarified = [o for o in answerable if o.clarify]

    def share(values: Iterable[bool], n: int) -> Optional[float]:
        return round(sum(values) / n, 4) if n else None

    latencies = [o.latency_ms for o in outcomes]
    return {
        "n": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "recall@1": share((r == 1 for r in ranks), len(ranks)),
        "recall@3": share((r is not None and r <= 3 for r in ranks), len(ranks)),
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 4) if ranks else None,
        "answered_correctly": share((o.rank == 1 and not o.decline for o in answerable), len(answerable)),
        "unanswerable_declined": share((o.decline for o in unanswerable), len(unanswerable)),
        "answerable_wrongly_declined": share((o.decline for o in answerable), len(answerable)),
        "clarify_rate": share((o.clarify for o in outcomes), len(outcomes)),
        "clarify_right_in_two": share(
            (bool(set(o.ranked[:2]) & set(o.question.expect)) for o in clarified), len(clarified)
        ),
        "latency_p50_ms": round(percentile(latencies, 50), 2) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 95), 2) if latencies else None,
    }


def with_styles(outcomes: Sequence[Outcome]) -> Dict[str, Any]:
    report = metrics(outcomes)
    styles = sorted({o.question.style for o in outcomes})
    report["by_style"] = {s: metrics([o for o in outcomes if o.question.style == s]) for s in styles}
    return report


def misses(outcomes: Sequence[Outcome]) -> List[Dict[str, Any]]:
    rows = []
    for o in outcomes:
        q = o.question
        if q.expect and o.rank == 1 and not o.decline:
            continue
        if not q.expect and o.decline:
            continue
        kind = "not declined" if not q.expect else "wrongly declined" if o.rank == 1 else "wrong article"
        rows.append(
            {
                "number": q.number,
                "q": q.text,
                "style": q.style,
                "expect": list(q.expect),
                "kind": kind,
                "rank": o.rank,
                "top3": list(zip(o.ranked[:3], o.scores[:3], strict=False)),
                "confidence": o.confidence,
                "declined": o.decline,
            }
        )
    return rows


def report(kb: KnowledgeBase, questions: Sequence[Question], path: Path) -> Dict[str, Any]:
    outcomes = run(kb, questions)
    overall = with_styles(outcomes)
    result = {
        "dataset": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "split": SPLIT_NOTE,
        "all": overall,
        "holdout_even": with_styles([o for o in outcomes if o.question.number % 2 == 0]),
        "tune_odd": with_styles([o for o in outcomes if o.question.number % 2 == 1]),
        "targets": TARGETS,
        "meets_targets": {
            "recall@1": (overall["recall@1"] or 0) >= TARGETS["recall@1"],
            "recall@3": (overall["recall@3"] or 0) >= TARGETS["recall@3"],
            "unanswerable_declined": (overall["unanswerable_declined"] or 0) >= TARGETS["unanswerable_declined"],
            "latency_p95_ms": (overall["latency_p95_ms"] or 1e9) <= TARGETS["latency_p95_ms"],
        },
        "tuning": asdict(kb.retriever.tuning),
        "machine": {"cpus": os.cpu_count()},
        "misses": misses(outcomes),
    }
    return result


def print_summary(result: Dict[str, Any]) -> None:
    def line(name: str, m: Dict[str, Any]) -> str:
        return (
            f"{name:<14} n={m['n']:<4} R@1={m['recall@1']} R@3={m['recall@3']} MRR={m['mrr']} "
            f"declined(unans)={m['unanswerable_declined']} wrongly-declined={m['answerable_wrongly_declined']} "
            f"p50={m['latency_p50_ms']}ms p95={m['latency_p95_ms']}ms"
        )

    print(line("all", result["all"]))
    for style, m in result["all"]["by_style"].items():
        print(line(f"  {style}", m))
    print(line("holdout (even)", result["holdout_even"]))
    print(line("tune (odd)", result["tune_odd"]))
    print(f"targets met: {result['meets_targets']}; misses: {len(result['misses'])}")
    e2e = result.get("end_to_end")
    if e2e:
        for name in ("all", "holdout_even"):
            m = e2e[name]
            print(f"end to end {name:<12} answered correctly={m['answered_correctly']} "
                  f"declined(unans)={m['unanswerable_declined']} declined(answerable)={m['answerable_declined']}")
        print(f"end-to-end targets (held out): {e2e['targets']} met: {e2e['meets_targets']}")


# --- tuning on the odd-numbered half -------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """Per question: chunk similarities and slots, so a grid search never re-encodes."""

    question: Question
    similarities: np.ndarray
    slots: Any


def prepare(kb: KnowledgeBase, questions: Sequence[Question]) -> List[Prepared]:
    retriever = kb.retriever
    texts = [q.text for q in questions]
    vectors = retriever.encode(texts)
    return [Prepared(q, retriever.vectors @ v, kb.slots(q.text)) for q, v in zip(questions, vectors, strict=True)]


def score_config(kb: KnowledgeBase, prepared: Sequence[Prepared], tuning: Tuning) -> Tuple[float, List[Ranking]]:
    """Objective: recall@1 + (recall@3 + MRR) / 2 + half the AUC of the top score (right answer vs unanswerable)."""
    retriever = Retriever(kb.retriever.articles, kb.retriever.index, kb.retriever.encode, tuning)
    rankings = [retriever.rank(p.question.text, p.slots, dense=retriever.pool(p.similarities)) for p in prepared]
    ranks, right, unanswerable = [], [], []
    for p, ranking in zip(prepared, rankings, strict=True):
        if p.question.expect:
            ids = [h.article_id for h in ranking.hits]
            ranks.append(next((i + 1 for i, a in enumerate(ids) if a in p.question.expect), 99))
            if ranks[-1] == 1:
                right.append(ranking.hits[0].score)
        else:
            unanswerable.append(ranking.hits[0].score)
    recall1 = sum(r == 1 for r in ranks) / len(ranks)
    recall3 = sum(r <= 3 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks) / len(ranks)
    pairs = [(a > u) + 0.5 * (a == u) for a in right for u in unanswerable]
    auc = sum(pairs) / len(pairs) if pairs else 0.0
    return recall1 + 0.5 * recall3 + 0.5 * mrr + 0.5 * auc, rankings


def fit_confidence(prepared: Sequence[Prepared], rankings: Sequence[Ranking]) -> Tuple[float, float, float, float]:
    """Logistic regression of "the top hit is right" on its dense and lexical scores and the unknown share."""
    features, labels = [], []
    for p, ranking in zip(prepared, rankings, strict=True):
        top = ranking.hits[0]
        features.append((1.0, top.dense, top.lexical, ranking.unknown))
        labels.append(1.0 if ranking.hits[0].article_id in p.question.expect else 0.0)
    x, y = np.array(features), np.array(labels)
    w = np.zeros(4)
    for _ in range(20000):
        p_hat = 1 / (1 + np.exp(-x @ w))
        w -= 0.5 * x.T @ (p_hat - y) / len(y) + 1e-4 * np.r_[0, w[1:]]
    return float(w[0]), float(w[1]), float(w[2]), float(w[3])


def choose_thresholds(
    prepared: Sequence[Prepared], rankings: Sequence[Ranking], retriever: Retriever
) -> Tuple[float, float]:
    """Decline threshold and clarify margin, chosen on the tuning half.

    Decline: among thresholds declining at least 85% of unanswerable questions
    (when any does), the one maximising declined unanswerable plus answered
    answerable shares. Clarify: the margin maximising "only the runner-up was
    right" minus a quarter of "only the top was right" (a needless question
    costs a turn; a wrong answer costs more).
    """
    judged = [(p.question.expect, retriever.judge(r.hits, r.unknown)) for p, r in zip(prepared, rankings, strict=True)]
    answerable = [j.confidence for expect, j in judged if expect]
    unanswerable = [j.confidence for expect, j in judged if not expect]
    options = []
    for threshold in np.arange(0.02, 0.98, 0.01):
        declined = sum(c < threshold for c in unanswerable) / max(1, len(unanswerable))
        kept = sum(c >= threshold for c in answerable) / max(1, len(answerable))
        options.append((declined >= 0.85, declined + kept, -threshold, float(threshold)))
    decline = max(options)[3]
    best_margin, best_value = 0.0, 0.0
    for margin in np.arange(0.0, 0.1, 0.005):
        value = 0.0
        for expect, j in judged:
            first, second = j.hits[0], j.hits[1]
            if expect and first.score - second.score < margin:
                value += (second.article_id in expect and first.article_id not in expect) - 0.25 * (
                    first.article_id in expect and second.article_id not in expect
                )
        if value > best_value:
            best_margin, best_value = float(margin), value
    return round(decline, 2), round(best_margin, 3)


SEARCH = {
    "dense_weight": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    "title_weight": [1, 2, 3, 4],
    "tags_weight": [1, 2, 3, 4],
    "voice_weight": [0, 1, 2],
    "body_weight": [0, 1, 2],
    "unknown_weight": [0.0, 0.15, 0.3, 0.6],
    "typo_weight": [0.5, 0.8, 1.0],
    "country_boost": [0.0, 0.04, 0.08, 0.15],
    "method_boost": [0.0, 0.02, 0.04, 0.08],
    "method_penalty": [0.0, 0.02, 0.04, 0.08],
    "unsupported_boost": [0.0, 0.05, 0.1, 0.2],
    "k1": [0.9, 1.2, 1.6],
    "b": [0.5, 0.75, 0.9],
}


def tune(kb: KnowledgeBase, questions: Sequence[Question], rounds: int = 2) -> Tuning:
    """Coordinate search of the ranking weights on the odd-numbered questions, then the confidence fit."""
    odd = [q for q in questions if q.number % 2 == 1]
    prepared = prepare(kb, odd)
    chosen = kb.retriever.tuning
    best_value, rankings = score_config(kb, prepared, chosen)
    for _ in range(rounds):
        for name, values in SEARCH.items():
            for value in values:
                changes: Dict[str, Any] = {name: value}
                if name == "dense_weight":
                    changes["lexical_weight"] = round(1 - value, 2)
                candidate = replace(chosen, **changes)
                score, candidate_rankings = score_config(kb, prepared, candidate)
                if score > best_value + 1e-9:
                    best_value, chosen, rankings = score, candidate, candidate_rankings
    bias, dense, lexical, unknown = fit_confidence(prepared, rankings)
    chosen = replace(
        chosen,
        confidence_bias=round(bias, 2),
        confidence_dense=round(dense, 2),
        confidence_lexical=round(lexical, 2),
        confidence_unknown=round(unknown, 2),
    )
    retriever = Retriever(kb.retriever.articles, kb.retriever.index, kb.retriever.encode, chosen)
    decline, clarify = choose_thresholds(prepared, rankings, retriever)
    return replace(chosen, decline_below=decline, clarify_margin=max(clarify, CLARIFY_FLOOR))


def end_to_end(questions: Sequence[Question], rasa_url: Optional[str], model: Optional[Path]) -> Dict[str, Any]:
    """The same questions through the assistant's channels, each in a fresh conversation (benchmarks.kb_e2e)."""
    from benchmarks.eval_conversations import PORTS, fresh_servers, latest_model
    from benchmarks.kb_e2e import e2e_report, run_questions

    print(f"Asking {len(questions)} questions end to end...", flush=True)
    if rasa_url:
        return e2e_report(asyncio.run(run_questions(questions, rasa_url)))
    chosen = model or latest_model()
    with fresh_servers(chosen, PORTS) as (rasa, _queue):
        return {"model": chosen.name, **e2e_report(asyncio.run(run_questions(questions, rasa)))}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_kb", description=__doc__)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--tune", action="store_true", help="search Tuning on the odd-numbered questions and print it")
    parser.add_argument("--e2e", action="store_true", help="also ask every question of the running assistant "
                        "(fresh servers on their own ports unless --rasa-url)")
    parser.add_argument("--rasa-url", help="reuse a running Rasa for --e2e, e.g. http://127.0.0.1:5005")
    parser.add_argument("--model", type=Path, help="model for the --e2e servers (default: the newest)")
    args = parser.parse_args(argv)
    if not args.questions.is_file():
        print(f"{args.questions} does not exist yet")
        return 1
    questions = load_questions(args.questions)
    kb = KnowledgeBase.load()
    if args.tune:
        print(json.dumps(asdict(tune(kb, questions)), indent=2))
        return 0
    result = report(kb, questions, args.questions)
    if args.e2e or args.rasa_url:
        result["end_to_end"] = end_to_end(questions, args.rasa_url, args.model)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print_summary(result)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
