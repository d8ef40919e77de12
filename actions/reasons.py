"""Route a recognised contact reason to what can resolve it."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import PENDING, latest_entities, latest_intent, understood, user_texts
from actions.fallback import handle_miss
from actions.handoff import hand_off_for_reason
from actions.knowledge import answer_from_knowledge, last_typed_text
from actions.pending import resume_open_question
from actions.transfers import start_request
from frontdoor.dialogue.moves import Move, decide_move
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.fallback import FALLBACK_INTENT
from frontdoor.taxonomy import load_taxonomy


def asked_before_topics(tracker: Tracker) -> str:
    """The customer's words before the latest message (the one the topic offer answered)."""
    texts = [t.strip() for t in user_texts(tracker)[:-1] if t.strip() and not t.strip().startswith("/")]
    return texts[-1] if texts else ""


class ActionHandleReason(Action):
    """Answer, act or hand off, as ``frontdoor.dialogue.moves`` decides from the reason and the words.

    A general question in a transactional or handoff topic is answered (then the
    bot offers to act); a customer's own transfer goes through the identity check
    to the transfer actions; a report or a request for a person goes to an agent.

    Details given on their own ("cash pickup", "and for Ghana?") are looked
    up in the knowledge base (following up the last answer, or picking one of
    the articles the bot just offered); if nothing fits the bot asks how it can help.
    """

    def name(self) -> str:
        return "action_handle_reason"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        reason = load_taxonomy().get(latest_intent(tracker))
        # A new contact reason starts afresh; plain details answer the bot's open question.
        if reason is None or reason.kind == "dialogue" or tracker.get_slot(PENDING) == OpenQuestion.KB_CLARIFY:
            resumed = resume_open_question(dispatcher, tracker)
            if resumed is not None:
                return resumed
        if reason is not None and reason.kind == "self_service":
            return answer_from_knowledge(dispatcher, tracker)
        if understood(tracker.latest_message, tracker.latest_message.get("text") or "") == FALLBACK_INTENT:
            return handle_miss(dispatcher, tracker)  # "details" with none in them
        if reason is None or reason.kind == "dialogue":
            return answer_from_knowledge(dispatcher, tracker, quiet_decline=True)
        question, picked = last_typed_text(tracker), None
        if tracker.get_slot(PENDING) == OpenQuestion.TOPICS:
            # A topic chosen from "did you mean A or B?" (a button, or its title said on the phone): the
            # question that led to the offer says whether it is about the customer's own transfer.
            question, picked = asked_before_topics(tracker) or question, reason.name
        move = decide_move(reason, question, latest_entities(tracker).keys())
        if move is Move.HAND_OFF:
            return hand_off_for_reason(dispatcher, tracker, reason.name)
        if move is Move.ACT:
            return start_request(dispatcher, tracker, reason.name)
        return answer_from_knowledge(dispatcher, tracker, question=question, intent=reason.name,
                                     offer_to_act=reason.kind == "verified", confident_reason=picked)
