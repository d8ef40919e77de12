"""Two-stage fallback: offer the two likeliest topics, then an agent."""

from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Sequence

from frontdoor.taxonomy import Reason, Taxonomy

FALLBACK_INTENT = "nlu_fallback"
INFORM_INTENT = "inform"
"""Details given without a request ("cash pickup", a reference): only as good as the details in it."""
DENY_INTENT = "deny"
OUT_OF_SCOPE_INTENT = "out_of_scope"
SURE_OUT_OF_SCOPE = 0.8
"""Below this NLU confidence an out-of-scope *question* is looked up first: "can I use ZuriSend if I live in
Canada?" shares words with "can a 16 year old use ZuriSend?", and the knowledge base, held to its threshold
for messages without a topic, answers the first and declines the second."""
NO_TOPIC_INTENTS = frozenset({FALLBACK_INTENT, OUT_OF_SCOPE_INTENT})
"""NLU found no contact reason in the message: retrieval alone must speak for an answer."""
# A caller who says nothing three times running is offered an agent.
SILENT_TURNS_BEFORE_AGENT = 3


def topic_suggestions(
    ranking: Iterable[Mapping[str, Any]],
    taxonomy: Taxonomy,
    count: int = 2,
    min_confidence: float = 0.02,
) -> List[Reason]:
    """The most likely topics from an intent ranking, skipping glue intents."""
    suggestions: List[Reason] = []
    for entry in ranking:
        name = entry.get("name")
        if not taxonomy.is_topic(name) or float(entry.get("confidence") or 0) < min_confidence:
            continue
        reason = taxonomy.get(name)
        if reason is not None and reason not in suggestions:
            suggestions.append(reason)
        if len(suggestions) == count:
            break
    return suggestions


def consecutive_fallbacks(user_intents: Sequence[str]) -> int:
    """How many of the latest user messages in a row the bot failed to understand.

    An off-topic message after one it did not understand is a miss too: it is
    the reply to "did you mean A or B?". Off-topic messages alone are not.
    """
    misses = 0
    for streak, intent in enumerate(reversed(user_intents), start=1):
        if intent not in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT):
            break
        if intent == FALLBACK_INTENT:
            misses = streak
    return misses


def consecutive_silences(user_texts: Sequence[str]) -> int:
    """How many of the latest user turns in a row were empty (a caller saying nothing)."""
    streak = 0
    for text in reversed(user_texts):
        if text.strip():
            break
        streak += 1
    return streak
