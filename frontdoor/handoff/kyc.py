"""How many times the in-app identity verification (KYC, handbook 12) already failed, as the customer tells it.

Handbook 12: "A failed check can be retried 3 times in the app; after that an
agent must review it." Customers say it in many ways, typed or spoken: "I've
tried 3 times", "it failed three times", "after 3 failed tries", "this is my
fourth attempt", "it failed twice". Only a number tied to a repetition word
(times, tries, attempts, goes, retries) counts, so amounts, dates and
references in the same message ("I sent 300 pounds") never do. Vague
repetitions ("again and again", "several times") give no number: the bot asks.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from frontdoor.handoff.config import Triggers
from frontdoor.handoff.triggers import kyc_retries_exhausted
from frontdoor.spoken.numbers import Item, NumberChunk, chunk_numbers, number_tokens

KYC_CATEGORY = "verify_identity"
"""The taxonomy reason of account (KYC) verification: the category of a ``kyc_retries_exhausted`` case."""

_COUNTED = {"times", "time", "tries", "attempts", "goes", "retries"}
"""After a cardinal: "3 times", "three attempts", "one time"."""
_ORDINAL = {"time", "try", "attempt", "go", "retry"}
"""After an ordinal: "the fourth time", "my 4th try"."""
_BETWEEN = {"failed", "unsuccessful", "separate", "different", "whole"}
"""May stand between the number and its noun: "3 failed attempts"."""
_WORD_COUNTS = {"once": 1, "twice": 2, "thrice": 3}
_NEGATIONS = {"not", "never"}
_FAILED = re.compile(r"\bfail|\breject|\bdeclin|\bunsuccessful|didn'?t work|did not work|not work|no luck", re.I)


def _negated(items: Sequence[Item], index: int) -> bool:
    """A negation among the three words before ``index``: "I haven't tried 3 times"."""
    before = [i for i in items[max(0, index - 3):index] if isinstance(i, str)]
    return any(word in _NEGATIONS or word.endswith("n't") for word in before)


def _noun_after(items: Sequence[Item], index: int) -> Optional[str]:
    """The word naming what the number counts, skipping one word like "failed"."""
    following = list(items[index + 1:index + 3])
    if following and isinstance(following[0], str) and following[0] in _BETWEEN:
        following = following[1:]
    return following[0] if following and isinstance(following[0], str) else None


def stated_failures(text: str) -> Optional[int]:
    """How many failed in-app checks the message states, or None when it gives no number.

    An ordinal counts the attempts: "my fourth try" is three failures before
    it, "it failed for the fourth time" is four. Several numbers: the largest
    ("three or four times" is four).
    """
    items: List[Item] = chunk_numbers(number_tokens(text))
    failed = bool(_FAILED.search(text))
    found: List[int] = []
    for index, item in enumerate(items):
        if _negated(items, index):
            continue
        if isinstance(item, NumberChunk):
            noun = _noun_after(items, index)
            if item.ordinal and noun in _ORDINAL:
                found.append(item.value if failed else item.value - 1)
            elif not item.ordinal and noun in _COUNTED:
                found.append(item.value)
        elif item in _WORD_COUNTS:
            found.append(_WORD_COUNTS[item])
        elif item == "couple":
            of = index + 1 if items[index + 1:index + 2] == ["of"] else index
            if _noun_after(items, of) in _COUNTED:
                found.append(2)
    return max(found) if found else None


def needs_agent_review(text: str, triggers: Triggers) -> bool:
    """The message says the in-app check failed as often as the app allows: only an agent can review it now."""
    failures = stated_failures(text)
    return failures is not None and kyc_retries_exhausted(failures, triggers)
