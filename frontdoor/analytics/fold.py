"""Fold Rasa tracker events into one conversation's state: pure functions, no database.

A conversation is a Rasa sender id (docs/analytics.md). Only what the
outcomes and the summary need is kept; the JSON of an event is parsed only
when its row says it matters (slot name and active loop are in the columns).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple

from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.redaction import expected_from_prompt, redact
from frontdoor.taxonomy import Taxonomy

LOW_CONFIDENCE = 0.5
"""A user message whose top intent is below this (but above the fallback threshold) counts as low-confidence."""
FALLBACK_INTENT = "nlu_fallback"
CORE_FALLBACK_ACTION = "action_default_fallback"
"""``pending_question`` after the bot's goodbye: the conversation ended, resolved, without waiting out the idle time."""
SKIPPABLE_QUESTIONS = frozenset({OpenQuestion.KB_HELPFUL, OpenQuestion.CSAT, OpenQuestion.CLOSED})
"""Questions asked after the customer got their answer: leaving them unanswered is not abandoning a step."""
_RESET_EVENTS = frozenset({"session_started", "restart"})
_TRACKED_SLOTS = frozenset({"pending_question", "requested_slot", "kb_context", "customer_id"})


@dataclass(frozen=True)
class Event:
    """One row of Rasa's ``events`` table."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: Optional[str]
    action_name: Optional[str]
    data: Optional[str]


@dataclass
class Conversation:
    """A row of ``analytics_conversations`` while it is being folded."""

    conversation_id: str
    started_at: float
    last_event_at: float
    channel: Optional[str] = None
    contact_reason: Optional[str] = None
    user_messages: int = 0
    fallbacks: int = 0
    pending_question: Optional[str] = None
    requested_slot: Optional[str] = None
    active_loop: Optional[str] = None
    prompt_expects: str = ""
    """What the last bot message asked for (``dob,postcode``...), so the next answer is redacted in context."""

    @property
    def pending_step(self) -> Optional[str]:
        """The step the bot is waiting on, if the customer leaving now would abandon it."""
        if self.requested_slot:
            return self.requested_slot
        if self.active_loop:
            return self.active_loop
        if self.pending_question and self.pending_question not in SKIPPABLE_QUESTIONS:
            return self.pending_question
        return None

    def row(self) -> Dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "channel": self.channel or "chat",
            "started_at": self.started_at,
            "started_day": day_of(self.started_at),
            "last_event_at": self.last_event_at,
            "contact_reason": self.contact_reason,
            "user_messages": self.user_messages,
            "fallbacks": self.fallbacks,
            "pending_question": self.pending_question,
            "requested_slot": self.requested_slot,
            "active_loop": self.active_loop,
            "pending_step": self.pending_step,
            "prompt_expects": self.prompt_expects,
        }

    @classmethod
    def from_row(cls, row: Any) -> Conversation:
        return cls(
            conversation_id=row.conversation_id,
            started_at=row.started_at,
            last_event_at=row.last_event_at,
            channel=row.channel if row.user_messages else None,
            contact_reason=row.contact_reason,
            user_messages=row.user_messages,
            fallbacks=row.fallbacks,
            pending_question=row.pending_question,
            requested_slot=row.requested_slot,
            active_loop=row.active_loop,
            prompt_expects=row.prompt_expects or "",
        )


@dataclass
class Folded:
    """What one batch of events adds beyond the conversation rows."""

    missed: List[Dict[str, Any]] = field(default_factory=list)
    articles: List[Dict[str, Any]] = field(default_factory=list)
    customers: List[Dict[str, Any]] = field(default_factory=list)
    """Who a conversation was with: the ``customer_id`` slot, set only once the customer is verified."""


def day_of(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")


def _parse(data: Optional[str]) -> Dict[str, Any]:
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _intent(parsed: Dict[str, Any]) -> Tuple[Optional[str], Optional[float]]:
    intent = (parsed.get("parse_data") or {}).get("intent") or {}
    confidence = intent.get("confidence")
    return intent.get("name"), float(confidence) if isinstance(confidence, int | float) else None


def fold(conversation: Conversation, event: Event, taxonomy: Taxonomy, out: Folded) -> None:
    """Apply one event (in id order) to ``conversation``; missed messages and articles shown go to ``out``."""
    if event.timestamp:
        conversation.started_at = min(conversation.started_at, event.timestamp)
        conversation.last_event_at = max(conversation.last_event_at, event.timestamp)
    kind = event.type_name
    if kind in _RESET_EVENTS:
        conversation.pending_question = conversation.requested_slot = conversation.active_loop = None
    elif kind == "active_loop":
        conversation.active_loop = event.action_name
        if event.action_name is None:
            conversation.requested_slot = None
    elif kind == "slot" and event.action_name in _TRACKED_SLOTS:
        _fold_slot(conversation, event, out)
    elif kind == "bot":
        text = _parse(event.data).get("text")
        conversation.prompt_expects = ",".join(sorted(expected_from_prompt(text if isinstance(text, str) else None)))
    elif kind == "user":
        _fold_user(conversation, event, taxonomy, out)
    elif kind == "action" and event.action_name == CORE_FALLBACK_ACTION:
        conversation.fallbacks += 1


def _fold_slot(conversation: Conversation, event: Event, out: Folded) -> None:
    value = _parse(event.data).get("value")
    if event.action_name == "kb_context":
        article = value.get("article_id") if isinstance(value, dict) else None
        if isinstance(article, str) and article:
            out.articles.append(
                {"conversation_id": conversation.conversation_id, "article_id": article, "at": event.timestamp}
            )
        return
    text = value if isinstance(value, str) and value else None
    if event.action_name == "customer_id":
        if text:
            out.customers.append({"conversation_id": conversation.conversation_id, "customer_id": text[:64]})
        return
    if event.action_name == "pending_question":
        conversation.pending_question = text
    else:
        conversation.requested_slot = text


def _fold_user(conversation: Conversation, event: Event, taxonomy: Taxonomy, out: Folded) -> None:
    parsed = _parse(event.data)
    text = parsed.get("text")
    if not isinstance(text, str) or not text.strip():
        return
    conversation.user_messages += 1
    if conversation.channel is None:
        conversation.channel = "voice" if parsed.get("input_channel") == "voice" else "chat"
    name, confidence = _intent(parsed)
    name = name or event.intent_name
    if conversation.contact_reason is None and taxonomy.is_topic(name):
        conversation.contact_reason = name
    if text.startswith("/"):
        return
    if name == FALLBACK_INTENT:
        conversation.fallbacks += 1
        missed_kind = "fallback"
    elif confidence is not None and confidence < LOW_CONFIDENCE:
        missed_kind = "low_confidence"
    else:
        return
    expects = [kind for kind in conversation.prompt_expects.split(",") if kind]
    out.missed.append({
        "conversation_id": conversation.conversation_id,
        "kind": missed_kind,
        "text": redact(text.strip(), expect=expects)[:500],
        "confidence": confidence,
        "at": event.timestamp,
    })
