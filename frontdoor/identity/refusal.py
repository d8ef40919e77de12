"""A customer declining the identity check, in their own words ("I'd rather not say", "why do you need that?").

Read before any detail is parsed: otherwise "rather not say" is three words
and looks like a full name. The vocabulary lives here only.
"""

from __future__ import annotations

import re

_REFUSALS = re.compile(
    r"\b(?:"
    r"(?:i'?d|i would) rather not|prefer not|rather not (?:say|tell|give|share)|"
    r"(?:don'?t|do not|won'?t|will not|not going to|not gonna) (?:want to |wanna )?(?:give|share|tell|say|provide)|"
    r"not (?:giving|sharing|telling)|none of your business|no way|"
    r"why do you (?:need|want)|skip (?:this|that|the check|it)|"
    r"not comfortable|(?:don'?t|do not) want to (?:do|go through) (?:this|that|the check)|"
    r"(?:no need|don'?t need|do not need) (?:for you )?to (?:check|verify)|"
    r"(?:just|only) (?:a )?(?:general|asking)|asking in general|(?:a|my) general question|"
    r"(?:it'?s|its|it is) not about (?:one of )?my"
    r")\b",
    re.IGNORECASE,
)


_GENERAL = re.compile(r"\b(?:general|in general|generally|not about (?:one of )?my|no need to check)\b", re.I)


def is_refusal(text: str) -> bool:
    """Whether a message declines to give identity details rather than giving one."""
    return bool(_REFUSALS.search(text or ""))


def only_asking_in_general(text: str) -> bool:
    """The refusal says the question was a general one: the bot answers it without the check."""
    return is_refusal(text) and bool(_GENERAL.search(text or ""))
