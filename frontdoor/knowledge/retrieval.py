"""Hybrid retrieval: dense (MiniLM over article chunks) plus BM25, fused into one score per article.

Dense similarity finds paraphrases ("my money hasn't shown up"); BM25 keeps
exact product words decisive ("M-Pesa", "Tier 2", "3-D Secure"), which a small
encoder blurs. A logistic model of the top article's scores and of the share
of unknown words gives the confidence callers decline on; a thin lead over
the runner-up is the cue to ask which of the two was meant.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from frontdoor.knowledge.articles import Article
from frontdoor.knowledge.cities import CITIES
from frontdoor.knowledge.fill import binding_for
from frontdoor.knowledge.index import EmbeddingIndex, Encoder
from frontdoor.knowledge.slots import WALLET_WORDS, Slots
from frontdoor.knowledge.tables import DELIVERY_METHODS
from frontdoor.knowledge.text import TypoCorrector, terms
from frontdoor.spoken.numbers import TEENS, UNITS

# The articles that list every destination and every sending country: they answer "not supported".
DESTINATIONS_ARTICLE = "receive-countries"
ORIGINS_ARTICLE = "send-from-countries"


_CLOCK = re.compile(r"\d{1,2}(?:am|pm)")
_HOURS = "|".join(word for word, value in {**UNITS, **TEENS}.items() if 1 <= value <= 12)
_SPOKEN_CLOCK = re.compile(
    rf"\b(?:\d{{1,2}}|{_HOURS})(?:\s+o'?clock)?"
    r"\s+(?:in the (?:morning|afternoon|evening)|at night|a\.?m\.?|p\.?m\.?)(?!\w)|\bmidnight\b",
    re.IGNORECASE,
)
"""A time of day as a caller says it ("six in the morning"): what opening hours answer."""
_WHEN_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday weekend tomorrow tonight till til".split()
)
"""A day named in a question ("hold the rate till Friday") is when, not what: no evidence against an article."""


@dataclass(frozen=True)
class Tuning:
    """Fusion weights and thresholds.

    Chosen by ``python -m benchmarks.eval_kb --tune`` on the odd-numbered
    questions of tests/kb/questions.yml only (see docs/knowledge.md).
    """

    dense_weight: float = 0.4
    lexical_weight: float = 0.6
    title_weight: int = 2  # BM25 field repetitions
    tags_weight: int = 2
    voice_weight: int = 1
    body_weight: int = 1
    k1: float = 1.2
    b: float = 0.75
    typo_weight: float = 0.5  # a corrected term counts for this share of a typed one
    unknown_weight: float = 0.6  # share of an unknown word's weight kept in the lexical denominator
    country_boost: float = 0.08  # split across an article's countries: a country page gets it all
    amount_boost: float = 0.08  # an amount to send to a country: the fee table answers it, not the country page
    method_boost: float = 0.02  # the caller's delivery method named in an article's title or tags
    method_penalty: float = 0.02  # an article about one delivery method, for a question naming none
    unsupported_boost: float = 0.1  # a country the handbook does not serve: the destinations (or origins) list
    # Logistic confidence: bias + dense * top dense + lexical * top lexical + unknown * unknown share.
    confidence_bias: float = -2.1
    confidence_dense: float = 4.08
    confidence_lexical: float = 4.06
    confidence_unknown: float = -2.34
    decline_below: float = 0.66
    clarify_margin: float = 0.01
    # The contact reason NLU is confident of: an article of it this close to the top answers instead.
    reason_margin: float = 0.15
    reason_depth: int = 3
    agreed_decline_below: float = 0.6  # the threshold when that reason's article answers: two signals agree
    # The threshold when NLU found no topic at all: retrieval alone speaks for the answer, so it must be surer.
    # In the gap between the unanswerable (<= 0.69) and the answered (>= 0.75) questions NLU left without a
    # topic, on the tuning half and tests/kb/dev_questions.yml.
    alone_decline_below: float = 0.72


@dataclass(frozen=True)
class Hit:
    article_id: str
    title: str
    score: float  # fused: dense and lexical weighted, plus entity boosts
    dense: float
    lexical: float
    boost: float


@dataclass(frozen=True)
class Ranking:
    hits: Tuple[Hit, ...]  # every article, best first
    confidence: float  # estimated chance the top hit answers the question
    decline: bool  # too unsure to answer: say so, offer an agent
    clarify: bool  # the top two are too close: ask which one
    unknown: float = 0.0  # share of the question's words no article uses

    @property
    def top(self) -> Hit:
        return self.hits[0]


class BM25:
    """Okapi BM25 over one weighted bag of terms per article."""

    def __init__(self, documents: Sequence[Counter[str]], k1: float, b: float) -> None:
        self.k1, self.b = k1, b
        self.documents = documents
        self.lengths = np.array([sum(d.values()) for d in documents], dtype=np.float64)
        self.average = float(self.lengths.mean()) if len(documents) else 1.0
        frequency: Counter[str] = Counter(t for d in documents for t in d)
        n = len(documents)
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self.postings: Dict[str, List[Tuple[int, int]]] = {}
        for index, document in enumerate(documents):
            for term, count in document.items():
                self.postings.setdefault(term, []).append((index, count))

    def scores(self, query: Sequence[Tuple[str, float]]) -> np.ndarray:
        result = np.zeros(len(self.documents))
        norm = self.k1 * (1 - self.b + self.b * self.lengths / self.average)
        for term, weight in query:
            for index, count in self.postings.get(term, ()):
                result[index] += weight * self.idf[term] * count * (self.k1 + 1) / (count + norm[index])
        return result

    def ceiling(self, query: Sequence[Tuple[str, float]], unknown_weight: float) -> float:
        """The best score any document could reach: scores divided by it land in [0, 1]."""
        total = 0.0
        for term, weight in query:
            idf = self.idf.get(term)
            total += weight * (self.k1 + 1) * (idf if idf is not None else unknown_weight * self.unknown_idf)
        return total


class Retriever:
    """Ranks articles for a question; holds no per-conversation state."""

    def __init__(self, articles: Sequence[Article], index: EmbeddingIndex, encode: Encoder, tuning: Tuning) -> None:
        self.articles = list(articles)
        self.tuning = tuning
        self.encode = encode
        self.index = index
        self.vectors = index.vectors
        position = {a.id: i for i, a in enumerate(self.articles)}
        members: List[List[int]] = [[] for _ in self.articles]
        for chunk_number, chunk in enumerate(index.chunks):
            members[position[chunk.article_id]].append(chunk_number)
        # Article x chunk matrix of chunk numbers, padded with a sentinel that scores -2 (below any cosine).
        width = max(len(m) for m in members)
        self._members = np.array([m + [len(index.chunks)] * (width - len(m)) for m in members])
        self.bm25 = BM25([self._bag(a) for a in self.articles], tuning.k1, tuning.b)
        self.typos = TypoCorrector(self.bm25.idf)
        self._entity_terms = frozenset(t for w in (*WALLET_WORDS, *(c for c, _ in CITIES)) for t in terms(w))
        self._countries = [frozenset(a.countries) for a in self.articles]
        bindings = [binding_for(a.id) for a in self.articles]
        self._fee_methods = [  # per article: the delivery method its fee table prices ("" if it prices none)
            b.method if b is not None and b.table == "fees" and not b.first_transfer else "" for b in bindings
        ]
        self._known_countries = frozenset().union(*self._countries)
        self._method_words = [" ".join((a.title, *a.tags)).lower() for a in self.articles]
        self._title_names_method = [
            any(m.replace("_", " ") in a.title.lower() for m in DELIVERY_METHODS) for a in self.articles
        ]

    def _bag(self, article: Article) -> Counter[str]:
        t = self.tuning
        bag: Counter[str] = Counter()
        for text, weight in (
            (article.title, t.title_weight),
            (" | ".join(article.tags), t.tags_weight),
            (article.voice, t.voice_weight),
            (article.body, t.body_weight),
        ):
            for term in terms(text):
                bag[term] += weight
        return bag

    def query_terms(self, question: str, country: Optional[str] = None) -> List[Tuple[str, float]]:
        """Question terms with weights; unknown words are corrected to a close known term when possible.

        Amounts, references, a country no article names ("Jamaica"), a city
        ("Lagos"), a wallet no article names ("Paytm") and a day ("till Friday")
        are entities, not topic words: they are no evidence against any article.
        """
        entity_terms = set(terms(country or "")) | self._entity_terms
        weighted = []
        for term in terms(_SPOKEN_CLOCK.sub(" 9am ", question)):
            if _CLOCK.fullmatch(term):
                term = "time"  # "11pm", "9am": a time of day, which is what opening hours answer
            if term not in self.bm25.idf and (term.isdigit() or term in entity_terms or term in _WHEN_WORDS):
                continue
            if term in self.bm25.idf:
                weighted.append((term, 1.0))
                continue
            corrected = self.typos.correct(term)
            weighted.append((corrected, self.tuning.typo_weight) if corrected else (term, 1.0))
        return weighted

    def dense_scores(self, question: str) -> np.ndarray:
        return self.pool(self.vectors @ self.encode([question])[0])

    def pool(self, similarities: np.ndarray) -> np.ndarray:
        """Per article: the cosine of its best chunk (one matching paragraph is enough)."""
        return np.append(similarities, -2.0)[self._members].max(axis=1)

    def lexical_scores(self, query: Sequence[Tuple[str, float]]) -> np.ndarray:
        ceiling = self.bm25.ceiling(query, self.tuning.unknown_weight)
        return self.bm25.scores(query) / ceiling if ceiling > 0 else np.zeros(len(self.articles))

    def boosts(self, slots: Slots) -> np.ndarray:
        """Entity boosts: a country page for the caller's country, articles naming the delivery method.

        Articles about one delivery method are held back a little when the question names none.
        """
        boost = np.zeros(len(self.articles))
        t = self.tuning
        unsupported = bool(slots.country) and slots.country not in self._known_countries
        fee_method = slots.delivery_method if slots.delivery_method in self._fee_methods else None
        for i, countries in enumerate(self._countries):
            if slots.country and slots.country in countries:
                boost[i] += t.country_boost / len(countries)
            if unsupported and self.articles[i].id == (ORIGINS_ARTICLE if slots.origin else DESTINATIONS_ARTICLE):
                boost[i] += t.unsupported_boost  # the list that says every other country is not supported
            # An amount to send: the fee table for the method named (none: the general one) answers it,
            # not the country page, nor the cash pickup surcharge for a question that never said cash pickup.
            priced = slots.amount is not None and bool(slots.currency)
            if priced and self._fee_methods[i] == fee_method and not slots.first_transfer:
                boost[i] += t.amount_boost
            if slots.delivery_method and slots.delivery_method.replace("_", " ") in self._method_words[i]:
                boost[i] += t.method_boost
            elif not slots.delivery_method and self._title_names_method[i]:
                boost[i] -= t.method_penalty  # "Extra fee for cash pickup" is not the answer to "what's the fee?"
        return boost

    def rank(self, question: str, slots: Optional[Slots] = None, dense: Optional[np.ndarray] = None) -> Ranking:
        dense = self.dense_scores(question) if dense is None else dense
        slots = slots or Slots()
        query = self.query_terms(question, slots.country)
        lexical = self.lexical_scores(query)
        words = [term for term, _ in query]
        unknown = sum(term not in self.bm25.idf for term in words) / len(words) if words else 0.0
        boost = self.boosts(slots)
        t = self.tuning
        fused = t.dense_weight * dense + t.lexical_weight * lexical + boost
        order = np.argsort(-fused, kind="stable")
        hits = tuple(
            Hit(
                self.articles[i].id,
                self.articles[i].title,
                float(fused[i]),
                float(dense[i]),
                float(lexical[i]),
                float(boost[i]),
            )
            for i in order
        )
        return self.judge(hits, unknown)

    def judge(self, hits: Tuple[Hit, ...], unknown: float = 0.0) -> Ranking:
        """Confidence that the top article answers the question; decline below a threshold, clarify on a thin lead.

        The confidence is a logistic model of the top article's dense and lexical
        scores and of the share of question words no article uses: off-topic
        questions ("can I buy bitcoin?") are mostly such words. The lead over the
        runner-up is left out of it on purpose: two good articles close together
        are a reason to ask which one, not to decline.
        """
        t = self.tuning
        margin = hits[0].score - hits[1].score if len(hits) > 1 else hits[0].score
        logit = (
            t.confidence_bias
            + t.confidence_dense * hits[0].dense
            + t.confidence_lexical * hits[0].lexical
            + t.confidence_unknown * unknown
        )
        confidence = 1 / (1 + math.exp(-logit))
        decline = confidence < t.decline_below
        clarify = not decline and len(hits) > 1 and margin < t.clarify_margin
        return Ranking(hits, confidence, decline, clarify, unknown)
