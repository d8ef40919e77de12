"""Which of the two offered articles the customer meant ("the second one", "the fees one", a button)."""

from __future__ import annotations

import re
from typing import Optional, Sequence

from frontdoor.knowledge.text import terms, words

# "one" alone is not an ordinal: "the one about fees" names a title.
_ORDINALS = (
    frozenset({"first", "1st", "former", "top", "number one", "option one", "1"}),
    frozenset({"second", "2nd", "latter", "bottom", "number two", "option two", "2"}),
)
_NUMBERED = re.compile(r"\b(number|option)\s+(one|two)\b")
_NEITHER = frozenset({"neither", "none", "nor", "nothing", "other", "else"})
_NEGATION = re.compile(r"\b(not|no)\s+(the\s+)?(first|second|former|latter)\b")


def choose(reply: str, candidate_ids: Sequence[str], titles: Sequence[str]) -> Optional[str]:
    """The candidate id the reply points at, or None when it names neither (or both).

    Ordinal words win ("the first", "number two"); otherwise the title sharing
    the most content words with the reply, if it shares strictly more than
    the other title. "Not the first" picks the second.
    """
    if len(candidate_ids) != len(titles) or not candidate_ids:
        return None
    said = words(reply)
    spoken = " ".join(said)
    said.extend(match.group(0) for match in _NUMBERED.finditer(spoken))
    negated = _NEGATION.search(spoken)
    if negated and len(candidate_ids) == 2:
        pointed = next((i for i, group in enumerate(_ORDINALS) if negated.group(3) in group), None)
        return candidate_ids[1 - pointed] if pointed is not None else None
    if _NEITHER.intersection(said):
        return None
    by_ordinal = {i for i, group in enumerate(_ORDINALS[: len(candidate_ids)]) if group.intersection(said)}
    if len(by_ordinal) == 1:
        return candidate_ids[by_ordinal.pop()]
    reply_terms = set(terms(reply))
    overlaps = [len(reply_terms & set(terms(title))) for title in titles]
    best = max(overlaps)
    if best == 0 or overlaps.count(best) > 1:
        return None
    return candidate_ids[overlaps.index(best)]
