"""Analytics at scale: 100,000 conversations / 2,000,000 tracker events, ingested then summarised.

For each backend (SQLite files; PostgreSQL in a throw-away schema) it bulk
loads a Rasa-shaped ``events`` table (same columns and JSON as the SQL
tracker store), folds it with ``ingest`` (events/s), then times the summary
and a page of conversations over the folded rows (target: summary < 1 s),
plus the incremental cost a dashboard request pays: ingesting a few new
events, or none. Writes ``reports/analytics.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterator, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.analytics.csat import CSAT
from frontdoor.analytics.ingest import ingest
from frontdoor.analytics.summary import Filters, conversations, summary
from frontdoor.analytics.tracker import events_table
from frontdoor.database import create_schema, make_engine
from frontdoor.handoff.outbox import HANDOFF_CASES
from frontdoor.identity.tables import VERIFICATION_ATTEMPTS
from frontdoor.knowledge.feedback import FEEDBACK
from frontdoor.paths import ROOT

EVENTS_PER_CONVERSATION = 20
DAYS = 30
POSTGRES_URL = os.environ.get("FRONTDOOR_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REASONS = [("fees", "fees-by-amount"), ("delivery_time", "delivery-times"), ("transfer_limits", "limits-by-tier"),
           ("payment_methods", "payment-methods"), ("exchange_rate", "exchange-rates"),
           ("supported_countries", "country-kenya"), ("transfer_status", None), ("fraud_report", None),
           ("account_access", "account-locked"), ("refund_status", None)]
MISSED = ["can i pay with bitcoin", "do you do mortgages", "my cat walked on the keyboard", "what is the meaning"]
COLUMNS = ["id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data"]


def _event(sender: str, kind: str, at: float, intent: Optional[str] = None, action: Optional[str] = None,
           **data: Any) -> tuple:
    """A row without its id (ids are given in time order once a block is sorted)."""
    body = json.dumps({"event": kind, "timestamp": at, **data}, separators=(",", ":"))
    return (sender, kind, at, intent, action, body)


def conversation_events(index: int, start: float, rng: random.Random) -> List[tuple]:
    """Twenty events shaped like the assistant's: two user turns, a knowledge answer or a pending question."""
    sender = f"bench-{index:06d}"
    channel = "voice" if rng.random() < 0.3 else "rest"
    reason, article = REASONS[index % len(REASONS)]
    missed = rng.random() < 0.1
    intent, confidence = ("nlu_fallback", 0.3) if missed else (reason, 0.6 + 0.4 * rng.random())
    text = rng.choice(MISSED) if missed else f"question about {reason.replace('_', ' ')} number {index % 97}"
    at = iter(start + step * 2.0 for step in range(EVENTS_PER_CONVERSATION))
    rows = [
        _event(sender, "action", next(at), action="action_session_start", name="action_session_start"),
        _event(sender, "session_started", next(at)),
        _event(sender, "action", next(at), action="action_listen", name="action_listen"),
        _event(sender, "user", next(at), intent=intent, text=text, input_channel=channel,
               parse_data={"intent": {"name": intent, "confidence": confidence}, "entities": []}),
        _event(sender, "slot", next(at), action="country", name="country", value="Kenya"),
        _event(sender, "user_featurization", next(at), use_text_for_featurization=False),
        _event(sender, "action", next(at), action="action_answer_question", name="action_answer_question"),
        _event(sender, "bot", next(at), text="Here is what I found."),
        _event(sender, "bot", next(at), text="Did that answer your question?"),
        _event(sender, "slot", next(at), action="pending_question", name="pending_question",
               value="topics" if missed or article is None else "kb_helpful"),
        _event(sender, "slot", next(at), action="kb_context", name="kb_context",
               value={"article_id": article} if article and not missed else None),
        _event(sender, "action", next(at), action="action_listen", name="action_listen"),
    ]
    if rng.random() < 0.8:
        rows += [
            _event(sender, "user", next(at), intent="affirm", text="yes", input_channel=channel,
                   parse_data={"intent": {"name": "affirm", "confidence": 0.97}, "entities": []}),
            _event(sender, "user_featurization", next(at), use_text_for_featurization=False),
            _event(sender, "action", next(at), action="action_answer_pending", name="action_answer_pending"),
            _event(sender, "bot", next(at), text="Great, glad that helped."),
            _event(sender, "slot", next(at), action="pending_question", name="pending_question", value=None),
        ]
    while len(rows) < EVENTS_PER_CONVERSATION - 1:
        rows.append(_event(sender, "slot", next(at), action="amount", name="amount", value="100"))
    rows.append(_event(sender, "action", next(at), action="action_listen", name="action_listen"))
    return rows


def generate(n: int, seed: int = 7, first: int = 0, total: Optional[int] = None) -> Iterator[List[tuple]]:
    """Blocks of events in time order for conversations ``first..first+n``; they overlap as on a busy day."""
    rng = random.Random(seed)
    total = total or n
    next_id = first * EVENTS_PER_CONVERSATION + 1
    end = datetime(2026, 11, 30, tzinfo=timezone.utc).timestamp()
    span = DAYS * 86400
    block: List[tuple] = []
    for index in range(first, first + n):
        start = end - span + span * index / total
        block += conversation_events(index, start, rng)
        if len(block) >= 200_000 or index == first + n - 1:
            block.sort(key=lambda row: row[2])
            yield [(next_id + i, *row) for i, row in enumerate(block)]
            next_id += len(block)
            block = []


def app_rows(n: int, seed: int = 11) -> Dict[sa.Table, List[Dict[str, Any]]]:
    """Handoffs (15%), identity checks, votes and ratings for the generated conversations."""
    rng = random.Random(seed)
    moment = datetime(2026, 11, 15, tzinfo=timezone.utc)
    rows: Dict[sa.Table, List[Dict[str, Any]]] = {HANDOFF_CASES: [], VERIFICATION_ATTEMPTS: [], FEEDBACK: [], CSAT: []}
    reasons = ["handoff_topic", "identity_check_failed", "repeated_fallback", "not_helpful"]
    for index in range(n):
        sender = f"bench-{index:06d}"
        channel = "voice" if index % 3 == 0 else "chat"
        if rng.random() < 0.15:
            rows[HANDOFF_CASES].append({
                "case_id": str(uuid.UUID(int=rng.getrandbits(128))), "idempotency_key": f"{sender}#1",
                "conversation_id": sender, "category": REASONS[index % len(REASONS)][0], "priority": "normal",
                "handoff_reason": rng.choice(reasons), "created_at": moment})
        if rng.random() < 0.2:
            rows[VERIFICATION_ATTEMPTS].append({"conversation_id": sender, "customer_id": "C000001",
                                                "channel": channel, "attempted_at": moment,
                                                "outcome": "pass" if rng.random() < 0.8 else "fail"})
        if rng.random() < 0.3 and REASONS[index % len(REASONS)][1]:
            rows[FEEDBACK].append({"conversation_id": sender, "article_id": REASONS[index % len(REASONS)][1],
                                   "helpful": rng.random() < 0.7, "channel": channel, "created_at": moment})
        if rng.random() < 0.25:
            rows[CSAT].append({"conversation_id": sender, "rating": rng.randint(1, 5), "channel": channel,
                               "created_at": moment})
    return rows


def load_events(tracker: Engine, table: sa.Table, blocks: Iterator[List[tuple]]) -> int:
    table.metadata.create_all(tracker)
    total = 0
    for block in blocks:
        total += len(block)
        if tracker.dialect.name == "postgresql":
            buffer = io.StringIO()
            for row in block:
                buffer.write("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", "\\t")
                                       for v in row) + "\n")
            buffer.seek(0)
            raw = tracker.raw_connection()
            try:
                with raw.cursor() as cursor:
                    cursor.copy_expert(f"COPY {table.name} ({', '.join(COLUMNS)}) FROM STDIN", buffer)
                raw.commit()
            finally:
                raw.close()
        else:
            with tracker.begin() as connection:
                connection.execute(table.insert(), [dict(zip(COLUMNS, row, strict=True)) for row in block])
    return total


def timed(action: Callable[[], Any], repeat: int = 1) -> List[float]:
    seconds = []
    for _ in range(repeat):
        begun = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - begun)
    return seconds


def run_backend(app: Engine, tracker: Engine, n: int) -> Dict[str, Any]:
    create_schema(app)
    table = events_table(sa.MetaData())
    begun = time.perf_counter()
    events = load_events(tracker, table, generate(n))
    load_seconds = time.perf_counter() - begun
    with app.begin() as connection:
        for target, rows in app_rows(n).items():
            connection.execute(target.insert(), rows)
    begun = time.perf_counter()
    result = ingest(app, tracker, table=table)
    ingest_seconds = time.perf_counter() - begun
    assert result.events == events and result.conversations >= n
    now = datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp()
    first = timed(lambda: summary(app, Filters(), now=now))[0]
    warm = timed(lambda: summary(app, Filters(), now=now), repeat=5)
    filtered = timed(lambda: summary(app, Filters(start=now - 7 * 86400, channel="voice"), now=now), repeat=3)
    page = timed(lambda: conversations(app, Filters(), outcome="abandoned", page=10, page_size=50, now=now), repeat=3)
    noop = timed(lambda: ingest(app, tracker, table=table), repeat=3)
    figures = summary(app, Filters(), now=now)
    late = load_events(tracker, table, generate(50, seed=8, first=n, total=n))
    begun = time.perf_counter()
    fresh = ingest(app, tracker, table=table)
    incremental = time.perf_counter() - begun
    assert fresh.events == late
    return {
        "events": events, "conversations": figures["conversations"],
        "load_events_seconds": round(load_seconds, 2),
        "ingest_seconds": round(ingest_seconds, 2),
        "ingest_events_per_second": round(events / ingest_seconds),
        "summary_first_seconds": round(first, 3),
        "summary_median_seconds": round(statistics.median(warm), 3),
        "summary_last_7_days_voice_median_seconds": round(statistics.median(filtered), 3),
        "conversations_page_median_seconds": round(statistics.median(page), 3),
        "ingest_nothing_new_median_seconds": round(statistics.median(noop), 4),
        "ingest_1000_new_events_seconds": round(incremental, 3),
        "deflection_rate": figures["deflection_rate"],
        "outcomes": {k: figures[k] for k in ("contained", "handed_off", "abandoned", "in_progress")},
        "summary_under_1s": statistics.median(warm) < 1.0,
    }


def sqlite_run(n: int) -> Dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-analytics-") as folder:
        app, tracker = make_engine(f"sqlite:///{folder}/app.db"), make_engine(f"sqlite:///{folder}/tracker.db")
        try:
            return run_backend(app, tracker, n)
        finally:
            app.dispose()
            tracker.dispose()


def postgres_run(n: int) -> Dict[str, Any]:
    schema = f"bench_analytics_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        return run_backend(engine, engine, n)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_analytics", description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--out", default=str(ROOT / "reports" / "analytics.json"))
    args = parser.parse_args(argv)
    report: Dict[str, Any] = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "conversations": args.conversations, "events": args.conversations * EVENTS_PER_CONVERSATION,
        "late_events": 50 * EVENTS_PER_CONVERSATION,
        "cpus": os.cpu_count(), "backends": {},
        "notes": "Synthetic events in the SQL tracker store's schema and JSON shapes; one ingest() from an empty "
                 "watermark; summary over all 100k conversations. SQLite: separate tracker and app files; "
                 "PostgreSQL: one throw-away schema for both, dropped afterwards. Then 50 more conversations "
                 "(1,000 events) arrive and one ingest() folds them: the cost a dashboard request pays.",
    }
    runners = {"sqlite": sqlite_run, "postgresql": postgres_run}
    for backend in args.backends.split(","):
        print(f"{backend}: loading {report['events']:,} events...", flush=True)
        figures = runners[backend](args.conversations)
        report["backends"][backend] = figures
        print(f"{backend}: ingest {figures['ingest_seconds']} s ({figures['ingest_events_per_second']:,} events/s), "
              f"summary {figures['summary_median_seconds']} s (first {figures['summary_first_seconds']} s), "
              f"page {figures['conversations_page_median_seconds']} s, "
              f"no-op ingest {figures['ingest_nothing_new_median_seconds']} s, "
              f"1,000 new events {figures['ingest_1000_new_events_seconds']} s", flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
        out.write("\n")
    print(f"wrote {args.out}")
    return 0 if all(b["summary_under_1s"] for b in report["backends"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
