"""Answers to the bot's own questions: agent offers, topic choices, "did that help?", "did you mean A or B?"."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.closing import answer_rating, close_conversation
from actions.common import PENDING, channel_of, latest_intent, set_pending
from actions.handoff import CATEGORY, REASON, hand_off_now
from actions.knowledge import CONTEXT, answer_from_knowledge, say
from actions.transfers import STEPS, confirm_cancel, continue_step
from frontdoor.database import get_engine
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.knowledge.conversation import feedback_turn, kyc_reply
from frontdoor.pending import answer_pending, is_polite_close


def resume_open_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[str, Any]]]:
    """The message answers a question the bot asked (a rating, a transfer step, "did you mean A or B?",
    "has the app's check failed 3 times?"), or None."""
    pending = tracker.get_slot(PENDING)
    if pending == OpenQuestion.CSAT:
        return answer_rating(dispatcher, tracker)
    if pending in STEPS:
        return continue_step(dispatcher, tracker)
    if pending == OpenQuestion.KB_CLARIFY:
        return answer_from_knowledge(dispatcher, tracker)
    if pending == OpenQuestion.KYC_RETRIES:
        text = tracker.latest_message.get("text") or ""
        intent = latest_intent(tracker)
        turn = kyc_reply("" if text.startswith("/") else text, {"affirm": True, "deny": False}.get(intent or ""))
        return None if turn is None else say(dispatcher, tracker, turn)
    return None


class ActionAnswerPending(Action):
    def name(self) -> str:
        return "action_answer_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        pending = tracker.get_slot(PENDING)
        affirmed = latest_intent(tracker) == "affirm"
        if pending == OpenQuestion.CANCEL_CONFIRM:
            return confirm_cancel(dispatcher, tracker, affirmed)
        resumed = resume_open_question(dispatcher, tracker)
        if resumed is not None:
            return resumed
        if pending == OpenQuestion.ANYTHING_ELSE and not affirmed:
            return close_conversation(dispatcher, tracker)
        text = tracker.latest_message.get("text") or ""
        if pending == OpenQuestion.KB_HELPFUL and not affirmed and is_polite_close(text):
            return close_conversation(dispatcher, tracker)
        if pending == OpenQuestion.KB_HELPFUL:
            article_id = (tracker.get_slot(CONTEXT) or {}).get("article_id")
            turn = feedback_turn(get_engine(), tracker.sender_id, article_id, affirmed, channel_of(tracker))
            return say(dispatcher, tracker, turn)
        reply = answer_pending(pending, affirmed)
        if reply.hand_off:
            reason = tracker.get_slot(REASON) or "agent_requested"
            return hand_off_now(dispatcher, tracker, reason, tracker.get_slot(CATEGORY))
        dispatcher.utter_message(response=reply.response)
        return set_pending(reply.pending)
