"""The identity check as a Rasa form: name, date of birth and postcode in any order (core: frontdoor.identity)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import alternatives, latest_intent
from actions.handoff import hand_off_now
from frontdoor.identity.collect import collect_details
from frontdoor.identity.refusal import is_refusal
from frontdoor.taxonomy import load_taxonomy

FORM_SLOTS = {"name": "id_name", "dob": "id_dob", "postcode": "id_postcode"}
# Placeholders that complete the form without a value: the customer stopped the check.
STOPPED = "stopped"
# Intents that answer "what's your full name?" with something other than a detail. Bare names
# are often misread as other intents, so only these few clear ones are excluded.
NOT_A_DETAIL = frozenset({"bot_challenge", "goodbye", "thank"})
# Answers that give no detail (gibberish, markup, emoji) are re-asked this many times in a row, then the
# customer is put through; none of them is an identity-check attempt.
UNCLEAR_REASKS = 2


def stop_check(outcome: str) -> List[Dict[str, Any]]:
    return [SlotSet("identity_outcome", outcome)] + [SlotSet(slot, STOPPED) for slot in FORM_SLOTS.values()]


class ValidateIdentityForm(Action):
    """Fills every detail a message gives; a refusal or a request for a person ends the form early."""

    def name(self) -> str:
        return "validate_identity_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if tracker.latest_action_name != "action_listen":
            return []  # the form is (re)starting: the message before it answered something else
        intent = latest_intent(tracker)
        reason = load_taxonomy().get(intent)
        if reason is not None and reason.kind == "handoff":
            return stop_check("handoff")
        requested = next((d for d, s in FORM_SLOTS.items() if s == tracker.get_slot("requested_slot")), None)
        heard = [] if intent in NOT_A_DETAIL else alternatives(tracker)
        given = collect_details(requested, heard, dt.datetime.now(dt.timezone.utc).date())
        declined = intent == "deny" or is_refusal(tracker.latest_message.get("text") or "")
        if declined and not (given.keys() & {"dob", "postcode"}):
            return stop_check("refused")
        filled = [SlotSet(FORM_SLOTS[detail], value) for detail, value in given.items()]
        return filled + [SlotSet("id_unclear", None)] if filled else []


class ActionIdentityUnclear(Action):
    """An answer to an identity question that gave nothing usable (gibberish, markup, emoji): re-ask it.

    Runs from the rules in data/rules/dialogue.yml while the form is active. It
    is not an identity-check attempt. After ``UNCLEAR_REASKS`` re-asks in a row
    the customer is put through, as after any repeated misunderstanding.
    """

    def name(self) -> str:
        return "action_identity_unclear"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if not _filled_nothing(tracker):
            return []  # the message gave a detail after all: the form carries on
        unclear = int(tracker.get_slot("id_unclear") or 0)
        if unclear >= UNCLEAR_REASKS:
            dispatcher.utter_message(response="utter_still_not_understood")
            return [SlotSet("id_unclear", None)] + hand_off_now(dispatcher, tracker, "repeated_fallback")
        dispatcher.utter_message(response="utter_identity_unclear")
        return [SlotSet("id_unclear", unclear + 1)]


def _filled_nothing(tracker: Tracker) -> bool:
    """No identity detail was filled from the latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "slot" and event.get("name") in FORM_SLOTS.values() and event.get("value"):
            return False
    return True


def text_before_check(tracker: Tracker) -> str:
    """What the customer said that started the identity check (the message before the form opened)."""
    opened = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "identity_form":
            opened = True
        elif opened and event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                return text
    return ""
