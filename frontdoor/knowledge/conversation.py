"""The knowledge skill's turn logic: answer, ask which article was meant, or decline; then "did it help?".

Rasa-free so the decisions are unit-tested; ``actions/knowledge.py`` turns a
``Turn`` into messages and slot events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence

from sqlalchemy.engine import Engine

from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.fallback import NO_TOPIC_INTENTS
from frontdoor.handoff.config import load_config
from frontdoor.handoff.kyc import KYC_CATEGORY, stated_failures
from frontdoor.handoff.triggers import kyc_retries_exhausted
from frontdoor.knowledge.answer import Answer, KnowledgeBase
from frontdoor.knowledge.choice import choose
from frontdoor.knowledge.feedback import not_helpful_count, record_feedback
from frontdoor.taxonomy import load_taxonomy

# What the bot waits on after a knowledge turn (the ``pending_question`` slot).


@dataclass(frozen=True)
class Turn:
    """What to say and remember.

    ``response`` names a domain response (clarify, decline...) filled with
    ``variables``; otherwise ``text`` is the answer, cited by ``title`` on chat.
    """

    pending: Optional[str]
    text: str = ""
    title: Optional[str] = None
    article_id: Optional[str] = None
    response: Optional[str] = None
    variables: Dict[str, str] = field(default_factory=dict)
    context: Optional[Dict[str, Any]] = None  # kept for follow-ups ("and for Ghana?")
    candidates: List[Dict[str, str]] = field(default_factory=list)  # offered when clarifying
    handoff: Optional[str] = None  # hand off now with this reason (the second "did not help")
    handoff_category: Optional[str] = None  # the case's category when ``handoff`` is set; None: the latest topic
    agent_reason: Optional[str] = None  # with ``pending == OpenQuestion.AGENT``: the handoff reason a yes uses

    @property
    def question(self) -> str:
        """The response asked after an answer (``text``), with ``variables``."""
        if self.pending == OpenQuestion.KYC_RETRIES:
            return "utter_kyc_ask_failed_attempts"
        return "utter_kb_agent_needed" if self.agent_reason else "utter_kb_ask_helpful"


def _kyc_variables() -> Dict[str, str]:
    return {"attempts": str(load_config().triggers.kyc_failed_attempts)}


def kyc_retries_turn(exhausted: bool) -> Turn:
    """Handbook 12: the app's retries are used up (an agent reviews it), or the customer can retry in the app."""
    if exhausted:
        return Turn(pending=None, response="utter_kyc_agent_review", variables=_kyc_variables(),
                    handoff="kyc_retries_exhausted", handoff_category=KYC_CATEGORY)
    return Turn(pending=OpenQuestion.ANYTHING_ELSE, response="utter_kyc_retry_in_app", variables=_kyc_variables())


def kyc_reply(text: str, affirmed: Optional[bool]) -> Optional[Turn]:
    """An answer to ``KYC_RETRIES``: a count ("only twice") or else a yes/no (``affirmed``); None if neither."""
    failures = stated_failures(text)
    if failures is not None:
        return kyc_retries_turn(kyc_retries_exhausted(failures, load_config().triggers))
    return None if affirmed is None else kyc_retries_turn(affirmed)


def _answered(answer: Answer, question: str) -> Turn:
    """The answer, then "did that help?" - or, for what only an agent can do, an agent offer.

    After a failed in-app verification (``triggers.kyc_articles``) the bot asks
    whether the app's retries are used up, unless ``question`` already said how
    often it failed: enough times hands off at once, fewer is a plain answer.
    """
    article_id = answer.article_ids[0]
    config = load_config()
    agent_reason = config.agent_articles.get(article_id)
    kyc = article_id in config.triggers.kyc_articles and not agent_reason
    failures = stated_failures(question) if kyc else None
    context = answer.context.as_dict() if answer.context else None
    if failures is not None and kyc_retries_exhausted(failures, config.triggers):
        return replace(kyc_retries_turn(True), article_id=article_id, context=context)
    return Turn(
        pending=(
            OpenQuestion.AGENT
            if agent_reason
            else OpenQuestion.KYC_RETRIES if kyc and failures is None else OpenQuestion.KB_HELPFUL
        ),
        text=answer.text,
        title=answer.title,
        article_id=article_id,
        variables=_kyc_variables() if kyc else {},
        context=context,
        agent_reason=agent_reason,
    )


def _clarifying(answer: Answer) -> Turn:
    (id_a, id_b), (title_a, title_b) = answer.candidate_ids, answer.candidates
    return Turn(
        pending=OpenQuestion.KB_CLARIFY,
        response="utter_kb_clarify",
        variables={"article_a": title_a, "id_a": id_a, "article_b": title_b, "id_b": id_b},
        candidates=[{"id": id_a, "title": title_a}, {"id": id_b, "title": title_b}],
    )


def knowledge_turn(
    kb: KnowledgeBase,
    question: str,
    entities: Optional[Mapping[str, Any]] = None,
    channel: str = "chat",
    previous: Optional[Mapping[str, Any]] = None,
    pending: Optional[str] = None,
    candidates: Sequence[Mapping[str, str]] = (),
    picked: Optional[str] = None,
    topic: Optional[str] = None,
    intent: Optional[str] = None,
    quiet_decline: bool = False,
    confident_reason: Optional[str] = None,
) -> Turn:
    """One customer message handled by the knowledge skill.

    ``picked`` is an article id from a clarifying button; ``candidates`` are the
    articles offered last turn when ``pending`` is ``OpenQuestion.KB_CLARIFY``, so a spoken "the
    second one" resolves to an article. A clarification that fails offers an agent.
    ``topic`` is a contact reason the customer picked from the bot's topic
    buttons: its best article for ``question`` answers, without asking again.
    ``intent`` is what NLU understood: when only one of two close articles
    belongs to it, that one answers; a reply that is not itself a question
    ("no", "yes") never starts a fresh search during a clarification.
    ``quiet_decline`` is for details given without a question ("cash pickup",
    a reference): when nothing fits, the bot asks how it can help instead of
    apologising for an answer nobody asked for. While the bot waits on
    ``OpenQuestion.KYC_RETRIES`` a message stating how often the app's check failed answers it.
    ``confident_reason`` is a topic NLU is sure of; it breaks near ties between articles.
    """
    if pending == OpenQuestion.KYC_RETRIES:
        counted = kyc_reply(question, None)
        if counted is not None:
            return counted
    if picked and picked in kb.articles:
        return _answered(kb.answer_article(picked, question, entities, channel), question)
    if topic:
        chosen_topic = kb.answer_for_reason(question, topic, entities, channel)
        if chosen_topic is not None:
            return _answered(chosen_topic, question)
    if pending == OpenQuestion.KB_CLARIFY and candidates:
        ids = [c["id"] for c in candidates if c.get("id") in kb.articles]
        titles = [c.get("title", "") for c in candidates if c.get("id") in kb.articles]
        chosen = choose(question, ids, titles)
        if chosen is not None:
            return _answered(kb.answer_article(chosen, question, entities, channel), question)
        fresh = kb.answer(question, entities, channel) if load_taxonomy().is_topic(intent) else None
        if fresh is None or fresh.decline or fresh.clarify:
            return Turn(pending=OpenQuestion.AGENT, response="utter_kb_clarify_failed", agent_reason="agent_requested")
        return _answered(fresh, question)
    answer = kb.answer(question, entities, channel, previous=previous or None, reason=confident_reason,
                       topic_found=intent not in NO_TOPIC_INTENTS)
    if answer.decline:
        if quiet_decline:
            return Turn(pending=None, response="utter_how_can_i_help")
        return Turn(pending=OpenQuestion.AGENT, response="utter_kb_decline", agent_reason="agent_requested")
    if answer.clarify:
        of_intent = [i for i in answer.candidate_ids if kb.articles[i].reason == intent]
        if len(of_intent) == 1:
            return _answered(kb.answer_article(of_intent[0], question, entities, channel), question)
        return _clarifying(answer)
    return _answered(answer, question)


def feedback_turn(
    engine: Engine, conversation_id: str, article_id: Optional[str], helpful: bool, channel: str
) -> Turn:
    """Store the vote, then thank, or apologise and offer an agent; the configured Nth "no" (2) hands off at once."""
    if article_id:
        record_feedback(engine, conversation_id, article_id, helpful, channel)
    if helpful:
        return Turn(pending=OpenQuestion.ANYTHING_ELSE, response="utter_kb_glad_it_helped")
    if not_helpful_count(engine, conversation_id) >= load_config().triggers.not_helpful_votes:
        return Turn(pending=None, response="utter_kb_not_helpful_again", handoff="not_helpful")
    return Turn(pending=OpenQuestion.AGENT, response="utter_kb_not_helpful", agent_reason="not_helpful")
