"""Route a recognised contact reason to what can resolve it."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import PENDING, latest_intent
from actions.handoff import hand_off_now
from actions.knowledge import answer_from_knowledge
from actions.pending import resume_open_question
from actions.transfers import start_request
from frontdoor.knowledge.conversation import CLARIFY
from frontdoor.taxonomy import load_taxonomy


class ActionHandleReason(Action):
    """Verified reasons go through the identity check to the transfer actions; handoff reasons to an agent.

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
        if reason is None or reason.kind == "dialogue" or tracker.get_slot(PENDING) == CLARIFY:
            resumed = resume_open_question(dispatcher, tracker)
            if resumed is not None:
                return resumed
        if reason is not None and reason.kind == "self_service":
            return answer_from_knowledge(dispatcher, tracker)
        if reason is None or reason.kind == "dialogue":
            return answer_from_knowledge(dispatcher, tracker, quiet_decline=True)
        if reason.kind == "handoff":
            return hand_off_now(dispatcher, tracker, "handoff_topic", reason.name)
        return start_request(dispatcher, tracker, reason.name)
