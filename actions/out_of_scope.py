"""Out of scope, unless the message answers the question the bot just asked."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import PENDING
from actions.fallback import TOPICS, still_not_understood
from actions.pending import resume_open_question


class ActionOutOfScope(Action):
    """A rating ("I'd give it a four") can read as out of scope, so the open question comes first.

    After "did you mean A or B?", an off-topic reply is the second miss in a
    row, handled as the fallback's second stage.
    """

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        resumed = resume_open_question(dispatcher, tracker)
        if resumed is not None:
            return resumed
        if tracker.get_slot(PENDING) == TOPICS:
            return still_not_understood(dispatcher, tracker)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
