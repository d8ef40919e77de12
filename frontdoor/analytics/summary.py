"""Outcomes and the summary over the folded conversation rows (docs/analytics.md).

An outcome depends on the clock (30 minutes of silence) and on handoff cases
that may be recorded after the last event, so it is computed in the query,
never stored. Every figure counts only the conversations the filters select
(started in ``[start, end)``, on ``channel``), joined by conversation id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.analytics.csat import CSAT
from frontdoor.analytics.tables import ARTICLES_SHOWN, CONVERSATION_CUSTOMERS, CONVERSATIONS, MISSED
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.handoff.outbox import HANDOFF_CASES
from frontdoor.identity.tables import VERIFICATION_ATTEMPTS
from frontdoor.knowledge.feedback import FEEDBACK

IDLE_SECONDS = 30 * 60
REPEAT_WINDOW_SECONDS = 24 * 3600
"""A new contact from the same customer this soon after a contained conversation makes it a repeat contact."""
CHANNELS = ("chat", "voice")
OUTCOMES = ("contained", "handed_off", "abandoned", "in_progress")
UNCLASSIFIED = "unclassified"
MISSED_LIMIT = 20
PASSED = ("pass", "token_pass")

C = CONVERSATIONS.c


@dataclass(frozen=True)
class Filters:
    start: Optional[float] = None
    """Unix seconds, inclusive (conversation start time)."""
    end: Optional[float] = None
    """Unix seconds, exclusive."""
    channel: Optional[str] = None


def outcome_column(now: float) -> sa.sql.ColumnElement:
    """The outcome of each conversation row at ``now``."""
    handed_off = sa.exists().where(HANDOFF_CASES.c.conversation_id == C.conversation_id)
    idle = C.last_event_at < now - IDLE_SECONDS
    closed = C.pending_question == OpenQuestion.CLOSED.value
    return sa.case(
        (handed_off, "handed_off"),
        (sa.and_(idle, C.pending_step.isnot(None)), "abandoned"),
        (sa.or_(idle, closed), "contained"),
        else_="in_progress",
    )


def repeat_contact_column() -> sa.sql.ColumnElement:
    """1 when the same customer (``analytics_conversation_customers``) started another conversation after this
    one began and at most 24 hours after its last event; any conversation, whatever the filters select."""
    mine, theirs = CONVERSATION_CUSTOMERS.alias("mine"), CONVERSATION_CUSTOMERS.alias("theirs")
    later = CONVERSATIONS.alias("later")
    followed = sa.exists().where(
        mine.c.conversation_id == C.conversation_id,
        theirs.c.customer_id == mine.c.customer_id,
        theirs.c.conversation_id != C.conversation_id,
        later.c.conversation_id == theirs.c.conversation_id,
        later.c.user_messages > 0,
        later.c.started_at > C.started_at,
        later.c.started_at <= C.last_event_at + REPEAT_WINDOW_SECONDS,
    )
    return sa.case((followed, 1), else_=0)


def _where(filters: Filters) -> List[sa.sql.ColumnElement]:
    conditions = [C.user_messages > 0]
    if filters.start is not None:
        conditions.append(C.started_at >= filters.start)
    if filters.end is not None:
        conditions.append(C.started_at < filters.end)
    if filters.channel is not None:
        conditions.append(C.channel == filters.channel)
    return conditions


def _counts() -> Dict[str, Any]:
    return {"conversations": 0, **{outcome: 0 for outcome in OUTCOMES}, "repeat_contacts": 0,
            "deflection_rate": None, "deflection_without_repeat_rate": None}


def deflection_rate(contained: int, handed_off: int, abandoned: int, repeat_contacts: int = 0) -> Optional[float]:
    """(contained - repeat_contacts) / (contained + handed_off + abandoned); None while nothing has ended."""
    ended = contained + handed_off + abandoned
    return round((contained - repeat_contacts) / ended, 4) if ended else None


def _add(counts: Dict[str, Any], outcome: str, repeat: bool, n: int) -> None:
    counts["conversations"] += n
    counts[outcome] += n
    if repeat and outcome == "contained":
        counts["repeat_contacts"] += n
    outcomes = (counts["contained"], counts["handed_off"], counts["abandoned"])
    counts["deflection_rate"] = deflection_rate(*outcomes)
    counts["deflection_without_repeat_rate"] = deflection_rate(*outcomes, repeat_contacts=counts["repeat_contacts"])


def _joined(table: sa.Table) -> Any:
    return table.join(CONVERSATIONS, table.c.conversation_id == C.conversation_id)


def summary(engine: Engine, filters: Filters, now: Optional[float] = None) -> Dict[str, Any]:
    """Every figure of ``GET /api/analytics/summary`` for the selected conversations."""
    now = time.time() if now is None else now
    where = _where(filters)
    outcome = outcome_column(now).label("outcome")
    repeat = repeat_contact_column().label("repeat")
    inner = sa.select(C.channel, C.contact_reason, C.started_day, outcome, repeat).where(*where).subquery()
    keys = (inner.c.channel, inner.c.contact_reason, inner.c.started_day, inner.c.outcome, inner.c.repeat)
    grouped = sa.select(*keys, sa.func.count()).group_by(*keys)
    total = _counts()
    by_channel = {channel: _counts() for channel in CHANNELS}
    by_category: Dict[str, Dict[str, Any]] = {}
    by_day: Dict[str, Dict[str, Any]] = {}
    with engine.connect() as connection:
        for channel, reason, day, result, repeated, n in connection.execute(grouped):
            for counts in (total, by_channel.setdefault(channel, _counts()),
                           by_category.setdefault(reason or UNCLASSIFIED, _counts()),
                           by_day.setdefault(day, _counts())):
                _add(counts, result, bool(repeated), int(n))
        handoff_reasons = _handoff_reasons(connection, where)
        verification = _verification(connection, where)
        knowledge = _knowledge(connection, where)
        csat = _csat(connection, where)
        missed = _missed(connection, where)
    return {
        "filters": _echo(filters),
        **total,
        "by_channel": by_channel,
        "by_category": {name: by_category[name] for name in sorted(by_category, key=_largest_first(by_category))},
        "by_day": [{"day": key, **by_day[key]} for key in sorted(by_day)],
        "handoff_reasons": handoff_reasons,
        "verification": verification,
        "knowledge": knowledge,
        "csat": csat,
        "missed": missed,
    }


def _largest_first(groups: Dict[str, Dict[str, Any]]) -> Callable[[str], Tuple[int, str]]:
    return lambda name: (-int(groups[name]["conversations"]), name)


def _echo(filters: Filters) -> Dict[str, Optional[str]]:
    def iso(moment: Optional[float]) -> Optional[str]:
        return None if moment is None else datetime.fromtimestamp(moment, timezone.utc).isoformat()

    return {"start": iso(filters.start), "end": iso(filters.end), "channel": filters.channel}


def _handoff_reasons(connection: Any, where: List[Any]) -> Dict[str, int]:
    reason = HANDOFF_CASES.c.handoff_reason
    query = (sa.select(reason, sa.func.count()).select_from(_joined(HANDOFF_CASES)).where(*where)
             .group_by(reason).order_by(sa.func.count().desc(), reason))
    return {name: int(n) for name, n in connection.execute(query)}


def _verification(connection: Any, where: List[Any]) -> Dict[str, int]:
    audit = VERIFICATION_ATTEMPTS.c
    passed = sa.func.max(sa.case((audit.outcome.in_(PASSED), 1), else_=0)).label("passed")
    per_conversation = (sa.select(audit.conversation_id, passed).select_from(_joined(VERIFICATION_ATTEMPTS))
                        .where(*where).group_by(audit.conversation_id).subquery())
    attempted, passed_count = connection.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(per_conversation.c.passed), 0))
    ).one()
    return {"attempted": int(attempted), "passed": int(passed_count), "failed": int(attempted) - int(passed_count)}


def _knowledge(connection: Any, where: List[Any]) -> List[Dict[str, Any]]:
    articles: Dict[str, Dict[str, Any]] = {}

    def entry(article_id: str) -> Dict[str, Any]:
        return articles.setdefault(article_id, {"article_id": article_id, "shown": 0, "helpful": 0,
                                                "not_helpful": 0})

    shown = sa.select(ARTICLES_SHOWN.c.article_id, sa.func.count()).select_from(_joined(ARTICLES_SHOWN)) \
        .where(*where).group_by(ARTICLES_SHOWN.c.article_id)
    for article_id, n in connection.execute(shown):
        entry(article_id)["shown"] = int(n)
    helpful = sa.func.sum(sa.case((FEEDBACK.c.helpful == sa.true(), 1), else_=0))
    not_helpful = sa.func.sum(sa.case((FEEDBACK.c.helpful == sa.false(), 1), else_=0))
    votes = sa.select(FEEDBACK.c.article_id, helpful, not_helpful).select_from(_joined(FEEDBACK)) \
        .where(*where).group_by(FEEDBACK.c.article_id)
    for article_id, yes, no in connection.execute(votes):
        entry(article_id).update(helpful=int(yes or 0), not_helpful=int(no or 0))
    return sorted(articles.values(), key=lambda a: (-a["shown"], -(a["helpful"] + a["not_helpful"]), a["article_id"]))


def _csat(connection: Any, where: List[Any]) -> Dict[str, Any]:
    count, total = connection.execute(
        sa.select(sa.func.count(), sa.func.sum(CSAT.c.rating)).select_from(_joined(CSAT)).where(*where)
    ).one()
    return {"count": int(count), "mean": round(int(total) / int(count), 2) if count else None}


def _missed(connection: Any, where: List[Any]) -> List[Dict[str, Any]]:
    n = sa.func.count().label("n")
    query = (sa.select(MISSED.c.text, MISSED.c.kind, n).select_from(_joined(MISSED)).where(*where)
             .group_by(MISSED.c.text, MISSED.c.kind).order_by(n.desc(), MISSED.c.text).limit(MISSED_LIMIT))
    return [{"text": text, "kind": kind, "count": int(count)} for text, kind, count in connection.execute(query)]


def conversations(
    engine: Engine, filters: Filters, *, outcome: Optional[str] = None, page: int = 1, page_size: int = 50,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """One page of conversation rows, newest first, with the total for the filters."""
    now = time.time() if now is None else now
    result = outcome_column(now)
    where = _where(filters)
    if outcome is not None:
        where.append(result == outcome)
    query = (sa.select(C.conversation_id, C.channel, C.started_at, C.last_event_at, C.contact_reason,
                       C.user_messages, C.fallbacks, C.pending_step, result.label("outcome"))
             .where(*where).order_by(C.started_at.desc(), C.conversation_id)
             .limit(page_size).offset((page - 1) * page_size))
    with engine.connect() as connection:
        total = int(connection.execute(sa.select(sa.func.count()).select_from(CONVERSATIONS).where(*where))
                    .scalar_one())
        rows = connection.execute(query).all()

    def iso(moment: float) -> str:
        return datetime.fromtimestamp(moment, timezone.utc).isoformat()

    return {
        "filters": {**_echo(filters), "outcome": outcome},
        "page": page,
        "page_size": page_size,
        "total": total,
        "conversations": [
            {"conversation_id": r.conversation_id, "channel": r.channel, "started_at": iso(r.started_at),
             "last_event_at": iso(r.last_event_at), "outcome": r.outcome, "contact_reason": r.contact_reason,
             "user_messages": r.user_messages, "fallbacks": r.fallbacks, "pending_step": r.pending_step}
            for r in rows
        ],
    }
