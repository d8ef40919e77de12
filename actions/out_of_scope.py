"""Out of scope, unless the message answers the question the bot just asked."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import user_intents
from actions.fallback import offer_topics_or_hand_off
from actions.knowledge import answer_from_knowledge
from actions.language import answer_other_language
from actions.pending import resume_open_question
from frontdoor.dialogue.moves import is_question
from frontdoor.fallback import SURE_OUT_OF_SCOPE, consecutive_fallbacks
from frontdoor.language.conversation import is_other_language


class ActionOutOfScope(Action):
    """A rating ("I'd give it a four") can read as out of scope, so the open question comes first.

    Right after a message the bot did not understand, an off-topic reply is
    another miss (frontdoor.fallback.consecutive_fallbacks) and goes on with
    the two-stage fallback. A question NLU is not sure is off topic is looked up
    (``SURE_OUT_OF_SCOPE``); the knowledge base declines what it cannot answer.
    A message in another language comes here too (``frontdoor.language.turn``)
    and is answered by its language first.
    """

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if is_other_language(tracker.latest_message.get("metadata")):
            return answer_other_language(dispatcher, tracker)
        resumed = resume_open_question(dispatcher, tracker)
        if resumed is not None:
            return resumed
        if consecutive_fallbacks(user_intents(tracker)):
            return offer_topics_or_hand_off(dispatcher, tracker)
        intent = tracker.latest_message.get("intent") or {}
        text = tracker.latest_message.get("text") or ""
        if float(intent.get("confidence") or 0.0) < SURE_OUT_OF_SCOPE and is_question(text):
            return answer_from_knowledge(dispatcher, tracker)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
