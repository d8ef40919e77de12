"""Full names as typed or heard: ASR variants ("Katy"/"Katie"), leading noise ("and Emma Watkins"), spellings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdoor.spoken.spelling import spelled_letters
from frontdoor.spoken.text import as_alternatives, clean_transcript, strip_accents

TITLES = frozenset("mr mrs ms miss mx dr doctor sir madam professor prof".split())
NOISE = frozenset("and um uh er so yes yeah it is it's its my name names name's called i'm im am hello hi".split())
MAX_TOKENS = 6
_CODE = re.compile(r"[<>{}\[\]=;|\\@#$%^*_+~`]|--|\d")
"""Markup, code or digits: no name has them ("<img src=x>", "Robert'); DROP TABLE customers;--")."""


def looks_like_code(text: str) -> bool:
    return bool(_CODE.search(text))


@dataclass(frozen=True)
class HeardName:
    """One reading of a name: its word tokens (lower case, no accents) and whether it was spelled letter by letter."""

    tokens: tuple[str, ...]
    spelled: bool = False

    @property
    def joined(self) -> str:
        return "".join(self.tokens)


def _tokens(text: str) -> tuple[str, ...]:
    text = strip_accents(clean_transcript(text)).lower()
    words = [w for w in re.findall(r"[a-z]+(?:['-][a-z]+)*", text) if w not in TITLES]
    while words and words[0] in NOISE:
        words = words[1:]
    return tuple(w.replace("'", "") for w in words[:MAX_TOKENS])


def looks_spelled(text: str) -> bool:
    """Mostly one- or two-letter tokens: the caller spelled the name out."""
    words = text.split()
    short = sum(len(w) <= 2 for w in words)
    return len(words) >= 3 and short >= 0.6 * len(words)


def parse_name(alternatives: object) -> list[HeardName]:
    """Every distinct reading of the n-best list, best first; spelled-out names become one joined token."""
    out: list[HeardName] = []
    for text in as_alternatives(alternatives):
        if looks_like_code(text):
            continue
        if looks_spelled(text):
            letters = spelled_letters(clean_transcript(text))
            heard = HeardName((letters,), spelled=True) if letters else None
        else:
            tokens = _tokens(text)
            heard = HeardName(tokens) if tokens else None
        if heard is not None and heard not in out:
            out.append(heard)
    return out
