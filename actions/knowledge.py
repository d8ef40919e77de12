"""Knowledge answers: adapts ``frontdoor.knowledge.conversation`` to Rasa messages and slots."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import PENDING, channel_of, latest_entities, latest_intent
from actions.handoff import hand_off_now, offer_agent
from frontdoor.knowledge import get_knowledge_base
from frontdoor.knowledge.conversation import Turn, knowledge_turn
from frontdoor.taxonomy import load_taxonomy

log = logging.getLogger(__name__)

CONTEXT = "kb_context"
CONFIDENT = 0.6
CANDIDATES = "kb_candidates"

# Loaded when the action server starts (index from the cache, encoder warm), not on a customer's first question.
get_knowledge_base()


def say(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn, offer_to_act: bool = False
) -> List[Dict[str, Any]]:
    """Utter a knowledge turn and return the slot events that remember it (or hand off).

    ``offer_to_act``: after an answer in a transactional topic, offer to check the customer's own
    transfer before asking whether the answer helped, so the bot's last words are a question.
    """
    channel = channel_of(tracker)
    if turn.response:
        dispatcher.utter_message(response=turn.response, **turn.variables)
    if turn.handoff:
        return hand_off_now(dispatcher, tracker, turn.handoff, turn.handoff_category)
    if not turn.response:
        cited = turn.text if channel == "voice" or not turn.title else f"{turn.text}\n\n_Source: {turn.title}_"
        dispatcher.utter_message(text=cited)
        if offer_to_act and not turn.agent_reason:
            dispatcher.utter_message(response="utter_offer_to_act")
        dispatcher.utter_message(response=turn.question, **turn.variables)
    events: List[Dict[str, Any]] = [SlotSet(PENDING, turn.pending), SlotSet(CANDIDATES, turn.candidates or None)]
    if turn.agent_reason:
        events += offer_agent(turn.agent_reason)
    if turn.context is not None:
        events.append(SlotSet(CONTEXT, turn.context))
    return events


def last_typed_text(tracker: Tracker) -> str:
    """The customer's latest own words: a button press ("/fees") stands for the question before it."""
    for event in reversed(tracker.events):
        text = (event.get("text") or "").strip() if event.get("event") == "user" else ""
        if text and not text.startswith("/"):
            return text
    return ""


def follows_up(tracker: Tracker) -> bool:
    """The latest message only changes details of the last knowledge answer ("and for Ghana?")."""
    text = tracker.latest_message.get("text") or ""
    return bool(tracker.get_slot(CONTEXT)) and get_knowledge_base().follows_up(text, latest_entities(tracker))


def confident_topic(tracker: Tracker) -> Optional[str]:
    """The latest message's contact reason when NLU is sure of it (at least ``CONFIDENT``) and it is a topic."""
    intent = tracker.latest_message.get("intent") or {}
    name = intent.get("name")
    sure = float(intent.get("confidence") or 0.0) >= CONFIDENT
    return name if sure and load_taxonomy().is_topic(name) else None


def answer_from_knowledge(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    quiet_decline: bool = False,
    question: Optional[str] = None,
    intent: Optional[str] = None,
    offer_to_act: bool = False,
    confident_reason: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """Answer the latest message (or an earlier ``question`` of topic ``intent``) from the knowledge base.

    ``confident_reason``: a topic known for sure (the customer picked it); else NLU's, when it is sure.
    """
    channel = channel_of(tracker)
    entities = latest_entities(tracker)
    picked = entities.pop("kb_article", None)
    pressed = (tracker.latest_message.get("text") or "").startswith("/")
    turn = knowledge_turn(
        get_knowledge_base(),
        question or last_typed_text(tracker),
        entities,
        channel,
        previous=tracker.get_slot(CONTEXT),
        pending=tracker.get_slot(PENDING),
        candidates=tracker.get_slot(CANDIDATES) or (),
        picked=picked,
        topic=latest_intent(tracker) if pressed and not picked else None,
        intent=intent or latest_intent(tracker),
        quiet_decline=quiet_decline,
        confident_reason=confident_reason or confident_topic(tracker),
    )
    log.info("knowledge turn for %s: article=%s response=%s", tracker.sender_id, turn.article_id, turn.response)
    return say(dispatcher, tracker, turn, offer_to_act)


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if not (tracker.latest_message.get("text") or "").strip():
            dispatcher.utter_message(response="utter_empty_message")
            return []
        return answer_from_knowledge(dispatcher, tracker)
