"""Route a recognised contact reason to what can resolve it."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.closing import CSAT, answer_rating
from actions.common import PENDING, latest_intent
from actions.handoff import hand_off_now
from actions.knowledge import answer_from_knowledge
from actions.transfers import STEPS, continue_step, start_request
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
        pending = tracker.get_slot(PENDING)
        if pending == CSAT and (reason is None or reason.kind == "dialogue"):
            return answer_rating(dispatcher, tracker)
        if pending in STEPS and (reason is None or reason.kind == "dialogue"):
            return continue_step(dispatcher, tracker)
        if pending == CLARIFY or (reason is not None and reason.kind == "self_service"):
            return answer_from_knowledge(dispatcher, tracker)
        if reason is None or reason.kind == "dialogue":
            return answer_from_knowledge(dispatcher, tracker, quiet_decline=True)
        if reason.kind == "handoff":
            return hand_off_now(dispatcher, tracker, "handoff_topic", reason.name)
        return start_request(dispatcher, tracker, reason.name)
