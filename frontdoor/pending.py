"""What a yes or a no means, given the question the bot is waiting on."""

from __future__ import annotations

from typing import Dict, NamedTuple, Optional, Tuple


class Reply(NamedTuple):
    response: str
    pending: Optional[str]


_ANSWERS: Dict[Tuple[Optional[str], bool], Reply] = {
    ("agent", True): Reply("utter_agent_not_connected_yet", None),
    ("agent", False): Reply("utter_anything_else", None),
    ("topics", True): Reply("utter_ask_rephrase", None),
    ("topics", False): Reply("utter_offer_agent", "agent"),
}


def answer_pending(pending: Optional[str], affirmed: bool) -> Reply:
    """The response to send and the question left pending afterwards."""
    return _ANSWERS.get((pending, affirmed), Reply("utter_how_can_i_help", None))
