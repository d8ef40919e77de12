"""A message in a language the bot does not speak (``frontdoor.language.turn``): answered by its language.

French and Spanish speakers are offered, in their language, an agent who speaks it (a yes hands off, and the
case carries the language); any other language gets a short English reply. Neither is a misunderstanding.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import offer_agent
from frontdoor.handoff.config import load_config
from frontdoor.language.conversation import message_language
from frontdoor.language.replies import AGENT_LANGUAGES, ENGLISH_ONLY, OFFER_BUTTONS, agent_offer


def answer_other_language(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    language = message_language(tracker.latest_message.get("metadata")).get("detected")
    if language not in AGENT_LANGUAGES:
        dispatcher.utter_message(text=ENGLISH_ONLY)
        return []
    yes, no = OFFER_BUTTONS[language]
    buttons = [{"title": yes, "payload": "/affirm"}, {"title": no, "payload": "/deny"}]
    dispatcher.utter_message(text=agent_offer(language, load_config().hours), buttons=buttons)
    return offer_agent("agent_requested")
