"""What a yes or a no means, given the question the bot is waiting on."""

from __future__ import annotations

from typing import Dict, NamedTuple, Optional, Tuple

# The bot asked "did you mean A or B?" (the fallback's first stage).
TOPICS = "topics"


class Reply(NamedTuple):
    response: Optional[str]  # None with ``hand_off``: the handoff says what happens next
    pending: Optional[str]
    hand_off: bool = False


_ANSWERS: Dict[Tuple[Optional[str], bool], Reply] = {
    ("agent", True): Reply(None, None, hand_off=True),
    ("agent", False): Reply("utter_anything_else", "anything_else"),
    ("anything_else", True): Reply("utter_how_can_i_help", None),
    (TOPICS, True): Reply("utter_ask_rephrase", None),
    (TOPICS, False): Reply("utter_offer_agent", "agent"),
}


def answer_pending(pending: Optional[str], affirmed: bool) -> Reply:
    """The response to send and the question left pending afterwards."""
    return _ANSWERS.get((pending, affirmed), Reply("utter_how_can_i_help", None))
