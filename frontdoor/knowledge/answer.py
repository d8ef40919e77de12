"""Answers for the assistant: the article, the text for the channel, and whether to decline or clarify."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

from frontdoor.knowledge.articles import Article, load_articles
from frontdoor.knowledge.beyond import beyond_the_handbook
from frontdoor.knowledge.cues import asks_cost, asks_delivery_time
from frontdoor.knowledge.fill import BINDINGS, COUNTRY_PAGE, binding_for, filled_sentence
from frontdoor.knowledge.index import Encoder, load_index
from frontdoor.knowledge.items import asked_item, item_answer
from frontdoor.knowledge.retrieval import DESTINATIONS_ARTICLE, ORIGINS_ARTICLE, Hit, Ranking, Retriever, Tuning
from frontdoor.knowledge.slots import (
    Slots,
    is_follow_up,
    is_origin,
    slots_from_entities,
    spot_slots,
    with_origin,
    without_durations,
)
from frontdoor.knowledge.tables import Tables, load_tables
from frontdoor.nlu.encoder import encode as default_encode
from frontdoor.paths import project_path
from frontdoor.spoken.normalise import normalise_transcript
from frontdoor.spoken.numbers import SCALES, TEENS, TENS, UNITS
from frontdoor.taxonomy import load_taxonomy

CHANNELS = ("chat", "voice")


@dataclass(frozen=True)
class Context:
    """What a follow-up needs from the previous answer: its article and entities (JSON-safe via ``as_dict``)."""

    article_id: str
    slots: Slots
    confidence: float

    def as_dict(self) -> Dict[str, Any]:
        return {"article_id": self.article_id, "slots": self.slots.as_dict(), "confidence": self.confidence}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Context:
        return cls(str(data["article_id"]), Slots.from_dict(data.get("slots") or {}), float(data.get("confidence", 0)))


Previous = Union["Answer", Context, Mapping[str, Any]]


@dataclass(frozen=True)
class Answer:
    """What to say. ``text`` is empty when ``decline`` is set: the caller says it cannot help and offers an agent."""

    question: str
    channel: str
    article_ids: Tuple[str, ...]  # the article answered from (empty when declined)
    title: Optional[str]  # of that article, for the citation
    text: str  # chat Markdown or the voice line, a filled table sentence first
    filled: Optional[str]  # the table sentence alone, when the entities allowed one
    confidence: float
    decline: bool
    clarify: bool  # ask "did you mean A or B?" with ``candidates``
    candidates: Tuple[str, ...] = ()  # titles of the two closest articles when clarifying
    candidate_ids: Tuple[str, ...] = ()
    slots: Slots = field(default_factory=Slots)  # entities used; pass the answer back as ``previous``
    follow_up: bool = False  # answered by reusing ``previous``'s topic with new entities
    hits: Tuple[Hit, ...] = ()  # the best few articles, for logs and evaluation

    @property
    def context(self) -> Optional[Context]:
        """Keep this (``context.as_dict()`` in a slot) and pass it as ``previous`` next turn; None when declined."""
        return Context(self.article_ids[0], self.slots, self.confidence) if self.article_ids else None


class KnowledgeBase:
    """Articles, tables and the retriever, loaded once per process."""

    def __init__(self, articles: Sequence[Article], tables: Tables, retriever: Retriever) -> None:
        self.articles: Dict[str, Article] = {a.id: a for a in articles}
        self.tables = tables
        self.retriever = retriever
        self.country_pages = {
            a.countries[0]: a.id for a in articles if a.id.startswith("country-") and len(a.countries) == 1
        }

    @classmethod
    def load(
        cls,
        knowledge_dir: Optional[Path] = None,
        cache_dir: Optional[Path] = None,
        encode: Optional[Encoder] = None,
        tuning: Optional[Tuning] = None,
    ) -> KnowledgeBase:
        """Validate articles and tables and read the cached index (embedding only what is not cached)."""
        knowledge_dir = knowledge_dir or project_path("FRONTDOOR_KNOWLEDGE", "knowledge")
        encode = encode or default_encode
        tables = load_tables(knowledge_dir / "tables")
        articles = load_articles(knowledge_dir, load_taxonomy(), tables)
        index = load_index(articles, knowledge_dir, cache_dir, encode)
        return cls(articles, tables, Retriever(articles, index, encode, tuning or Tuning()))

    def slots(self, question: str, entities: Optional[Mapping[str, Any]] = None, follow_up: bool = False) -> Slots:
        """Caller entities first, then what the question itself spells out, in digits or in words.

        Spoken amounts ("two hundred pounds") are read through the transcript
        normaliser, so a caller's fee question gets the fee for their amount.
        """
        spotted = spot_slots(question, self.tables, bare_amounts=follow_up)
        spoken = normalise_transcript(question).text if _NUMBER_WORDS.search(question) else question
        if spoken != question:
            spotted = spotted.merged_over(spot_slots(spoken, self.tables, bare_amounts=follow_up))
        merged = slots_from_entities(entities, self.tables).merged_over(spotted)
        if spotted.country and merged.country != spotted.country and is_origin(question, merged.country):
            # "I live in Spain, can I send to Italy?": NLU's first country is where the customer is; the
            # question is about the other one.
            merged = replace(merged, country=spotted.country)
        return with_origin(without_durations(merged, question), question)

    def search(self, question: str, entities: Optional[Mapping[str, Any]] = None) -> Ranking:
        return self.retriever.rank(question, self.slots(question, entities))

    def answer(
        self,
        question: str,
        entities: Optional[Mapping[str, Any]] = None,
        channel: str = "chat",
        previous: Optional[Previous] = None,
        reason: Optional[str] = None,
        topic_found: bool = True,
    ) -> Answer:
        """Answer ``question``; with ``previous``, an elliptical follow-up re-answers its topic.

        ``previous`` is the last ``Answer``, its ``context`` or that context's ``as_dict()``.
        ``reason`` is the contact reason NLU is confident of (see ``_prefer_reason``).
        ``topic_found`` False: NLU found no topic in the message, so the answer needs
        ``alone_decline_below`` confidence ("can I take money out of a cash machine?" is
        not answered with the list of sending countries).
        """
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
        if channel == "voice":  # the transcript as NLU read it: "eco cash" is EcoCash, "two hundred pounds" 200 GBP
            question = normalise_transcript(question).text
        context = _context(previous)
        slots = self.slots(question, entities, follow_up=context is not None)
        if context is not None and context.article_id in self.articles and is_follow_up(question, slots, self.tables):
            slots = slots.merged_over(context.slots)
            article = self.articles[self._follow_up_article(context.article_id, slots)]
            return self._compose(question, channel, article, slots, context.confidence, (), True)
        ranking = self._prefer_reason(self.retriever.rank(question, slots), reason, slots, channel)
        cued = self._cued_article(question, slots, channel)
        if cued is not None and cued != ranking.top.article_id:
            first = next(h for h in ranking.hits if h.article_id == cued)
            ranking = replace(self._first(ranking, first), decline=False, clarify=False)
        t = self.retriever.tuning
        if not topic_found and ranking.confidence < t.alone_decline_below:
            ranking = replace(ranking, decline=True)
        if ranking.decline and ranking.confidence >= t.agreed_decline_below and filled_sentence(
            ranking.top.article_id, slots, self.tables, channel
        ):
            ranking = replace(ranking, decline=False)  # the tables answer the customer's own entities exactly
        if beyond_the_handbook(question):  # another company's fees are not ours to quote
            ranking = replace(ranking, decline=True)
        hits = ranking.hits[:5]
        if ranking.decline:
            return Answer(
                question, channel, (), None, "", None, ranking.confidence, True, False, slots=slots, hits=hits
            )
        answer = self._compose(
            question, channel, self.articles[ranking.top.article_id], slots, ranking.confidence, hits
        )
        pair = ranking.hits[:2]
        # Two articles of one topic, and the tables answer exactly: no reason to ask which one.
        settled = answer.filled is not None and len({self.articles[h.article_id].reason for h in pair}) == 1
        if ranking.clarify and not settled:
            return replace(
                answer,
                clarify=True,
                candidates=tuple(h.title for h in pair),
                candidate_ids=tuple(h.article_id for h in pair),
            )
        return answer

    def _cued_article(self, question: str, slots: Slots, channel: str) -> Optional[str]:
        """The article whose table answers what the question asks for the customer's own entities.

        "What do you take for sending 1,500 CAD to Kenya?" asks the fee of an amount: the fee table answers
        it exactly, though the Kenya page ranks first; "how soon can my dad pick up the cash?" asks the
        delivery time of a method. None when the question asks neither, or the tables can't answer it.
        """
        if asks_cost(question) and slots.amount is not None and slots.currency and not slots.first_transfer:
            article = _FEE_ARTICLES.get(slots.delivery_method or "", _FEE_ARTICLES[""])
        elif slots.delivery_method and asks_delivery_time(question):
            article = _DELIVERY_ARTICLE
        else:
            return None
        return article if filled_sentence(article, slots, self.tables, channel) is not None else None

    def _unsupported(self, slots: Slots) -> bool:
        """A country the tables do not serve: the filled sentence says so and names the ones they do."""
        return bool(slots.country) and self.tables.corridors.corridor(slots.country or "") is None

    def _prefer_reason(self, ranking: Ranking, reason: Optional[str], slots: Slots, channel: str) -> Ranking:
        """Let the contact reason NLU is sure of pick between articles.

        "How long till money lands on Tigo Pesa?" names a partner, so the
        Tanzania page ranks first, though the question is about delivery time.
        The best article of the confident reason answers instead when it is
        within ``reason_margin`` of the top, or when the tables answer the exact
        question with it for a country named (the time for Tigo Pesa in Tanzania). NLU and retrieval then
        agree, so the article needs only ``agreed_decline_below`` confidence.
        """
        t = self.retriever.tuning
        of_reason = [
            h for h in ranking.hits
            if reason and self.articles[h.article_id].reason == reason and not _about_other_method(h.article_id, slots)
        ]
        if not of_reason:
            return ranking
        # "What do you charge for airtime?": the reason's article about the named method, not its general one.
        dedicated = next(
            (
                h
                for h in of_reason
                if _dedicated_to(h.article_id, slots) and h.score >= ranking.top.score - t.reason_margin
            ),
            None,
        )
        best = dedicated or of_reason[0]
        exact = (
            best is dedicated
            or filled_sentence(best.article_id, slots, self.tables, channel) is not None
            or self._lists_countries(best.article_id, slots)
        )
        near = best in ranking.hits[: t.reason_depth] and best.score >= ranking.top.score - t.reason_margin
        # Far behind, the reason's article wins only for a country the customer named (its page, or "Colombia?"
        # answered as not supported): "when is a mobile money transfer late?" names only a method, and the
        # overdue article answers it, not the mobile money delivery time.
        about_country = bool(slots.country) or ranking.top.article_id.startswith(COUNTRY_PAGE)
        if not (near or (exact and about_country)):
            return ranking
        judged = self._first(ranking, best)
        if exact or judged.confidence >= t.agreed_decline_below:
            return replace(judged, decline=False, clarify=False)
        return judged

    def _first(self, ranking: Ranking, hit: Hit) -> Ranking:
        """The ranking with ``hit`` moved to the top, its confidence judged anew."""
        hits = ranking.hits if hit is ranking.top else (hit, *(h for h in ranking.hits if h is not hit))
        return self.retriever.judge(hits, ranking.unknown)

    def _lists_countries(self, article_id: str, slots: Slots) -> bool:
        """An article naming the countries it applies to answers "is it available in <country>?" either way.

        "Is the wallet available in Uganda?": the Uganda page ranks first on the country, but only the Wallet
        article says the Wallet is for Kenya, Ghana, Nigeria and the Philippines.
        """
        article = self.articles[article_id]
        return bool(slots.country) and bool(article.countries) and not article_id.startswith(COUNTRY_PAGE)

    def follows_up(self, question: str, entities: Optional[Mapping[str, Any]] = None) -> bool:
        """True when ``question`` only changes details of the last answer ("and for Ghana?", "what about 3000?")."""
        return is_follow_up(question, self.slots(question, entities, follow_up=True), self.tables)

    def answer_article(
        self,
        article_id: str,
        question: str = "",
        entities: Optional[Mapping[str, Any]] = None,
        channel: str = "chat",
    ) -> Answer:
        """Answer from an article the customer picked (a clarifying button or "the second one")."""
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}, not {channel!r}")
        article = self.articles.get(article_id)
        if article is None:
            raise KeyError(f"no knowledge article {article_id!r}")
        return self._compose(question, channel, article, self.slots(question, entities), 1.0, ())

    def answer_for_reason(
        self,
        question: str,
        reason: str,
        entities: Optional[Mapping[str, Any]] = None,
        channel: str = "chat",
    ) -> Optional[Answer]:
        """The best article of the topic the customer picked, ranked by their own words; None if it has none."""
        slots = self.slots(question, entities)
        ranking = self.retriever.rank(question, slots)
        best = next((h for h in ranking.hits if self.articles[h.article_id].reason == reason), None)
        if best is None:
            return None
        return self._compose(question, channel, self.articles[best.article_id], slots, ranking.confidence, ())

    def _follow_up_article(self, previous_id: str, slots: Slots) -> str:
        """Stay on the previous topic; a country page moves to the new country's page."""
        if not previous_id.startswith("country-") or not slots.country:
            return previous_id
        corridors = self.tables.corridors
        if slots.country in self.country_pages:
            return self.country_pages[slots.country]
        origin = slots.origin or corridors.is_send_country(slots.country)
        fallback = ORIGINS_ARTICLE if origin else DESTINATIONS_ARTICLE
        return fallback if fallback in self.articles else previous_id

    def _compose(
        self,
        question: str,
        channel: str,
        article: Article,
        slots: Slots,
        confidence: float,
        hits: Tuple[Hit, ...],
        follow_up: bool = False,
    ) -> Answer:
        filled = filled_sentence(article.id, slots, self.tables, channel)
        base = article.voice if channel == "voice" else article.body
        # The cell that was asked answers the question; the rest of the table is offered, not read out.
        binding = binding_for(article.id)
        sentence_only = binding is not None and (binding.table == "fees" or binding.sentence_only)
        item = asked_item(question, article.body) if filled is None and article.pick_item else None
        if item is not None:
            text = item_answer(item, channel)
        elif filled is None:
            text = base
        elif "\n|" in article.body and not self._unsupported(slots):
            text = f"{filled} {MORE_ROWS[channel]}"
        elif sentence_only or self._unsupported(slots):
            text = filled  # the customer's own fee or country; the body would only add other numbers or countries
        else:
            text = f"{filled}{' ' if channel == 'voice' else chr(10) * 2}{base}"
        return Answer(
            question,
            channel,
            (article.id,),
            article.title,
            text,
            filled,
            confidence,
            False,
            False,
            slots=slots,
            follow_up=follow_up,
            hits=hits,
        )


_NUMBER_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted({*UNITS, *TEENS, *TENS, *SCALES} - {"o"})) + r")\b", re.IGNORECASE
)
"""Numbers in words: only then is the question read through the transcript normaliser (a few ms)."""
MORE_ROWS = {
    "chat": "Ask me for the full table if you'd like the other rows.",
    "voice": "You can ask me for the other rows too.",
}


_FEE_ARTICLES = {
    b.method or "": article_id for article_id, b in BINDINGS.items() if b.table == "fees" and not b.first_transfer
}
"""The fee table's article per delivery method ("" for the general one)."""
_DELIVERY_ARTICLE = next(article_id for article_id, b in BINDINGS.items() if b.table == "delivery")


def _dedicated_to(article_id: str, slots: Slots) -> bool:
    """An article bound to the one delivery method the customer named (airtime fees, cash pickup countries)."""
    binding = binding_for(article_id)
    return bool(slots.delivery_method) and binding is not None and binding.method == slots.delivery_method


def _about_other_method(article_id: str, slots: Slots) -> bool:
    """Bound to another delivery method than the one named: the cash pickup list does not answer mobile money."""
    binding = binding_for(article_id)
    method = binding.method if binding is not None else None
    return bool(slots.delivery_method) and method is not None and method != slots.delivery_method


def _context(previous: Optional[Previous]) -> Optional[Context]:
    if previous is None or isinstance(previous, Context):
        return previous
    if isinstance(previous, Answer):
        return previous.context
    return Context.from_dict(previous) if previous.get("article_id") else None


_default: Optional[KnowledgeBase] = None
_lock = threading.Lock()


def get_knowledge_base() -> KnowledgeBase:
    """The project's knowledge base, loaded on first use and shared (thread-safe)."""
    global _default
    with _lock:
        if _default is None:
            _default = KnowledgeBase.load()
        return _default


def answer(
    question: str,
    entities: Optional[Mapping[str, Any]] = None,
    channel: str = "chat",
    previous: Optional[Previous] = None,
) -> Answer:
    """Answer from the project's knowledge base (see ``KnowledgeBase.answer``)."""
    return get_knowledge_base().answer(question, entities, channel, previous)
