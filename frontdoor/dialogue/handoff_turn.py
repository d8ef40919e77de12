"""The handoff turn, written once: what the customer hears when put through, and what the bot remembers.

The handoff action and the backend guard (which hands off when the action
server could not) both take their turn from here, so the two cannot drift.
What the customer hears depends on the case's category (handbook 18 and 19):
a fraud victim hears that the fraud team takes it now, urgently; a complaint
gets its reference and the 15-business-day timeline; everything else hears
the general "connecting you" message. Each keeps the case reference and wait.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from frontdoor.handoff.service import Handoff

DEFAULT_RESPONSE = "utter_handoff_connecting"
RESPONSES = {
    "fraud_report": "utter_handoff_fraud",
    "complaint": "utter_handoff_complaint",
}
UNAVAILABLE_RESPONSE = "utter_handoff_unavailable"


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


def handoff_turn(handoff: Handoff, lead: Tuple[str, ...] = ()) -> HandoffTurn:
    """The turn after a case was recorded; ``lead`` responses come first ("sorry, something went wrong")."""
    return HandoffTurn(
        responses=(*lead, handoff_response(handoff.category)),
        variables={
            "reference": handoff.reference,
            "reference_spoken": handoff.spoken_reference,
            "wait": str(handoff.wait_minutes),
        },
        payload={"handoff": True, "case_reference": handoff.reference},
        slots={"pending_question": None, "handoff_reason": None, "handoff_case": handoff.reference},
        pause=True,
    )


def unavailable_turn(lead: Tuple[str, ...] = ()) -> HandoffTurn:
    """The case could not be recorded: say so rather than promise an agent who will never see it."""
    return HandoffTurn(responses=(*lead, UNAVAILABLE_RESPONSE), slots={"pending_question": None})
