"""What a yes or a no means, given the question the bot is waiting on."""

from __future__ import annotations

import re
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


_POLITE_CLOSE = re.compile(
    r"\b(?:that'?s|thats|that is) (?:all|everything|it|fine|great)\b|\bnothing else\b|\ball (?:good|sorted)\b"
    r"|\bi'?m (?:good|fine|ok|okay|sorted)\b|\bim (?:good|fine|ok|okay|sorted)\b"
    r"|^\s*(?:no|nope|nah)\W*(?:thanks|thank you|cheers|ta)\b",
    re.IGNORECASE,
)


def is_polite_close(text: str) -> bool:
    """A "no" that ends the conversation ("no thanks, that's everything") rather than saying the answer missed.

    After an answer the bot asks "did that help?" and offers more; customers then
    often just take their leave. Reading that as "it didn't help" would offer an
    agent to someone who is done.
    """
    return bool(_POLITE_CLOSE.search(text or ""))
