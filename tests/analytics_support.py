"""Scripted conversations for the analytics tests: Rasa tracker events in the shapes Rasa 3.6 stores.

The event JSON mirrors rows recorded from the real assistant
(``tests/unit/data/recorded_events.jsonl``): ``user`` events carry
``input_channel`` and ``parse_data.intent``, slot events carry the slot name
in ``action_name``. ``SCENARIO`` has one conversation per outcome and channel;
``EXPECTED`` is the summary the API must return for it at ``NOW``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.analytics.csat import record_csat
from frontdoor.analytics.tracker import events_table
from frontdoor.handoff.case import Customer
from frontdoor.handoff.outbox import handoff_key, record_handoff
from frontdoor.identity.tables import VERIFICATION_ATTEMPTS
from frontdoor.knowledge.feedback import record_feedback
from tests.handoff_support import sample_case

NOW_DT = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
NOW = NOW_DT.timestamp()
RECORDED = Path(__file__).parent / "unit" / "data" / "recorded_events.jsonl"
META = {"model_id": "79d3805206974853a913ff9829c95ec2", "assistant_id": "frontdoor-zurisend"}


@dataclass
class Script:
    """One conversation's events, one second apart from ``start``."""

    sender: str
    channel: str
    start: datetime
    rows: List[Dict[str, Any]] = field(default_factory=list)

    def _at(self) -> float:
        return (self.start + timedelta(seconds=len(self.rows))).timestamp()

    def _add(self, type_name: str, data: Dict[str, Any], intent: Optional[str] = None,
             action: Optional[str] = None) -> Script:
        at = self._at()
        body = {"event": type_name, "timestamp": at, "metadata": META, **data}
        self.rows.append({"sender_id": self.sender, "type_name": type_name, "timestamp": at,
                          "intent_name": intent, "action_name": action, "data": json.dumps(body)})
        return self

    def session(self) -> Script:
        self.action("action_session_start")
        self._add("session_started", {})
        return self.action("action_listen")

    def action(self, name: str) -> Script:
        return self._add("action", {"name": name, "policy": "RulePolicy", "confidence": 1.0}, action=name)

    def user(self, text: str, intent: str, confidence: float = 0.95) -> Script:
        input_channel = "voice" if self.channel == "voice" else "rest"
        parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
        self._add("user", {"text": text, "parse_data": parse, "input_channel": input_channel}, intent=intent)
        return self._add("user_featurization", {"use_text_for_featurization": False})

    def bot(self, text: str) -> Script:
        return self._add("bot", {"text": text, "data": {"buttons": None}})

    def slot(self, name: str, value: Any) -> Script:
        return self._add("slot", {"name": name, "value": value}, action=name)

    def loop(self, name: Optional[str]) -> Script:
        return self._add("active_loop", {"name": name}, action=name)

    def answer(self, article: str, text: str) -> Script:
        """What ``action_answer_question`` records for a knowledge answer."""
        self.action("action_answer_question").bot(text).bot("Did that answer your question?")
        self.slot("pending_question", "kb_helpful").slot("kb_candidates", None)
        return self.slot("kb_context", {"article_id": article, "slots": {}, "confidence": 0.9}).action("action_listen")


def ago(**delta: float) -> datetime:
    return NOW_DT - timedelta(**delta)


def scripts() -> List[Script]:
    """One conversation per outcome and channel, one on another day, one with no customer message."""
    return [
        Script("chat-contained", "chat", ago(hours=2)).session()
        .user("what's the fee to send 1200 pounds", "fees")
        .answer("fees-by-amount", "Sending 1,200 GBP costs 2.99 GBP."),
        Script("voice-contained", "voice", ago(hours=1)).session()
        .user("how long does a bank deposit to nigeria take", "delivery_time")
        .answer("delivery-times", "A bank deposit to Nigeria arrives within 1 business day.")
        .user("yes thanks", "affirm").action("action_answer_pending").slot("pending_question", None)
        .bot("Great. Is there anything else?").action("action_listen"),
        Script("chat-handoff", "chat", ago(minutes=5)).session()
        .user("someone took money from my account, it's a scam", "fraud_report")
        .action("action_handle_reason").bot("I'm putting you through to our fraud team right away.")
        .action("action_listen"),
        Script("voice-handoff", "voice", ago(hours=2)).session()
        .user("where is my transfer", "transfer_status", 0.88)
        .loop("identity_form").slot("requested_slot", "full_name").bot("What is your full name?")
        .action("action_listen").user("erm it's mary jones I think", "inform", 0.42)
        .loop(None).bot("I couldn't check your details, so I'm connecting you to an agent.")
        .action("action_listen"),
        Script("chat-abandoned", "chat", ago(minutes=45)).session()
        .user("can i pay with bitcoin on the moon", "nlu_fallback", 0.3)
        .action("action_clarify_topics").bot("Did you mean payment methods or fees?")
        .slot("pending_question", "topics").action("action_listen"),
        Script("voice-abandoned", "voice", ago(minutes=31)).session()
        .user("I changed my phone and cannot log in", "account_access", 0.9)
        .loop("identity_form").slot("requested_slot", "date_of_birth").bot("What is your date of birth?")
        .action("action_listen").user("the twelfth of march nineteen eighty five", "inform", 0.35)
        .bot("Sorry, what is your date of birth?").action("action_listen"),
        Script("chat-progress", "chat", ago(minutes=10)).session()
        .user("how much to send money to ghana", "fees")
        .action("action_answer_question").bot("Did you mean fees or Ghana?")
        .slot("pending_question", "kb_clarify").action("action_listen"),
        Script("voice-progress", "voice", ago(minutes=3)).session().user("hello", "greet", 0.99)
        .action("utter_greet").bot("Hello, how can I help you today?").action("action_listen"),
        Script("chat-old", "chat", ago(days=3)).session()
        .user("can i pay by card", "payment_methods")
        .answer("payment-methods", "You can pay by debit card or bank transfer."),
        Script("no-messages", "chat", ago(hours=5)).session(),
    ]


def create_events(engine: Engine, table_name: str = "events") -> sa.Table:
    metadata = sa.MetaData()
    table = events_table(metadata, table_name)
    metadata.create_all(engine)
    return table


def insert_events(engine: Engine, table: sa.Table, rows: List[Dict[str, Any]]) -> None:
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)


def interleaved(all_scripts: List[Script]) -> List[Dict[str, Any]]:
    """Every event of every script in time order, as Rasa would store concurrent conversations."""
    return sorted((row for script in all_scripts for row in script.rows), key=lambda row: row["timestamp"])


def record_app_data(app: Engine) -> None:
    """The app-database side: handoffs, identity checks, votes and ratings of ``scripts()``."""
    record_handoff(app, sample_case("chat-handoff"), key=handoff_key("chat-handoff", 1), now=ago(minutes=4))
    record_handoff(
        app,
        sample_case("voice-handoff", handoff_reason="identity_check_failed", channel="voice",
                    customer=Customer(None, False, "failed_check")),
        key=handoff_key("voice-handoff", 1), now=ago(hours=2),
    )
    attempts = [("voice-handoff", "fail"), ("voice-handoff", "fail"), ("voice-handoff", "refused"),
                ("chat-contained", "token_pass"), ("voice-abandoned", "fail"), ("voice-abandoned", "pass"),
                ("not-in-tracker", "pass")]
    with app.begin() as connection:
        connection.execute(VERIFICATION_ATTEMPTS.insert(), [
            {"conversation_id": conversation, "customer_id": "C000042", "channel": "voice",
             "attempted_at": ago(hours=1), "outcome": outcome} for conversation, outcome in attempts
        ])
    record_feedback(app, "chat-contained", "fees-by-amount", True, "chat", created_at=ago(hours=2))
    record_feedback(app, "voice-contained", "delivery-times", True, "voice", created_at=ago(hours=1))
    record_feedback(app, "chat-old", "payment-methods", False, "chat", created_at=ago(days=3))
    record_feedback(app, "not-in-tracker", "payment-methods", False, "chat", created_at=ago(hours=1))
    record_csat(app, "chat-contained", 5, "chat", now=ago(hours=2))
    record_csat(app, "voice-contained", 2, "voice", now=ago(hours=1))
    record_csat(app, "voice-contained", 3, "voice", now=ago(hours=1))
    record_csat(app, "chat-old", 4, "chat", now=ago(days=3))


def counts(conversations: int, contained: int, handed_off: int, abandoned: int, in_progress: int,
           repeat_contacts: int = 0) -> Dict[str, Any]:
    ended = contained + handed_off + abandoned
    return {"conversations": conversations, "contained": contained, "handed_off": handed_off,
            "abandoned": abandoned, "in_progress": in_progress, "repeat_contacts": repeat_contacts,
            "deflection_rate": round(contained / ended, 4) if ended else None,
            "deflection_without_repeat_rate": round((contained - repeat_contacts) / ended, 4) if ended else None}


EXPECTED: Dict[str, Any] = {
    "filters": {"start": None, "end": None, "channel": None},
    **counts(9, 3, 2, 2, 2),
    "by_channel": {"chat": counts(5, 2, 1, 1, 1), "voice": counts(4, 1, 1, 1, 1)},
    "by_category": {
        "fees": counts(2, 1, 0, 0, 1),
        "unclassified": counts(2, 0, 0, 1, 1),
        "account_access": counts(1, 0, 0, 1, 0),
        "delivery_time": counts(1, 1, 0, 0, 0),
        "fraud_report": counts(1, 0, 1, 0, 0),
        "payment_methods": counts(1, 1, 0, 0, 0),
        "transfer_status": counts(1, 0, 1, 0, 0),
    },
    "by_day": [{"day": "2026-11-17", **counts(1, 1, 0, 0, 0)}, {"day": "2026-11-20", **counts(8, 2, 2, 2, 2)}],
    "handoff_reasons": {"handoff_topic": 1, "identity_check_failed": 1},
    "verification": {"attempted": 3, "passed": 2, "failed": 1},
    "knowledge": [
        {"article_id": "delivery-times", "shown": 1, "helpful": 1, "not_helpful": 0},
        {"article_id": "fees-by-amount", "shown": 1, "helpful": 1, "not_helpful": 0},
        {"article_id": "payment-methods", "shown": 1, "helpful": 0, "not_helpful": 1},
    ],
    "csat": {"count": 3, "mean": 4.0},
    "missed": [
        {"text": "can i pay with bitcoin on the moon", "kind": "fallback", "count": 1},
        {"text": "erm it's mary jones I think", "kind": "low_confidence", "count": 1},
        {"text": "the [date of birth]", "kind": "low_confidence", "count": 1},
    ],
}
