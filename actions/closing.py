"""Closing a contained conversation: the skippable 1-5 rating (CSAT), then goodbye."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.common import PENDING, alternatives, channel_of, latest_entities, user_intents
from frontdoor.analytics.csat import parse_rating, record_csat
from frontdoor.database import get_engine
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.taxonomy import load_taxonomy

log = logging.getLogger(__name__)



def worth_rating(tracker: Tracker) -> bool:
    """Ask once, only after the bot handled a real topic, and never after a handoff."""
    if tracker.get_slot("csat_asked") or tracker.get_slot("handoff_case"):
        return False
    taxonomy = load_taxonomy()
    return any(taxonomy.is_topic(intent) for intent in user_intents(tracker))


def close_conversation(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    if worth_rating(tracker):
        dispatcher.utter_message(response="utter_ask_csat")
        return [SlotSet(PENDING, OpenQuestion.CSAT), SlotSet("csat_asked", True)]
    dispatcher.utter_message(response="utter_goodbye")
    return [SlotSet(PENDING, OpenQuestion.CLOSED)]


def answer_rating(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """A rating is stored; anything else skips the question. Either way the bot says goodbye."""
    rating = parse_rating(str(latest_entities(tracker).get("rating", ""))) or next(
        (r for r in (parse_rating(text) for text in alternatives(tracker)) if r is not None), None
    )
    if rating is not None:
        try:
            record_csat(get_engine(), tracker.sender_id, rating, channel_of(tracker))
            dispatcher.utter_message(response="utter_csat_thanks")
        except SQLAlchemyError:
            log.exception("frontdoor.csat.not_stored sender=%s", tracker.sender_id)
    dispatcher.utter_message(response="utter_goodbye")
    return [SlotSet(PENDING, OpenQuestion.CLOSED)]


class ActionGoodbye(Action):
    def name(self) -> str:
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if tracker.get_slot(PENDING) == OpenQuestion.CSAT:
            return answer_rating(dispatcher, tracker)
        return close_conversation(dispatcher, tracker)
