"""Word normalisation for lexical matching: customers type "Cancelled", "cancel" and "cancle"."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Set

# Function words carry no topic; question words are kept ("how long" vs "how much" differ).
# Relatives name the recipient, never the topic: "my uncle" must not count as an off-topic word.
# Every question is about ZuriSend, so its name is no topic ("can she get money through ZuriSend" is not
# about regulation, whose article names the company most).
STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from into about as is are was were be been
    being am do does did doing have has had having i me my mine we us our you your yours it its this that these
    those there here he she they them their his her can could would should will shall may might must just
    please hi hello hey thanks thank um uh er erm like yeah ok okay oh well also any some im ive id dont
    get got there's whats hm
    u ur r ya pls plz thx ty wasnt isnt doesnt didnt arent werent hasnt havent going
    generally usually normally typically basically actually really
    guys thing things stuff
    zurisend
    mum mom mother mam dad father brother bro sister sis uncle aunt auntie cousin wife husband son daughter
    family parents grandma grandmother grandpa grandfather gran granny nan nana grandad niece nephew girlfriend
    boyfriend relatives kids
    children""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_DOUBLE_END = re.compile(r"([b-df-hj-np-tv-z])\1$")


def fold(text: str) -> str:
    """Lower case without accents or apostrophes ("Don't" -> "dont", "Yaoundé" -> "yaounde")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"['’`]", "", plain)


def stem(word: str) -> str:
    """A deliberately light suffix stripper: enough to join "fees"/"fee" and "cancelled"/"cancel"."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: len(word) - len(suffix)] + replacement
            break
    word = _DOUBLE_END.sub(r"\1", word) if len(word) > 4 else word
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def words(text: str) -> List[str]:
    """Folded word tokens, stopwords included (used for entity spotting)."""
    return _WORD.findall(fold(text))


def terms(text: str) -> List[str]:
    """Stemmed content words: the lexical index's vocabulary.

    "ID" is an identity document, not "I'd" (a stopword once folded to "id"): in capitals always, and in
    lower case (voice transcripts, quick typing) unless a verb follows, as in "id like to".
    """
    return [stem(w) for w in words(_ID.sub(" identity document ", text)) if w not in STOPWORDS]


_ID = re.compile(
    r"\b(?:ID|I\.D\.?|IDs)(?![\w'])"
    r"|\b(?:id|ids)\b(?!\s+(?:like|love|rather|prefer|be|have|need|want|say|think|hope|appreciate|go|do)\b)"
)


def _deletes(word: str) -> Set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class TypoCorrector:
    """Map an unknown term to a known one within one edit (two for long words), via a deletion index.

    Short words are never corrected: "loan" must not become "load".
    """

    MIN_LENGTH = 5
    LONG = 8

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(vocabulary)
        self._by_delete: Dict[str, Set[str]] = defaultdict(set)
        for term in self.vocabulary:
            if len(term) >= self.MIN_LENGTH - 1:
                for key in _deletes(term):
                    self._by_delete[key].add(term)

    def correct(self, term: str) -> Optional[str]:
        """The closest known term, or ``None`` when there is none close enough (or it is known)."""
        if term in self.vocabulary or len(term) < self.MIN_LENGTH or term.isdigit():
            return None
        limit = 2 if len(term) >= self.LONG else 1
        candidates: Set[str] = set()
        for key in _deletes(term):
            candidates |= self._by_delete.get(key, set())
        scored = sorted((edit_distance(term, c, limit), -len(c), c) for c in candidates)
        return scored[0][2] if scored and scored[0][0] <= limit else None
