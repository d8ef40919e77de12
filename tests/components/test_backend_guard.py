"""Which turn the Rasa side hands off: a custom action whose call left no event (Rasa drops a failed call's)."""

from __future__ import annotations

from typing import List

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from frontdoor.rasa.backend_guard import failed_custom_action

DOMAIN = Domain.from_dict({
    "intents": ["greet", "transfer_status"],
    "actions": ["action_handle_reason"],
    "responses": {"utter_greet": [{"text": "Hello"}]},
})


def turn(*events: Event) -> DialogueStateTracker:
    history: List[Event] = [UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet"),
                            BotUttered("Hello"), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("c-1", [*history, UserUttered("where is it"), *events], DOMAIN.slots)


def test_a_custom_action_that_left_nothing_failed() -> None:
    tracker = turn(ActionExecuted("action_handle_reason"), ActionExecuted("action_listen"))
    assert failed_custom_action(tracker, DOMAIN) == "action_handle_reason"
    assert failed_custom_action(turn(ActionExecuted("action_handle_reason")), DOMAIN) == "action_handle_reason"


def test_a_custom_action_with_events_or_replies_ran() -> None:
    replied = turn(ActionExecuted("action_handle_reason"), BotUttered("Let me check"), ActionExecuted("action_listen"))
    assert failed_custom_action(replied, DOMAIN) is None
    slots_only = turn(ActionExecuted("action_handle_reason"), SlotSet("requested_slot", None))
    assert failed_custom_action(slots_only, DOMAIN) is None


def test_only_this_turn_and_only_custom_actions_count() -> None:
    assert failed_custom_action(turn(ActionExecuted("action_listen")), DOMAIN) is None
    assert failed_custom_action(turn(ActionExecuted("utter_greet"), ActionExecuted("action_listen")), DOMAIN) is None
    earlier = DialogueStateTracker.from_events("c-2", [
        UserUttered("where is it"), ActionExecuted("action_handle_reason"), ActionExecuted("action_listen"),
        UserUttered("hi"), ActionExecuted("utter_greet"), BotUttered("Hello"), ActionExecuted("action_listen"),
    ], DOMAIN.slots)
    assert failed_custom_action(earlier, DOMAIN) is None
    assert failed_custom_action(earlier, None) is None
