"""Answers to the bot's own yes/no questions (agent offers, topic choices)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import PENDING, latest_intent, set_pending
from frontdoor.pending import answer_pending


class ActionAnswerPending(Action):
    def name(self) -> str:
        return "action_answer_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        reply = answer_pending(tracker.get_slot(PENDING), latest_intent(tracker) == "affirm")
        dispatcher.utter_message(response=reply.response)
        return set_pending(reply.pending)


class ActionConnectAgent(Action):
    """Until the handoff queue exists, say honestly how to reach an agent."""

    def name(self) -> str:
        return "action_connect_agent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_agent_not_connected_yet")
        return set_pending(None)
