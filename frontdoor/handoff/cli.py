"""``python -m frontdoor handoff list [--failed] | redrive <case_id|--all-failed>``: the ops view of the outbox."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any, Callable, Optional

from sqlalchemy.engine import Engine

from frontdoor.handoff.outbox import list_outbox, redrive, status_counts

EngineFactory = Callable[[], Engine]


def register(subparsers: Any) -> None:
    """Add the ``handoff`` command to the top-level CLI."""
    parser = subparsers.add_parser("handoff", help="inspect and redrive handoff deliveries")
    commands = parser.add_subparsers(dest="handoff_command", required=True)
    show = commands.add_parser("list", help="latest cases in the outbox with their delivery status")
    show.add_argument("--failed", action="store_true", help="only dead-lettered cases")
    show.add_argument("--status", choices=("pending", "delivering", "delivered", "failed"), help="only this status")
    show.add_argument("--limit", type=int, default=50)
    show.add_argument("--json", action="store_true", help="one JSON object per line")
    show.set_defaults(run=_list)
    again = commands.add_parser("redrive", help="queue dead-lettered cases again with a fresh retry window")
    target = again.add_mutually_exclusive_group(required=True)
    target.add_argument("case_id", nargs="?", help="one case (failed, or delivered to re-send)")
    target.add_argument("--all-failed", action="store_true", help="every dead-lettered case")
    again.set_defaults(run=_redrive)


def _when(moment: Optional[datetime]) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _list(args: argparse.Namespace, engine: Engine) -> int:
    status = "failed" if args.failed else args.status
    rows = list_outbox(engine, status=status, limit=args.limit)
    if args.json:
        for row in rows:
            record = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.__dict__.items()}
            print(json.dumps(record, sort_keys=True))
        return 0
    counts = status_counts(engine)
    print("  ".join(f"{name}: {count}" for name, count in counts.items()))
    if not rows:
        print(f"no {status or ''} cases".replace("  ", " "))
        return 0
    header = f"{'case_id':36}  {'status':10} {'tries':>5}  {'priority':8} {'category':24} {'created (UTC)':19}"
    print(f"{header}  {'next/delivered':19}  last error")
    for row in rows:
        when = row.delivered_at if row.status == "delivered" else row.next_attempt_at
        error = (row.last_error or "").replace("\n", " ")[:60]
        print(
            f"{row.case_id:36}  {row.status:10} {row.attempts:>5}  {row.priority:8} {row.category:24} "
            f"{_when(row.created_at):19}  {_when(when):19}  {error}"
        )
    return 0


def _redrive(args: argparse.Namespace, engine: Engine) -> int:
    count = redrive(engine, None if args.all_failed else args.case_id)
    if args.case_id and not count:
        print(f"case {args.case_id} is not failed or delivered (or does not exist): nothing to redrive")
        return 1
    print(f"queued {count} case(s) for delivery")
    return 0
