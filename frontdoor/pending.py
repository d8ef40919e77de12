"""What a yes or a no means, given the question the bot is waiting on."""

from __future__ import annotations

from typing import Dict, NamedTuple, Optional, Tuple

from frontdoor.dialogue.open_question import OpenQuestion


class Reply(NamedTuple):
    response: Optional[str]  # None with ``hand_off``: the handoff says what happens next
    pending: Optional[str]
    hand_off: bool = False


_ANSWERS: Dict[Tuple[Optional[str], bool], Reply] = {
    (OpenQuestion.AGENT, True): Reply(None, None, hand_off=True),
    (OpenQuestion.AGENT, False): Reply("utter_anything_else", OpenQuestion.ANYTHING_ELSE),
    (OpenQuestion.ANYTHING_ELSE, True): Reply("utter_how_can_i_help", None),
    (OpenQuestion.TOPICS, True): Reply("utter_ask_rephrase", None),
    (OpenQuestion.TOPICS, False): Reply("utter_offer_agent", OpenQuestion.AGENT),
}


def answer_pending(pending: Optional[str], affirmed: bool) -> Reply:
    """The response to send and the question left pending afterwards."""
    return _ANSWERS.get((pending, affirmed), Reply("utter_how_can_i_help", None))
