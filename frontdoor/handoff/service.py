"""Hand a conversation to the human queue: build the case, record it with its outbox row, say what happens next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, List, Mapping, Optional, Sequence

from sqlalchemy.engine import Engine

from frontdoor.handoff import clock
from frontdoor.handoff.callback import Callback, callback_for
from frontdoor.handoff.case import Customer, build_case, case_category, case_reference
from frontdoor.handoff.config import HandoffConfig, load_config
from frontdoor.handoff.outbox import handoff_key, record_handoff
from frontdoor.language.conversation import agent_language

_SPOKEN_DIGITS = "zero one two three four five six seven eight nine".split()


@dataclass(frozen=True)
class Handoff:
    case_id: str
    reference: str  # "HO-1A2B3C4D", shown to the customer and on the agent's screen
    priority: str
    wait_minutes: int
    created: bool  # False when this handoff was already recorded (a retried action)
    category: Optional[str] = None  # the case's contact reason, which picks what the customer hears
    queue: str = "general"
    callback: Optional[Callback] = None  # set: the customer is called back instead of waiting

    @property
    def spoken_reference(self) -> str:
        """The reference read out one character at a time: "H, O, one, A, two..."."""
        return ", ".join(_SPOKEN_DIGITS[int(c)] if c.isdigit() else c for c in self.reference if c != "-")


def hand_off(
    engine: Engine,
    events: Sequence[Mapping[str, Any]],
    *,
    conversation_id: str,
    handoff_reason: str,
    key: str,
    channel: str = "chat",
    category: Optional[str] = None,
    customer: Optional[Customer] = None,
    transfer: Optional[Mapping[str, Any]] = None,
    knowledge_shown: Sequence[str] = (),
    language: str = "en",
    config: Optional[HandoffConfig] = None,
    now: Optional[datetime] = None,
) -> Handoff:
    """Exactly one case per ``key``: the outbox worker delivers it; a repeat returns the first case.

    The case goes to its queue (``config.queue``) with that queue's wait; a call while the phone agents are
    off (``now``, default ``clock.now()``) carries a ``callback`` instead.
    """
    config = config or load_config()
    category = category or case_category(events, config)
    callback = callback_for(config, channel=channel, priority=config.priority(category, handoff_reason),
                            now=now or clock.now())
    case = build_case(
        events,
        conversation_id=conversation_id,
        handoff_reason=handoff_reason,
        channel=channel,
        category=category,
        customer=customer,
        transfer=transfer,
        knowledge_shown=knowledge_shown,
        language=language,
        callback=callback,
        config=config,
    )
    recorded = record_handoff(engine, case, key=key)
    return Handoff(
        case_id=recorded.case_id,
        reference=case_reference(recorded.case_id),
        priority=case["priority"],
        wait_minutes=config.expected_wait(case["queue"], case["priority"]),
        created=recorded.created,
        category=case["category"],
        queue=case["queue"],
        callback=callback,
    )


def callback_to_offer(
    events: Sequence[Mapping[str, Any]],
    *,
    handoff_reason: str,
    channel: str,
    category: Optional[str] = None,
    config: Optional[HandoffConfig] = None,
    now: Optional[datetime] = None,
) -> Optional[Callback]:
    """The callback to offer before recording anything: phone agents are off, and the caller only wants a person.

    None means hand off now: agents are working, the case is urgent (fraud is recorded at once, handbook 18),
    or it has substance of its own (a complaint, a late refund, a recall): what the bot said would happen is
    recorded whether or not the lines are open, with its callback.
    """
    config = config or load_config()
    category = category or case_category(events, config)
    callback = callback_for(config, channel=channel, priority=config.priority(category, handoff_reason),
                            now=now or clock.now())
    if callback is None or callback.urgent or not config.asks_before_callback(handoff_reason, category):
        return None
    return callback


def customer_from_slots(slots: Mapping[str, Any]) -> Customer:
    """Who the customer is, from the conversation's slots (set by the identity check or a signed app token)."""
    if slots.get("verified"):
        return Customer(slots.get("customer_id"), True, slots.get("verified_how") or "knowledge_check")
    failed = bool(slots.get("identity_failures"))
    return Customer(slots.get("customer_id"), False, "failed_check" if failed else "not_checked")


def knowledge_shown(events: Sequence[Mapping[str, Any]]) -> List[str]:
    """Ids of the knowledge articles the bot answered from (the ``kb_context`` slot events), oldest first."""
    return [
        str(e["value"]["article_id"])
        for e in events
        if e.get("event") == "slot" and e.get("name") == "kb_context" and isinstance(e.get("value"), dict)
        and e["value"].get("article_id")
    ]


def handoff_sequence(events: Sequence[Mapping[str, Any]]) -> int:
    """Which user turn a handoff answers: a retried action, or the Rasa side after it, reuses the same case."""
    return sum(1 for e in events if e.get("event") == "user")


def hand_off_conversation(
    engine: Engine,
    events: Sequence[Mapping[str, Any]],
    slots: Mapping[str, Any],
    *,
    conversation_id: str,
    handoff_reason: str,
    channel: str = "chat",
    category: Optional[str] = None,
    config: Optional[HandoffConfig] = None,
    now: Optional[datetime] = None,
) -> Handoff:
    """``hand_off`` for a conversation as its tracker holds it: one case per user turn (``handoff_key``), in the
    conversation's agent language (``frontdoor.language.conversation.agent_language``)."""
    return hand_off(
        engine,
        events,
        conversation_id=conversation_id,
        handoff_reason=handoff_reason,
        key=handoff_key(conversation_id, handoff_sequence(events)),
        channel=channel,
        category=category,
        customer=customer_from_slots(slots),
        transfer=slots.get("transfer"),
        knowledge_shown=knowledge_shown(events),
        language=agent_language(events),
        config=config,
        now=now,
    )
