"""Route a recognised contact reason to what can resolve it."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_intent, set_pending
from frontdoor.taxonomy import load_taxonomy


class ActionHandleReason(Action):
    """Reasons whose feature is not built get an honest reply, never silence."""

    def name(self) -> str:
        return "action_handle_reason"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        reason = load_taxonomy().get(latest_intent(tracker))
        if reason is None or reason.kind == "dialogue":
            dispatcher.utter_message(response="utter_how_can_i_help")
            return set_pending(None)
        if reason.kind == "handoff":
            dispatcher.utter_message(response="utter_agent_not_connected_yet")
            return set_pending(None)
        dispatcher.utter_message(response="utter_not_available_yet", topic=reason.title.lower())
        return set_pending("agent")
