"""Re-score a saved reports/conversations.json against the current personas, without talking to the bot again.

For changing an expectation or a fact regex: the transcripts and observations
are reused (the openings must be unchanged, which the persona ids check).
"""

from __future__ import annotations

from typing import Any, Dict, List

from benchmarks.conversations.customer import _HANDOFF
from benchmarks.conversations.personas import generate
from benchmarks.conversations.report import summarise
from benchmarks.conversations.scorer import Observation, score


def _handoff_turn(transcript: List[Dict[str, str]], greeted: bool) -> int | None:
    turns = -1 if greeted else 0
    for line in transcript:
        if line["speaker"] == "customer":
            turns += 1
        elif _HANDOFF.search(line["text"]):
            return turns
    return None


def rescore(report: Dict[str, Any]) -> Dict[str, Any]:
    personas = {p.id: p for p in generate(int(report.get("seed", 2026)))}
    rows = []
    for row in report["personas"]:
        persona = personas[row["id"]]
        if persona.opening != row["opening"]:
            raise ValueError(f"{row['id']}: the persona changed, run the evaluation again")
        seen_row = row["observed"]
        cases = ([{"category": seen_row["category"], "handoff_reason": seen_row["handoff_reason"]}]
                 if seen_row["category"] else [])
        turn = seen_row.get("handoff_turn") or _handoff_turn(row["transcript"], persona.greet)
        seen = Observation([(t["speaker"], t["text"]) for t in row["transcript"]], verified=seen_row["verified"],
                           identity_asked=seen_row["identity_asked"], cases=cases, handoff_turn=turn)
        verdict = score(persona, seen)
        rows.append({**row, **persona.as_dict(), "passed": verdict.passed, "reasons": list(verdict.reasons)})
    kept = {k: v for k, v in report.items() if k not in ("personas",)}
    return {**kept, **summarise(rows), "rescored": True, "personas": rows}
