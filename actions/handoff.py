"""Handoff to a human: adapts ``frontdoor.handoff.service`` to Rasa (case from the tracker, reply, pause)."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.common import PENDING, channel_of, user_intents
from frontdoor.database import get_engine
from frontdoor.dialogue.handoff_turn import (
    HandoffTurn,
    callback_declined_turn,
    callback_offer_turn,
    handoff_turn,
    unavailable_turn,
)
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.handoff.case import CaseInvalid
from frontdoor.handoff.config import load_config
from frontdoor.handoff.service import callback_to_offer, hand_off_conversation
from frontdoor.handoff.triggers import Signals, handoff_reason
from frontdoor.taxonomy import load_taxonomy

log = logging.getLogger(__name__)

# Set when the bot offers an agent, read when the customer accepts.
REASON = "handoff_reason"
CATEGORY = "handoff_category"
CASE = "handoff_case"


def offer_agent(reason: str, category: Optional[str] = None) -> List[Dict[str, Any]]:
    """Slot events for an agent offer: a yes hands off with this reason."""
    return [SlotSet(PENDING, OpenQuestion.AGENT), SlotSet(REASON, reason), SlotSet(CATEGORY, category)]


def hand_off_now(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
    category: Optional[str] = None,
    offer_callback: bool = True,
) -> List[Dict[str, Any]]:
    """Record the case, tell the customer their reference and wait, and pause the bot for this conversation.

    A call outside phone hours is first offered a callback (``offer_callback``), unless it is urgent; a form
    in progress (the identity check) ends there, and the bot waits for the answer.
    """
    channel = channel_of(tracker)
    if offer_callback and callback_to_offer(tracker.events, handoff_reason=reason, channel=channel,
                                            category=category) is not None:
        stop_form = [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]
        return _take(dispatcher, callback_offer_turn(reason, category)) + stop_form
    try:
        handoff = hand_off_conversation(
            get_engine(),
            tracker.events,
            tracker.slots,
            conversation_id=tracker.sender_id,
            handoff_reason=reason,
            channel=channel,
            category=category,
        )
    except (SQLAlchemyError, CaseInvalid):
        log.exception("frontdoor.handoff.failed sender=%s reason=%s", tracker.sender_id, reason)
        return _take(dispatcher, unavailable_turn())
    log.info("frontdoor.handoff sender=%s case=%s reason=%s new=%s", tracker.sender_id, handoff.case_id, reason,
             handoff.created)
    return _take(dispatcher, handoff_turn(handoff))


def accept_callback(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """Yes to the callback offer: the case is recorded with its ``callback``, for the reason the offer was made."""
    reason = tracker.get_slot(REASON) or "agent_requested"
    return hand_off_now(dispatcher, tracker, reason, tracker.get_slot(CATEGORY), offer_callback=False)


def decline_callback(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """No to the callback offer: nothing is recorded; chat (24/7) and the phone hours, then "anything else?"."""
    return _take(dispatcher, callback_declined_turn())


def _take(dispatcher: CollectingDispatcher, turn: HandoffTurn) -> List[Dict[str, Any]]:
    for response in turn.responses:
        dispatcher.utter_message(response=response, **turn.variables)
    if turn.payload is not None:
        dispatcher.utter_message(json_message=turn.payload)
    events: List[Dict[str, Any]] = [SlotSet(name, value) for name, value in turn.slots.items()]
    return events + [ConversationPaused()] if turn.pause else events


def hand_off_for_reason(
    dispatcher: CollectingDispatcher, tracker: Tracker, category: Optional[str] = None
) -> List[Dict[str, Any]]:
    """Hand off with the reason the core triggers give this conversation (``frontdoor.handoff.triggers``)."""
    reason = handoff_reason(Signals(user_intents(tracker)), load_taxonomy(), load_config().triggers)
    return hand_off_now(dispatcher, tracker, reason or tracker.get_slot(REASON) or "agent_requested", category)
