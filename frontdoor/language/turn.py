"""One customer message's language, decided before NLU reads it: what NLU reads, and how the bot answers.

- English, or too short to tell: NLU reads the message as it is.
- A yes or no to the agent offer in French or Spanish: read as ``affirm`` / ``deny`` without NLU.
- Another language with a translator configured: NLU reads the English translation, the bot's replies are
  translated back, and the original stays in the metadata (and the case transcript).
- Another language mixed with enough English to act on ("est-ce que cash pickup is possible in Senegal?"),
  without a translator: NLU reads its English words and the bot answers in English; the detected language still
  sends a handoff to an agent who speaks it.
- Another language otherwise (or the translator failed): NLU is skipped and the message is ``out_of_scope``
  marked ``other_language``, which the action answers by language and the fallback count skips.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, MutableMapping, Optional

from frontdoor.fallback import OUT_OF_SCOPE_INTENT
from frontdoor.language.detect import MIN_WORDS, Detection, detect, english_part, words
from frontdoor.language.replies import offer_answer
from frontdoor.language.translate import TranslationError, Translator

log = logging.getLogger(__name__)
ENGLISH = "en"


@dataclass(frozen=True)
class LanguageTurn:
    """``text`` is what NLU reads; ``intent`` set means NLU is skipped; replies go into ``reply_language``."""

    text: str
    metadata: Dict[str, Any] = field(default_factory=dict)
    intent: Optional[str] = None
    reply_language: Optional[str] = None


async def read_turn(text: str, translator: Optional[Translator] = None) -> LanguageTurn:
    """Never raises for the customer's input: a translator that fails leaves the message in its language."""
    answer = offer_answer(text)
    if answer is not None:
        return LanguageTurn(text, {"detected": None, "offer_answer": answer}, "affirm" if answer else "deny")
    detection = detect(text)
    if detection.language is None and translator is not None and len(words(text)) >= MIN_WORDS:
        detection = await _remote_detection(text, translator)
    metadata: Dict[str, Any] = {"detected": detection.language, "confidence": detection.confidence}
    if detection.language in (None, ENGLISH):
        return LanguageTurn(text, metadata)
    language = str(detection.language)
    if translator is not None:
        try:
            english = await translator.translate(text, language, ENGLISH)
            return LanguageTurn(english, {**metadata, "translated": True, "original": text}, reply_language=language)
        except TranslationError as error:
            log.warning("frontdoor.language.translation_failed language=%s reason=%s", language, error)
            metadata["translation_failed"] = str(error)
    if detection.code_switched:
        return LanguageTurn(english_part(text, language), {**metadata, "code_switched": True, "original": text})
    return LanguageTurn(text, {**metadata, "other_language": True}, OUT_OF_SCOPE_INTENT)


async def _remote_detection(text: str, translator: Translator) -> Detection:
    """The server's opinion when ours is unsure: it may know languages the local detector leaves out."""
    try:
        remote = await translator.detect(text)
    except TranslationError as error:
        log.warning("frontdoor.language.detect_failed reason=%s", error)
        return Detection(None)
    return Detection(None) if remote is None else Detection(remote.language, round(remote.confidence / 100, 3))


async def translate_replies(turn: LanguageTurn, messages: List[MutableMapping[str, Any]],
                            translator: Optional[Translator]) -> None:
    """The bot's collected replies (texts and button titles) in the customer's language, in place.

    A reply that fails to translate stays in English: the customer still gets an answer.
    """
    if translator is None or turn.reply_language is None:
        return
    for message in messages:
        try:
            if message.get("text"):
                message["text"] = await translator.translate(str(message["text"]), ENGLISH, turn.reply_language)
            for button in message.get("buttons") or []:
                if isinstance(button, dict) and button.get("title"):
                    button["title"] = await translator.translate(str(button["title"]), ENGLISH,
                                                                 turn.reply_language)
        except TranslationError as error:
            log.warning("frontdoor.language.reply_untranslated language=%s reason=%s", turn.reply_language, error)
