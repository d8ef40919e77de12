"""Two-stage fallback: a question is looked up (answered, or plainly declined); anything else gets the
two likeliest topics; the second miss in a row, an agent."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entities, set_pending, user_intents, user_texts
from actions.handoff import hand_off_now, offer_agent
from actions.knowledge import answer_from_knowledge, follows_up
from actions.pending import resume_open_question
from actions.transfers import start_request
from frontdoor.dialogue.moves import asks_about_refund, is_question
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.fallback import SILENT_TURNS_BEFORE_AGENT, consecutive_fallbacks, consecutive_silences, topic_suggestions
from frontdoor.handoff.config import load_config
from frontdoor.knowledge.answer import get_knowledge_base
from frontdoor.taxonomy import load_taxonomy


def offer_topics_or_hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """The message was a miss: offer the two likeliest topics, or hand off after too many in a row."""
    if consecutive_fallbacks(user_intents(tracker)) >= load_config().triggers.consecutive_fallbacks:
        dispatcher.utter_message(response="utter_still_not_understood")
        return hand_off_now(dispatcher, tracker, "repeated_fallback")
    suggestions = topic_suggestions(
        tracker.latest_message.get("intent_ranking") or [], load_taxonomy()
    )
    if len(suggestions) < 2:
        dispatcher.utter_message(response="utter_offer_agent")
        return offer_agent("agent_requested")
    first, second = suggestions
    dispatcher.utter_message(
        response="utter_clarify_topics",
        topic_a=first.title,
        intent_a=first.name,
        topic_b=second.title,
        intent_b=second.name,
    )
    return set_pending(OpenQuestion.TOPICS)


def handle_miss(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """A message NLU did not understand: a transfer reference is the customer's own transfer; a follow-up, a
    question or one naming a country, amount or delivery method is looked up; else topics, or an agent."""
    if follows_up(tracker):
        return answer_from_knowledge(dispatcher, tracker)
    text = tracker.latest_message.get("text") or ""
    if "transfer_reference" in latest_entities(tracker):
        # "where is ZS12345678", NLU unsure of the topic: a reference is the customer's own transfer, so its
        # status (or its refund: "still waiting on the money back from ZS..."), after the identity check.
        return start_request(dispatcher, tracker, "refund_status" if asks_about_refund(text) else "transfer_status")
    first_miss = consecutive_fallbacks(user_intents(tracker)) < load_config().triggers.consecutive_fallbacks
    if first_miss and (is_question(text) or get_knowledge_base().slots(text).has_entities):
        # A real question NLU could not place, or a message naming what the articles are about ("I want to
        # send shillings to a bank account in Dar es Salaam"): the knowledge base answers it, or says plainly
        # that it has no answer ("who is your CEO?" is not "did you mean Fees or Countries?").
        return answer_from_knowledge(dispatcher, tracker)
    return offer_topics_or_hand_off(dispatcher, tracker)


class ActionClarifyTopics(Action):
    def name(self) -> str:
        return "action_clarify_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if not (tracker.latest_message.get("text") or "").strip():
            if consecutive_silences(user_texts(tracker)) >= SILENT_TURNS_BEFORE_AGENT:
                dispatcher.utter_message(response="utter_silence_offer_agent")
                return offer_agent("agent_requested")
            dispatcher.utter_message(response="utter_empty_message")
            return set_pending(None)
        resumed = resume_open_question(dispatcher, tracker)
        if resumed is not None:
            return resumed
        return handle_miss(dispatcher, tracker)
