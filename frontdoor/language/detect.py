"""Which language a customer message is in, offline (lingua ships its models inside its wheel).

English is the default: a message too short or too unsure to tell (a name, "ok", a reference, a postcode,
an amount) is ``None``, never another language, so one such message cannot flip the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = (
    Language.ENGLISH,
    Language.FRENCH,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.GERMAN,
    Language.ITALIAN,
    Language.DUTCH,
    Language.POLISH,
    Language.SWAHILI,
    Language.ARABIC,
)
"""A small set: fewer candidates make short messages more accurate and detection faster (~0.3 ms)."""
MIN_WORDS = 3
MIN_CONFIDENCE = 0.6
MIN_MARGIN = 0.25
MAX_CHARS = 1_000
"""Only the start of a huge message is read: a thousand characters settle the language."""
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|[^\W\d_]*\d[\w.,/:-]*", re.IGNORECASE)
"""E-mails, links and anything with a digit (references such as ZS12345678, UK postcodes such as SW1A 1AA,
amounts) say nothing of a language."""
_WORD = re.compile(r"[^\W\d_]{2,}")
SHORT = 6
"""Up to this many words a message must also use a common word of its language: a recipient's name
("Grace Wanjiru Kamau") reads as Swahili to lingua, but a name has no "na", "kwa" or "ni"."""
_FUNCTION_WORDS = {
    "fr": "le la les de des du un une est et je tu vous il mon ma mes pour que qui quel quelle combien où ou pas "
          "ne en au aux avec sur bonjour merci oui non",
    "es": "el la los las de del un una es y yo tu usted mi mis para por que qué cómo cuánto cuanto dónde donde no "
          "en con hola gracias sí",
    "pt": "o a os as de do da um uma é e eu você meu minha para por que como quanto onde não em com olá obrigado",
    "de": "der die das den dem ein eine ist und ich du sie mein meine für wie was wo nicht mit hallo danke ja nein",
    "it": "il lo la gli le di un una è e io tu mio mia per che come quanto dove non con ciao grazie",
    "nl": "de het een is en ik jij u mijn voor hoe wat waar niet met hallo bedankt ja nee",
    "pl": "jest i ja ty mój moja dla jak co gdzie nie z w na dzień dobry dziękuję tak",
    "sw": "na ya wa kwa ni je nini gani wapi vipi habari asante ndiyo hapana mimi wewe yangu",
    "ar": "في من على أن إلى هل ما كيف أين لا نعم مرحبا شكرا",
}
FUNCTION_WORDS = {code: frozenset(words.split()) for code, words in _FUNCTION_WORDS.items()}


@dataclass(frozen=True)
class Detection:
    """``language`` is an ISO 639-1 code, or None when the message does not tell."""

    language: Optional[str]
    confidence: float = 0.0


UNKNOWN = Detection(None)


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """Built once per process with every model preloaded (~1.5 s), so no message waits for a lazy load."""
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).with_preloaded_language_models().build()


def words(text: str) -> List[str]:
    """The words of the message's start, without references, numbers, postcodes, links or e-mails."""
    return _WORD.findall(_NOT_WORDS.sub(" ", text[:MAX_CHARS]))


def detect(text: str) -> Detection:
    """The message's language when it is long and clear enough to be sure of; otherwise ``UNKNOWN``."""
    if text.startswith("/"):  # a button payload or the call-start intent, not words
        return UNKNOWN
    found = words(text)
    if len(found) < MIN_WORDS:
        return UNKNOWN
    first, second = detector().compute_language_confidence_values(" ".join(found))[:2]
    if first.value < MIN_CONFIDENCE or first.value - second.value < MIN_MARGIN:
        return UNKNOWN
    code = first.language.iso_code_639_1.name.lower()
    if len(found) <= SHORT and code in FUNCTION_WORDS and not FUNCTION_WORDS[code] & {w.lower() for w in found}:
        return UNKNOWN
    return Detection(code, round(first.value, 3))
