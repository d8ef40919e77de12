"""What the customer hears when they are put through, by the case's category (handbook 18 and 19).

A fraud victim must hear that the fraud team takes it now, urgently; a
complaint gets its reference and the 15-business-day timeline before the
handoff. Everything else hears the general "connecting you" message. Each
response keeps the case reference and the expected wait.
"""

from __future__ import annotations

from typing import Optional

DEFAULT_RESPONSE = "utter_handoff_connecting"
RESPONSES = {
    "fraud_report": "utter_handoff_fraud",
    "complaint": "utter_handoff_complaint",
}


def handoff_response(category: Optional[str]) -> str:
    return RESPONSES.get(category or "", DEFAULT_RESPONSE)
