"""String similarity for fuzzy matching of what was heard against a profile."""

from __future__ import annotations

import re
from functools import lru_cache

from frontdoor.spoken.text import strip_accents


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), two-row dynamic programme."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=262144)
def ratio(a: str, b: str) -> float:
    """1 - edit distance / longer length: 1.0 for equal strings, 0.0 when either is empty."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    return 1.0 - levenshtein(a, b) / max(len(a), len(b))


_PHONETIC_RULES = [
    (r"ph", "f"), (r"ck", "k"), (r"q", "k"), (r"x", "ks"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"z", "s"),
    (r"gh", "g"), (r"wh", "w"), (r"dg", "j"), (r"v", "f"), (r"th", "t"), (r"y", "i"), (r"ie\b", "i"),
    (r"ey\b", "i"), (r"ee", "i"), (r"ea", "i"), (r"ou", "u"), (r"oo", "u"), (r"h", ""), (r"w(?=[^aeiou]|\b)", ""),
    (r"([a-z])\1+", r"\1"), (r"(?<=.)[aeiou]+", "a"),
]  # fmt: skip


@lru_cache(maxsize=65536)
def phonetic(name: str) -> str:
    """A crude sound-alike key ("Steven" ~ "Stephen", "Katie" ~ "Katy", "Meyers" ~ "Myers")."""
    key = re.sub(r"[^a-z]", "", strip_accents(name).lower())
    for pattern, replacement in _PHONETIC_RULES:
        key = re.sub(pattern, replacement, key)
    return key
