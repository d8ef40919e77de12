"""Outcomes and every summary figure for scripted conversations, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.analytics.csat import record_csat
from frontdoor.analytics.fold import Event
from frontdoor.analytics.ingest import _apply_batch, ingest, watermark
from frontdoor.analytics.params import ParamError, filters_from, page_from, since
from frontdoor.analytics.summary import Filters, conversations, summary
from frontdoor.analytics.tables import CONVERSATION_CUSTOMERS
from frontdoor.analytics.tracker import events_table
from frontdoor.database import make_engine
from frontdoor.handoff.outbox import handoff_key, record_handoff
from frontdoor.taxonomy import load_taxonomy
from tests.analytics_support import (
    EXPECTED,
    NOW,
    RECORDED,
    Script,
    ago,
    counts,
    create_events,
    insert_events,
    interleaved,
    record_app_data,
    scripts,
)
from tests.handoff_support import sample_case

OUTCOMES = {
    "chat-contained": "contained", "voice-contained": "contained", "chat-old": "contained",
    "chat-handoff": "handed_off", "voice-handoff": "handed_off",
    "chat-abandoned": "abandoned", "voice-abandoned": "abandoned",
    "chat-progress": "in_progress", "voice-progress": "in_progress",
}


@pytest.fixture
def scenario(db_engine: Engine) -> Engine:
    """The scripted conversations in a Rasa events table next to the app tables, plus the app-side records."""
    table = create_events(db_engine)
    insert_events(db_engine, table, interleaved(scripts()))
    record_app_data(db_engine)
    return db_engine


def test_each_scripted_conversation_gets_its_outcome(scenario: Engine) -> None:
    result = ingest(scenario, scenario)
    assert result.events == sum(len(s.rows) for s in scripts())
    assert result.conversations == len(scripts())
    page = conversations(scenario, Filters(), page_size=200, now=NOW)
    assert {row["conversation_id"]: row["outcome"] for row in page["conversations"]} == OUTCOMES
    channels = {row["conversation_id"]: row["channel"] for row in page["conversations"]}
    assert {name for name, channel in channels.items() if channel == "voice"} == {
        "voice-contained", "voice-handoff", "voice-abandoned", "voice-progress"}
    steps = {row["conversation_id"]: row["pending_step"] for row in page["conversations"]}
    assert steps["voice-abandoned"] == "date_of_birth"
    assert steps["chat-abandoned"] == "topics"
    assert steps["chat-contained"] is None, "an unanswered 'did that help?' is not a pending step"
    assert steps["voice-handoff"] is None, "the form was deactivated"


def test_summary_matches_every_expected_figure(scenario: Engine) -> None:
    ingest(scenario, scenario)
    result = summary(scenario, Filters(), now=NOW)
    assert result == EXPECTED
    assert list(result["by_category"])[:2] == ["fees", "unclassified"], "largest first"


def test_time_moves_outcomes_on(scenario: Engine) -> None:
    ingest(scenario, scenario)
    later = summary(scenario, Filters(), now=NOW + 3600)
    assert (later["contained"], later["abandoned"], later["in_progress"]) == (4, 3, 0)
    assert later["handed_off"] == 2, "a handoff stays a handoff"


def test_filters_by_channel_and_day(scenario: Engine) -> None:
    ingest(scenario, scenario)
    voice = summary(scenario, filters_from({"channel": "voice"}), now=NOW)
    assert {k: voice[k] for k in counts(0, 0, 0, 0, 0)} == EXPECTED["by_channel"]["voice"]
    assert voice["handoff_reasons"] == {"identity_check_failed": 1}
    assert voice["csat"] == {"count": 1, "mean": 3.0}
    assert voice["by_channel"]["chat"]["conversations"] == 0
    old = summary(scenario, filters_from({"from": "2026-11-17", "to": "2026-11-17"}), now=NOW)
    assert {k: old[k] for k in counts(0, 0, 0, 0, 0)} == counts(1, 1, 0, 0, 0)
    assert old["knowledge"] == [{"article_id": "payment-methods", "shown": 1, "helpful": 0, "not_helpful": 1}]
    assert old["verification"] == {"attempted": 0, "passed": 0, "failed": 0}
    assert old["missed"] == []
    page = conversations(scenario, Filters(), outcome="abandoned", page=1, page_size=1, now=NOW)
    assert page["total"] == 2 and len(page["conversations"]) == 1
    second = conversations(scenario, Filters(), outcome="abandoned", page=2, page_size=1, now=NOW)
    assert {page["conversations"][0]["conversation_id"], second["conversations"][0]["conversation_id"]} == {
        "chat-abandoned", "voice-abandoned"}


def test_ingestion_is_incremental_and_equal_to_one_pass(db_engine: Engine, tmp_path: Any) -> None:
    """Events arriving in several batches (conversations split across them) fold to the same rows."""
    table = create_events(db_engine)
    record_app_data(db_engine)
    rows = interleaved(scripts())
    insert_events(db_engine, table, rows[:37])
    first = ingest(db_engine, db_engine, batch_size=10)
    assert first.events == 37 and first.watermark == watermark(db_engine)
    assert ingest(db_engine, db_engine).events == 0
    insert_events(db_engine, table, rows[37:])
    assert ingest(db_engine, db_engine, batch_size=7).events == len(rows) - 37
    assert summary(db_engine, Filters(), now=NOW) == EXPECTED


def test_a_batch_taken_by_another_ingester_is_not_folded_twice(scenario: Engine) -> None:
    ingest(scenario, scenario)
    stale = [Event(1, "chat-contained", "user", NOW, "fees", None, "{}")]
    assert _apply_batch(scenario, stale, 0, load_taxonomy(), "tracker_events") is None
    assert summary(scenario, Filters(), now=NOW) == EXPECTED


def test_events_recorded_from_the_real_assistant(db_engine: Engine, tmp_path: Any) -> None:
    """A separate tracker database, as in `make run`, holding events the running assistant stored."""
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    table = create_events(tracker)
    with RECORDED.open() as lines:
        insert_events(tracker, table, [json.loads(line) for line in lines])
    assert ingest(db_engine, tracker).events == 197
    result = summary(db_engine, Filters(), now=1796150548.0 + 7200)
    assert result["conversations"] == 12 and result["by_channel"]["chat"]["conversations"] == 12
    assert result["missed"][0] == {"text": "and for 3000?", "kind": "fallback", "count": 2}
    shown = {a["article_id"]: a["shown"] for a in result["knowledge"]}
    assert shown["fees-by-amount"] == 3 and shown["delivery-times"] == 2
    assert result["by_category"]["fees"]["conversations"] == 4
    tracker.dispose()


def test_no_tracker_table_yet_means_nothing_to_ingest(db_engine: Engine, tmp_path: Any) -> None:
    tracker = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert ingest(db_engine, tracker, table=events_table()).events == 0
    assert summary(db_engine, Filters(), now=NOW)["conversations"] == 0
    tracker.dispose()


def test_csat_validates_and_replaces(db_engine: Engine) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        record_csat(db_engine, "c1", 6, "chat")
    with pytest.raises(ValueError, match="1 to 5"):
        record_csat(db_engine, "c1", True, "chat")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="channel"):
        record_csat(db_engine, "c1", 4, "sms")
    record_csat(db_engine, "c1", 1, "chat")
    record_csat(db_engine, "c1", 4, "chat")
    from frontdoor.analytics.csat import CSAT

    with db_engine.connect() as connection:
        assert connection.execute(CSAT.select()).all()[0].rating == 4


@pytest.mark.parametrize("query, message", [
    ({"from": "2026-13-01"}, "from must be a date"),
    ({"to": "yesterday"}, "to must be a date"),
    ({"from": "2026-11-20", "to": "2026-11-19"}, "is after to"),
    ({"channel": "sms"}, "channel must be one of chat, voice"),
    ({"colour": "red"}, "unknown parameter 'colour'"),
])
def test_bad_filters_are_refused_clearly(query: Dict[str, str], message: str) -> None:
    with pytest.raises(ParamError, match=message):
        filters_from(query)


def test_paging_and_since() -> None:
    assert page_from({}) == (1, 50)
    assert page_from({"page": "3", "page_size": "200"}) == (3, 200)
    for bad in ({"page": "0"}, {"page": "-1"}, {"page_size": "201"}, {"page": "two"}):
        with pytest.raises(ParamError):
            page_from(bad)
    assert since("7d", now=NOW).start == NOW - 7 * 86400
    assert since("24h", now=NOW).start == NOW - 86400
    with pytest.raises(ParamError, match="--since"):
        since("a week")


def test_a_new_session_clears_the_pending_step(db_engine: Engine) -> None:
    """A customer who comes back after Rasa's session expiry no longer leaves the old question pending."""
    from tests.analytics_support import Script, ago

    back = (Script("chat-returns", "chat", ago(hours=3)).session()
            .user("can i pay with bitcoin on the moon", "nlu_fallback", 0.3)
            .action("action_clarify_topics").bot("Did you mean payment methods or fees?")
            .slot("pending_question", "topics").action("action_listen"))
    later = Script("chat-returns", "chat", ago(hours=1)).session().user("thanks, bye", "goodbye")
    table = create_events(db_engine)
    insert_events(db_engine, table, back.rows)
    ingest(db_engine, db_engine)
    before = conversations(db_engine, Filters(), now=NOW - 2 * 3600)["conversations"][0]
    assert (before["outcome"], before["pending_step"]) == ("abandoned", "topics")
    insert_events(db_engine, table, later.rows)
    ingest(db_engine, db_engine)
    after = conversations(db_engine, Filters(), now=NOW)["conversations"][0]
    assert (after["outcome"], after["pending_step"], after["user_messages"]) == ("contained", None, 2)
    assert after["started_at"] == datetime.fromtimestamp(back.rows[0]["timestamp"], timezone.utc).isoformat()


def test_a_conversation_the_bot_closed_with_goodbye_is_contained_at_once(db_engine: Engine) -> None:
    """No need to wait out the idle time once the bot said goodbye; a new message reopens it."""
    from tests.analytics_support import Script, ago

    closed = (Script("chat-closed", "chat", ago(minutes=2)).session()
              .user("how much to send 300 pounds", "fees", 0.95).action("action_answer_question")
              .user("bye", "goodbye", 0.99).action("action_goodbye").bot("Thanks for contacting ZuriSend. Goodbye!")
              .slot("pending_question", "closed").action("action_listen"))
    table = create_events(db_engine)
    insert_events(db_engine, table, closed.rows)
    ingest(db_engine, db_engine)
    [row] = conversations(db_engine, Filters(), now=NOW)["conversations"]
    assert (row["outcome"], row["pending_step"]) == ("contained", None)
    reopened = (Script("chat-closed", "chat", ago(minutes=1)).user("actually one more thing", "nlu_fallback", 0.2)
                .action("action_clarify_topics").slot("pending_question", None))
    insert_events(db_engine, table, reopened.rows)
    ingest(db_engine, db_engine)
    [row] = conversations(db_engine, Filters(), now=NOW)["conversations"]
    assert row["outcome"] == "in_progress"


def verified(script: Script, customer_id: str, how: str = "knowledge_check") -> Script:
    """What a passed identity check (or a signed app token) sets, as ``actions/transfers.py`` does."""
    return script.slot("verified", True).slot("verified_how", how).slot("customer_id", customer_id)


def closed(script: Script) -> Script:
    return script.bot("Goodbye!").slot("pending_question", "closed").action("action_listen")


def repeat_scripts() -> List[Script]:
    """Contained conversations of known customers, some followed by a new contact within 24 hours."""
    fees = ("what's the fee to send 1200 pounds", "fees")
    return [
        # C1: contained on chat, calls 5 hours later (itself contained, and followed by nothing).
        closed(verified(Script("rep-chat", "chat", ago(hours=30)).session().user(*fees), "C1",
                        "authenticated_channel")),
        closed(verified(Script("rep-call", "voice", ago(hours=25)).session().user(*fees), "C1")),
        # C2: contained, next contact 30 hours later: not a repeat.
        closed(verified(Script("late-first", "chat", ago(hours=40)).session().user(*fees), "C2")),
        closed(verified(Script("late-second", "chat", ago(hours=8)).session().user(*fees), "C2")),
        # C3: contained, then a handed-off conversation 1 hour after its last event (the slot set twice).
        verified(closed(verified(Script("rep-then-agent", "chat", ago(hours=6)).session().user(*fees), "C3")), "C3"),
        verified(Script("agent-after", "chat", ago(hours=5)).session().user("i want a person", "request_human"), "C3")
        .action("action_handle_reason").bot("Connecting you.").action("action_listen"),
        # Unverified: cannot be linked to anyone, so contained stays contained.
        closed(Script("anonymous", "chat", ago(hours=7)).session().user(*fees)),
    ]


@pytest.fixture
def repeats(db_engine: Engine) -> Engine:
    table = create_events(db_engine)
    insert_events(db_engine, table, interleaved(repeat_scripts()))
    record_handoff(db_engine, sample_case("agent-after"), key=handoff_key("agent-after", 1), now=ago(hours=5))
    return db_engine


def test_a_contained_conversation_followed_by_a_new_contact_within_24_hours_is_a_repeat(repeats: Engine) -> None:
    ingest(repeats, repeats)
    result = summary(repeats, Filters(), now=NOW)
    assert (result["contained"], result["handed_off"], result["repeat_contacts"]) == (6, 1, 2)
    assert result["deflection_rate"] == round(6 / 7, 4)
    assert result["deflection_without_repeat_rate"] == round(4 / 7, 4)
    assert [result["by_channel"][c]["repeat_contacts"] for c in ("chat", "voice")] == [2, 0]
    days = {d["day"]: d["repeat_contacts"] for d in result["by_day"]}
    assert days == {"2026-11-18": 0, "2026-11-19": 1, "2026-11-20": 1}


def test_the_later_contact_counts_even_outside_the_selected_window(repeats: Engine) -> None:
    ingest(repeats, repeats)
    start = datetime(2026, 11, 19, tzinfo=timezone.utc).timestamp()
    end = datetime(2026, 11, 19, 7, tzinfo=timezone.utc).timestamp()
    result = summary(repeats, Filters(start=start, end=end), now=NOW)
    assert (result["conversations"], result["repeat_contacts"]) == (1, 1), "rep-chat, followed by rep-call"


def test_customers_are_folded_incrementally_once_per_conversation(repeats: Engine) -> None:
    assert ingest(repeats, repeats, batch_size=7).events == sum(len(s.rows) for s in repeat_scripts())
    ingest(repeats, repeats)
    with repeats.connect() as connection:
        pairs = connection.execute(sa.select(CONVERSATION_CUSTOMERS)).all()
    assert sorted((p.conversation_id, p.customer_id) for p in pairs) == [
        ("agent-after", "C3"), ("late-first", "C2"), ("late-second", "C2"), ("rep-call", "C1"), ("rep-chat", "C1"),
        ("rep-then-agent", "C3")]
