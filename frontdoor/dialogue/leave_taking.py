"""A "no" that takes leave ("no thanks, that's everything"): the customer is done, not disappointed."""

from __future__ import annotations

import re

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
