"""The handoff turn, written once: what the customer hears when put through, and what the bot remembers.

The handoff action and the backend guard (which hands off when the action
server could not) both take their turn from here, so the two cannot drift.
What the customer hears depends on the case's category (handbook 18 and 19):
a fraud victim hears that the fraud team takes it now, urgently; a complaint
gets its reference and the 15-business-day timeline; everything else hears
the general "connecting you" message. Each keeps the case reference and wait.
A call outside phone hours hears instead when it will be called back (the
fraud team: urgently; a complaint also hears its reference and timeline), and
the call ends (handbook 21).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.handoff.config import HandoffConfig, load_config
from frontdoor.handoff.service import Handoff

DEFAULT_RESPONSE = "utter_handoff_connecting"
RESPONSES = {
    "fraud_report": "utter_handoff_fraud",
    "complaint": "utter_handoff_complaint",
}
CALLBACK_RESPONSE = "utter_handoff_callback"
CALLBACK_RESPONSES = {"complaint": "utter_handoff_complaint_callback"}
URGENT_CALLBACK_RESPONSE = "utter_handoff_urgent_callback"
UNAVAILABLE_RESPONSE = "utter_handoff_unavailable"
OFFER_RESPONSE = "utter_offer_callback"
DECLINED_RESPONSE = "utter_callback_declined"


def handoff_response(category: Optional[str]) -> str:
    return RESPONSES.get(category or "", DEFAULT_RESPONSE)


@dataclass(frozen=True)
class HandoffTurn:
    """Responses to send (with ``variables``), the custom payload channels act on, slots to set, and
    whether the bot then pauses for this conversation."""

    responses: Tuple[str, ...]
    slots: Dict[str, Optional[str]]
    variables: Dict[str, str] = field(default_factory=dict)
    payload: Optional[Dict[str, Any]] = None
    pause: bool = False


def handoff_turn(handoff: Handoff, lead: Tuple[str, ...] = (), config: Optional[HandoffConfig] = None) -> HandoffTurn:
    """The turn after a case was recorded; ``lead`` responses come first ("sorry, something went wrong")."""
    variables = {
        "reference": handoff.reference,
        "reference_spoken": handoff.spoken_reference,
        "wait": str(handoff.wait_minutes),
    }
    slots: Dict[str, Optional[str]] = {"pending_question": None, "handoff_reason": None,
                                       "handoff_case": handoff.reference}
    if handoff.callback is None:
        return HandoffTurn(responses=(*lead, handoff_response(handoff.category)), variables=variables,
                           payload={"handoff": True, "case_reference": handoff.reference}, slots=slots, pause=True)
    hours = (config or load_config()).hours["voice"]
    response = (URGENT_CALLBACK_RESPONSE if handoff.callback.urgent
                else CALLBACK_RESPONSES.get(handoff.category or "", CALLBACK_RESPONSE))
    return HandoffTurn(
        responses=(*lead, response),
        variables={**variables, "callback_from": hours.opening(), "callback_from_spoken": hours.opening(spoken=True)},
        payload={"callback": True, "end_call": True, "case_reference": handoff.reference},
        slots=slots,
        pause=True,
    )


def callback_offer_turn(reason: str, category: Optional[str], config: Optional[HandoffConfig] = None) -> HandoffTurn:
    """Phone agents are off: the hours, chat 24/7, and "shall an agent call you back?" (nothing recorded yet)."""
    return HandoffTurn(
        responses=(OFFER_RESPONSE,),
        variables=_phone_hours(config),
        slots={"pending_question": OpenQuestion.CALLBACK.value, "handoff_reason": reason,
               "handoff_category": category},
    )


def callback_declined_turn(config: Optional[HandoffConfig] = None) -> HandoffTurn:
    """No callback: where to reach an agent instead, then "anything else?"."""
    return HandoffTurn(
        responses=(DECLINED_RESPONSE, "utter_anything_else"),
        variables=_phone_hours(config),
        slots={"pending_question": OpenQuestion.ANYTHING_ELSE.value, "handoff_reason": None,
               "handoff_category": None},
    )


def _phone_hours(config: Optional[HandoffConfig]) -> Dict[str, str]:
    hours = (config or load_config()).hours["voice"]
    return {"phone_hours": hours.window(), "phone_hours_spoken": hours.window(spoken=True)}


def unavailable_turn(lead: Tuple[str, ...] = ()) -> HandoffTurn:
    """The case could not be recorded: say so rather than promise an agent who will never see it."""
    return HandoffTurn(responses=(*lead, UNAVAILABLE_RESPONSE), slots={"pending_question": None})
