"""Small helpers shared by the actions."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

PENDING = "pending_question"


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def user_intents(tracker: Tracker) -> List[str]:
    """Intents of this session's user messages with text, oldest first.

    Empty messages (a silent turn, a blank send) are asked again, not counted
    as the customer being misunderstood.
    """
    return [
        (event.get("parse_data", {}).get("intent") or {}).get("name") or ""
        for event in tracker.applied_events()
        if event.get("event") == "user" and (event.get("text") or "").strip()
    ]


def set_pending(question: Optional[str]) -> List[Dict[str, Any]]:
    from rasa_sdk.events import SlotSet

    return [SlotSet(PENDING, question)]
