"""``python -m frontdoor report [--since 7d] [--channel chat|voice] [--json]``: the dashboard's summary as a table."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any, Dict, List, Optional

from sqlalchemy.engine import Engine

from frontdoor.analytics.ingest import ingest
from frontdoor.analytics.params import ParamError, since
from frontdoor.analytics.summary import CHANNELS, summary
from frontdoor.analytics.tracker import tracker_engine


def register(subparsers: Any) -> None:
    """Add the ``report`` command to the top-level CLI."""
    parser = subparsers.add_parser("report", help="deflection, handoffs, knowledge and missed messages")
    parser.add_argument("--since", default="7d", help="how far back: 24h, 7d, 2w (default 7d)")
    parser.add_argument("--channel", choices=CHANNELS)
    parser.add_argument("--tracker-url", default=None, help="default: $TRACKER_URL or var/tracker.db")
    parser.add_argument("--json", action="store_true", help="the API's JSON instead of tables")
    parser.set_defaults(run=run)


def _rate(value: Optional[float]) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _table(title: str, header: List[str], rows: List[List[Any]]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    for row in cells[1:]:
        pairs = enumerate(zip(row, widths, strict=True))
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs))
    if not rows:
        lines.append("(none)")
    return "\n".join(lines)


def _outcome_rows(groups: Dict[str, Dict[str, Any]]) -> List[List[Any]]:
    return [
        [name, g["conversations"], g["contained"], g["handed_off"], g["abandoned"], g["in_progress"],
         g["repeat_contacts"], _rate(g["deflection_rate"]), _rate(g["deflection_without_repeat_rate"])]
        for name, g in groups.items()
    ]


def format_report(result: Dict[str, Any]) -> str:
    outcome_header = ["", "conversations", "contained", "handed_off", "abandoned", "in_progress", "repeats",
                      "deflection", "no_repeat"]
    verification, csat = result["verification"], result["csat"]
    parts = [
        _table("Outcomes", outcome_header, _outcome_rows({"all": result}) + _outcome_rows(result["by_channel"])),
        _table("By contact reason", ["reason"] + outcome_header[1:], _outcome_rows(result["by_category"])),
        _table("By day (UTC)", ["day"] + outcome_header[1:],
               _outcome_rows({d["day"]: d for d in result["by_day"]})),
        _table("Handoff reasons", ["reason", "handoffs"], [[k, v] for k, v in result["handoff_reasons"].items()]),
        _table("Identity checks (conversations)", ["attempted", "passed", "failed"],
               [[verification["attempted"], verification["passed"], verification["failed"]]]),
        _table("Knowledge articles", ["article", "shown", "helpful", "not_helpful"],
               [[a["article_id"], a["shown"], a["helpful"], a["not_helpful"]] for a in result["knowledge"]]),
        _table("CSAT", ["ratings", "mean"], [[csat["count"], "-" if csat["mean"] is None else csat["mean"]]]),
        _table("Missed (redacted)", ["message", "kind", "times"],
               [[m["text"], m["kind"], m["count"]] for m in result["missed"]]),
    ]
    return "\n\n".join(parts)


def run(args: argparse.Namespace, engine: Engine) -> int:
    try:
        filters = replace(since(args.since), channel=args.channel)
    except ParamError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    tracker = tracker_engine(args.tracker_url)
    try:
        ingest(engine, tracker)
    finally:
        tracker.dispose()
    result = summary(engine, filters)
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0
