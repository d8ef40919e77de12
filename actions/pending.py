"""Answers to the bot's own questions that are not plain yes/no steps of data/rules/open_questions.yml."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.closing import answer_rating
from actions.common import PENDING, latest_intent, set_pending
from actions.knowledge import answer_from_knowledge, say
from actions.transfers import STEPS, continue_step
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.knowledge.conversation import kyc_reply


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
    """A yes or no that no rule in data/rules/open_questions.yml answers: a rating, a transfer step,
    "did you mean A or B?", "has the app's check failed 3 times?", or no question at all."""

    def name(self) -> str:
        return "action_answer_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        resumed = resume_open_question(dispatcher, tracker)
        if resumed is not None:
            return resumed
        dispatcher.utter_message(response="utter_how_can_i_help")
        return set_pending(None)
