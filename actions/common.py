"""Small helpers shared by the actions."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Tracker

from frontdoor.fallback import DENY_INTENT, FALLBACK_INTENT, INFORM_INTENT
from frontdoor.identity.refusal import is_refusal
from frontdoor.language.conversation import is_other_language

PENDING = "pending_question"


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_entities(tracker: Tracker) -> Dict[str, Any]:
    """The latest message's entities, the first value of each type."""
    found: Dict[str, Any] = {}
    for entity in tracker.latest_message.get("entities") or []:
        name = entity.get("entity")
        if name and name not in found and entity.get("value") is not None:
            found[name] = entity["value"]
    return found


def alternatives(tracker: Tracker) -> List[str]:
    """Every transcription of the latest message: the n-best list on voice, the text itself on chat.

    Metadata ``alternatives`` count only on the voice channel: on chat they could name details the customer
    never typed.
    """
    metadata = (tracker.latest_message.get("metadata") or {}) if channel_of(tracker) == "voice" else {}
    heard = [
        str(a.get("transcript") or "")
        for a in metadata.get("alternatives") or []
        if isinstance(a, dict) and a.get("transcript")
    ]
    text = tracker.latest_message.get("text") or ""
    return heard or ([text] if text else [])


def channel_of(tracker: Tracker) -> str:
    """``voice`` for phone transcripts, otherwise ``chat`` (the REST and web channels)."""
    return "voice" if tracker.get_latest_input_channel() == "voice" else "chat"


def user_intents(tracker: Tracker) -> List[str]:
    """Intents of this session's user messages with text, oldest first.

    Empty messages (a silent turn, a blank send) are asked again, and messages
    in another language are answered by language: neither counts as the
    customer being misunderstood. An ``inform`` without any entity counts as a miss (``understood``).
    """
    return [
        understood(event.get("parse_data") or {}, event.get("text") or "")
        for event in tracker.applied_events()
        if event.get("event") == "user" and (event.get("text") or "").strip()
        and not is_other_language(event.get("metadata"))
    ]


VAGUE_SENTENCE_WORDS = 4


def understood(parse: Dict[str, Any], text: str) -> str:
    """The message's intent; a sentence read as "details given" with no detail in it was not understood.

    Short messages ("ok", a postcode, a name) stay ``inform``: they are details out of context, which the
    bot meets with "how can I help?", not a misunderstanding that counts towards a handoff. A refusal to give
    identity details NLU could not place is a no, which the identity check answered, not a miss.
    """
    name = str((parse.get("intent") or {}).get("name") or "")
    if name == FALLBACK_INTENT and is_refusal(text):
        return DENY_INTENT  # "not comfortable sharing those details": the identity check took it as a no
    sentence = len(text.split()) >= VAGUE_SENTENCE_WORDS and not text.strip().startswith("/")
    if name == INFORM_INTENT and not parse.get("entities") and sentence:
        return FALLBACK_INTENT
    return name


def user_texts(tracker: Tracker) -> List[str]:
    """This session's user messages, oldest first, empty ones included."""
    return [event.get("text") or "" for event in tracker.applied_events() if event.get("event") == "user"]


def with_slots(tracker: Tracker, events: Sequence[Dict[str, Any]] = (), **slots: Any) -> Tracker:
    """The tracker as it is once this turn's slot events apply: to act on them within the same action."""
    current = tracker.copy()
    current.slots.update({e["name"]: e.get("value") for e in events if e.get("event") == "slot"})
    current.slots.update(slots)
    return current


def set_pending(question: Optional[str]) -> List[Dict[str, Any]]:
    from rasa_sdk.events import SlotSet

    return [SlotSet(PENDING, question)]
