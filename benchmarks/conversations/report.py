"""Pass rates of scored conversations: overall, per channel, per contact reason, per kind, tuning vs held out."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Dict, Iterable, List, Sequence

TARGET = 0.90  # issue 14: whole conversations passed


def rate(rows: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    passed = sum(1 for r in rows if r["passed"])
    return {"n": len(rows), "passed": passed, "rate": round(passed / len(rows), 4) if rows else None}


def _grouped(rows: Sequence[Dict[str, Any]], key: str) -> Dict[str, Any]:
    groups: Dict[str, List[Dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row[key]), []).append(row)
    return {name: {**rate(group), "heldout": rate([r for r in group if r["split"] == "heldout"])}
            for name, group in sorted(groups.items())}


def failure_kinds(rows: Iterable[Dict[str, Any]]) -> Dict[str, int]:
    """Reasons with their specifics removed ("never said /.../"), counted, most common first."""
    counted: Counter = Counter()
    for row in rows:
        for reason in row["reasons"]:
            counted[re.sub(r"/.*/|'.*'|\(.*\)|[a-z_]+ \d+|\bturn \d+", "…", reason)] += 1
    return dict(counted.most_common())


def summarise(rows: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    heldout = [r for r in rows if r["split"] == "heldout"]
    by_reason = _grouped(rows, "reason")
    return {
        "target": {"passed": TARGET},
        "all": rate(rows),
        "heldout": rate(heldout),
        "tuning": rate([r for r in rows if r["split"] == "tuning"]),
        "meets_target": {"heldout_passed": (rate(heldout)["rate"] or 0) >= TARGET},
        "by_channel": _grouped(rows, "channel"),
        "by_reason": by_reason,
        "by_kind": _grouped(rows, "kind"),
        "worst_reasons": sorted(by_reason, key=lambda name: (by_reason[name]["rate"], name))[:5],
        "failure_kinds": failure_kinds(rows),
    }
