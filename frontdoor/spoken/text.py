"""Transcript clean-up shared by every parser: chat text and ASR hypotheses alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

MAX_CHARS = 500
"""Longer inputs are cut: no slot value needs more, and it bounds parsing cost."""

MAX_ALTERNATIVES = 20

FILLERS = frozenset(
    "um umm ummm uh uhh uhm er err erm erm ah ahh aah eh hmm hm mm mmm mhm like basically literally".split()
)
_FILLER_PHRASES = ("you know", "i mean", "kind of", "sort of", "let me see", "let me think", "hang on")
_LEADING_WORDS = frozenset(
    "so well okay ok right yeah yes yep yup hello hi hey sure alright please".split()
)
_TRAILING_WORDS = frozenset("please thanks thank cheers mate".split())
"""Politeness after a value; "you" only goes with "thank": alone it is the letter U ("ess you")."""
_CORRECTIONS = re.compile(
    r"\b(?:sorry|i mean|no wait|no sorry|no no|actually|scratch that|let me start again|start again|correction)\b",
    re.IGNORECASE,
)
_PREAMBLE = re.compile(
    r"^(?:(?:yes|yeah|sure|okay|ok|so|well)\s+)*"
    r"(?:(?:my|the|our|his|her)\s+(?:full\s+|first\s+|last\s+|sur)?"
    r"(?:name|names|postcode|post\s+code|postal\s+code|zip\s+code|zip|date\s+of\s+birth|birth\s*date|birthday|dob|d\s+o\s+b"
    r"|reference(?:\s+number)?|ref(?:\s+number)?|transfer\s+reference|amount)"
    r"(?:\s+is|\s+was|'s|s)?"
    r"|it\s+is|it's|its|it\s+was|that\s+is|that's|thats|this\s+is|i\s+am|i'm|im|i\s+was\s+born\s+(?:on|in)|born\s+(?:on|in)"
    r"|(?:it\s+)?should\s+be|i\s+think\s+it's|i\s+think|i\s+believe|call\s+me|name's|names)\b\s*",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_SPACES = re.compile(r"\s+")


def as_alternatives(value: object) -> list[str]:
    """Accept whatever a channel hands over without raising: None, a typed string, one transcription, an
    n-best list (best first) or (transcript, confidence) pairs (sorted by confidence); other values give []."""
    if value is None:
        return []
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, Sequence):
        items = list(value[:MAX_ALTERNATIVES])
    else:
        return []
    if items and all(_is_scored(item) for item in items):
        pairs = [item for item in items if isinstance(item, tuple)]
        items = [text for text, _ in sorted(pairs, key=lambda pair: -float(pair[1]))]
    out: list[str] = []
    for item in items:
        if isinstance(item, tuple) and item:
            item = item[0]
        if isinstance(item, bytes):
            item = item.decode("utf-8", errors="replace")
        if isinstance(item, str):
            text = normalise_text(item)
            if text:
                out.append(text)
    return out


def _is_scored(item: object) -> bool:
    """A (transcript, confidence) pair as some ASR engines return them."""
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[1], int | float)
        and not isinstance(item[1], bool)
        and item[1] == item[1]
    )


def normalise_text(text: str, limit: int = MAX_CHARS) -> str:
    """Unicode-normalise, drop control bytes, unify apostrophes and dashes, collapse spaces; at most ``limit`` chars."""
    text = unicodedata.normalize("NFKC", text[: limit * 4])
    text = _CONTROL.sub(" ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    return _SPACES.sub(" ", text).strip()[:limit]


def strip_accents(text: str) -> str:
    """Callers and ASR drop accents inconsistently, so matching ignores them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def after_last_correction(text: str) -> str:
    """Keep what follows the caller's last self-correction ("W2, sorry, W3 ..."), if anything does."""
    parts = _CORRECTIONS.split(text)
    tail = parts[-1].strip(" ,.;:-")
    return tail if tail and len(parts) > 1 else text


def clean_transcript(text: str) -> str:
    """Remove what is not part of the value: fillers, preambles, false starts, politeness.

    Case is preserved on purpose: ASR engines upper-case spelled letters ("G EO R GI n a").
    """
    text = normalise_text(text)
    text = after_last_correction(text)
    for phrase in _FILLER_PHRASES:
        text = re.sub(rf"\b{phrase}\b", " ", text, flags=re.IGNORECASE)
    words = [w for w in text.split() if not w.endswith("-") or len(w) == 1]
    words = [w for w in words if w.lower().strip(",.!?") not in FILLERS]
    words = _drop_stutter(words)
    text = " ".join(words)
    previous = None
    while previous != text:
        previous = text
        text = _PREAMBLE.sub("", text.strip(" ,.;:!?")).strip()
        words = text.split()
        while words and words[0].lower().strip(",.!?") in _LEADING_WORDS and len(words) > 1:
            words = words[1:]
        while len(words) > 1 and (
            words[-1].lower().strip(",.!?") in _TRAILING_WORDS
            or (words[-1].lower().strip(",.!?") == "you" and words[-2].lower() == "thank")
        ):
            words = words[:-1]
        text = " ".join(words)
    return text.strip(" ,.;:!?")


def _drop_stutter(words: list[str]) -> list[str]:
    """Collapse repeated function words ("I I I'm") but never repeated letters or digits, which are data."""
    out: list[str] = []
    for word in words:
        low = word.lower()
        if out and out[-1].lower() == low and len(low) > 1 and low in _STUTTER_WORDS:
            continue
        out.append(word)
    return out


_STUTTER_WORDS = frozenset("i i'm it's its the my is it a and of on".split())

