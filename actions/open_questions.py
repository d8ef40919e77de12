"""What follows the bot's yes/no questions. Which action answers which question is declared in
``data/rules/open_questions.yml`` (rules conditioned on the ``pending_question`` slot), so a designer
changes a step there; each action here only does its one step.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.closing import close_conversation
from actions.common import channel_of, set_pending
from actions.handoff import CATEGORY, REASON, accept_callback, decline_callback, hand_off_now
from actions.knowledge import CONTEXT, say
from actions.transfers import confirm_cancel
from frontdoor.database import get_engine
from frontdoor.dialogue.leave_taking import is_polite_close
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.knowledge.conversation import feedback_turn


def _feedback(dispatcher: CollectingDispatcher, tracker: Tracker, helpful: bool) -> List[Dict[str, Any]]:
    article_id = (tracker.get_slot(CONTEXT) or {}).get("article_id")
    return say(dispatcher, tracker, feedback_turn(get_engine(), tracker.sender_id, article_id, helpful,
                                                  channel_of(tracker)))


class ActionAnswerHelped(Action):
    """ "Did that help?" - yes: the vote is stored, then "anything else?"."""

    def name(self) -> str:
        return "action_answer_helped"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        return _feedback(dispatcher, tracker, helpful=True)


class ActionAnswerDidNotHelp(Action):
    """ "Did that help?" - no: apologise and offer an agent (the configured Nth no hands off).

    A no that takes leave ("no thanks, that's everything") closes instead: the
    bot had also offered more, and the customer is done, not disappointed.
    """

    def name(self) -> str:
        return "action_answer_did_not_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        if is_polite_close(tracker.latest_message.get("text") or ""):
            return close_conversation(dispatcher, tracker)
        return _feedback(dispatcher, tracker, helpful=False)


class ActionAcceptAgent(Action):
    """A yes to an agent offer hands off, with the reason the offer was made for."""

    def name(self) -> str:
        return "action_accept_agent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        reason = tracker.get_slot(REASON) or "agent_requested"
        return hand_off_now(dispatcher, tracker, reason, tracker.get_slot(CATEGORY))


class ActionAcceptCallback(Action):
    """A yes to the callback offer (a call outside phone hours) records the case for a callback."""

    def name(self) -> str:
        return "action_accept_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        return accept_callback(dispatcher, tracker)


class ActionDeclineCallback(Action):
    """A no to the callback offer: chat is open around the clock, the phone hours, then "anything else?"."""

    def name(self) -> str:
        return "action_decline_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        return decline_callback(dispatcher, tracker)


class ActionCloseConversation(Action):
    """No more to ask: the skippable rating, then goodbye."""

    def name(self) -> str:
        return "action_close_conversation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        return close_conversation(dispatcher, tracker)


class ActionConfirmCancel(Action):
    def name(self) -> str:
        return "action_confirm_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        return confirm_cancel(dispatcher, tracker, True)


class ActionKeepTransfer(Action):
    def name(self) -> str:
        return "action_keep_transfer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        return confirm_cancel(dispatcher, tracker, False)


class _AskAndWait(Action):
    """Say ``response`` and wait on ``waits_for`` (None: on nothing in particular)."""

    action_name = ""
    response = ""
    waits_for: Optional[OpenQuestion] = None

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Any]:
        dispatcher.utter_message(response=self.response)
        return set_pending(self.waits_for)


class ActionAskAnythingElse(_AskAndWait):
    action_name, response, waits_for = "action_ask_anything_else", "utter_anything_else", OpenQuestion.ANYTHING_ELSE


class ActionAskHowCanIHelp(_AskAndWait):
    action_name, response = "action_ask_how_can_i_help", "utter_how_can_i_help"


class ActionAskRephrase(_AskAndWait):
    action_name, response = "action_ask_rephrase", "utter_ask_rephrase"


class ActionOfferAgent(_AskAndWait):
    action_name, response, waits_for = "action_offer_agent", "utter_offer_agent", OpenQuestion.AGENT
