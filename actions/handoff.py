"""Handoff to a human: adapts ``frontdoor.handoff.service`` to Rasa (case from the tracker, reply, pause)."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.common import PENDING, channel_of, user_intents
from frontdoor.database import get_engine
from frontdoor.handoff.case import CaseInvalid, Customer
from frontdoor.handoff.config import load_config
from frontdoor.handoff.outbox import handoff_key
from frontdoor.handoff.service import hand_off
from frontdoor.handoff.triggers import Signals, handoff_reason
from frontdoor.taxonomy import load_taxonomy

log = logging.getLogger(__name__)

# Set when the bot offers an agent, read when the customer accepts.
REASON = "handoff_reason"
CATEGORY = "handoff_category"
CASE = "handoff_case"


def customer_from(tracker: Tracker) -> Customer:
    if tracker.get_slot("verified"):
        return Customer(tracker.get_slot("customer_id"), True, tracker.get_slot("verified_how") or "knowledge_check")
    failed = bool(tracker.get_slot("identity_failures"))
    return Customer(tracker.get_slot("customer_id"), False, "failed_check" if failed else "not_checked")


def knowledge_shown(tracker: Tracker) -> List[str]:
    return [
        str(e["value"]["article_id"])
        for e in tracker.events
        if e.get("event") == "slot" and e.get("name") == "kb_context" and isinstance(e.get("value"), dict)
        and e["value"].get("article_id")
    ]


def handoff_sequence(tracker: Tracker) -> int:
    """Which user turn this handoff answers: a retried action call reuses the same case."""
    return sum(1 for e in tracker.events if e.get("event") == "user")


def offer_agent(reason: str, category: Optional[str] = None) -> List[Dict[str, Any]]:
    """Slot events for an agent offer: a yes hands off with this reason."""
    return [SlotSet(PENDING, "agent"), SlotSet(REASON, reason), SlotSet(CATEGORY, category)]


def hand_off_now(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
    category: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """Record the case, tell the customer their reference and wait, and pause the bot for this conversation."""
    channel = channel_of(tracker)
    try:
        handoff = hand_off(
            get_engine(),
            tracker.events,
            conversation_id=tracker.sender_id,
            handoff_reason=reason,
            key=handoff_key(tracker.sender_id, handoff_sequence(tracker)),
            channel=channel,
            category=category,
            customer=customer_from(tracker),
            transfer=tracker.get_slot("transfer"),
            knowledge_shown=knowledge_shown(tracker),
        )
    except (SQLAlchemyError, CaseInvalid):
        log.exception("frontdoor.handoff.failed sender=%s reason=%s", tracker.sender_id, reason)
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return [SlotSet(PENDING, None)]
    log.info("frontdoor.handoff sender=%s case=%s reason=%s new=%s", tracker.sender_id, handoff.case_id, reason,
             handoff.created)
    dispatcher.utter_message(
        response="utter_handoff_connecting",
        reference=handoff.reference,
        reference_spoken=handoff.spoken_reference,
        wait=str(handoff.wait_minutes),
    )
    dispatcher.utter_message(json_message={"handoff": True, "case_reference": handoff.reference})
    return [SlotSet(PENDING, None), SlotSet(REASON, None), SlotSet(CASE, handoff.reference), ConversationPaused()]


class ActionHandOff(Action):
    """Reasons only an agent handles (fraud, complaints, closing an account, asking for a person)."""

    def name(self) -> str:
        return "action_hand_off"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        reason = handoff_reason(Signals(user_intents(tracker)), load_taxonomy(), load_config().triggers)
        return hand_off_now(dispatcher, tracker, reason or tracker.get_slot(REASON) or "agent_requested")
