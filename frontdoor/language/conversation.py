"""The conversation's language, read from the language metadata the channels put on every user message.

No slot keeps it: the user events carry each message's detection, so the language is the latest one
detected (short messages detect nothing, so they never change it) and the model does not change.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from frontdoor.language.replies import AGENT_LANGUAGES

METADATA_KEY = "language"
DEFAULT_LANGUAGE = "en"


def message_language(metadata: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The ``language`` metadata of one message (``frontdoor.language.turn.LanguageTurn.metadata``), or {}."""
    value = (metadata or {}).get(METADATA_KEY)
    return value if isinstance(value, Mapping) else {}


def is_other_language(metadata: Optional[Mapping[str, Any]]) -> bool:
    """The message was in a language the bot does not speak: answered as such, never a misunderstanding."""
    return bool(message_language(metadata).get("other_language"))


def _session(events: Sequence[Mapping[str, Any]]) -> Sequence[Mapping[str, Any]]:
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return events[starts[-1]:] if starts else events


def conversation_language(events: Sequence[Mapping[str, Any]]) -> str:
    """The language of this session's latest user message that was clear enough to tell; English by default."""
    for event in reversed(_session(events)):
        detected = message_language(event.get("metadata")).get("detected") if event.get("event") == "user" else None
        if detected:
            return str(detected)
    return DEFAULT_LANGUAGE


def agent_language(events: Sequence[Mapping[str, Any]]) -> str:
    """The case's ``language``: French or Spanish when the customer writes it (an agent skill), else English."""
    language = conversation_language(events)
    return language if language in AGENT_LANGUAGES else DEFAULT_LANGUAGE


def transcript_text(text: str, metadata: Optional[Mapping[str, Any]]) -> str:
    """A translated message as the agent reads it: the English the bot understood, then the customer's words.

    A message mixing languages was read without its foreign words: the agent sees it whole, as written.
    """
    language = message_language(metadata)
    original = language.get("original")
    if not isinstance(original, str):
        return text
    if language.get("code_switched"):
        return original
    if not language.get("translated"):
        return text
    return f"{text} [translated from {language.get('detected')}; original: {original}]"


def translation_note(events: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """A line for the case when the translation server failed: those messages were answered in English."""
    failed = [
        message_language(e.get("metadata")) for e in _session(events)
        if e.get("event") == "user" and message_language(e.get("metadata")).get("translation_failed")
    ]
    if not failed:
        return None
    languages = ", ".join(sorted({str(m.get("detected")) for m in failed}))
    return (f"Translation unavailable for {len(failed)} customer message(s) in {languages}: "
            "the bot fell back to English")
