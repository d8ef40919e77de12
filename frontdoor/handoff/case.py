"""Build a handoff case (``schemas/handoff.v1.json``) from what happened in the conversation.

The agent must not start from zero, and must not be misled either: the summary
is assembled from the conversation's facts (intents, entities, slots, actions)
rather than from its last message, every text is redacted, and the result is
validated against the published schema before anything stores or sends it.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence

import jsonschema

from frontdoor.fallback import FALLBACK_INTENT
from frontdoor.handoff.callback import Callback
from frontdoor.handoff.config import HandoffConfig, load_config
from frontdoor.language.conversation import transcript_text, translation_note
from frontdoor.paths import ROOT
from frontdoor.redaction import expected_from_prompt, redact
from frontdoor.taxonomy import Taxonomy, load_taxonomy

SCHEMA_PATH = ROOT / "schemas" / "handoff.v1.json"
HANDOFF_REASONS = {
    "handoff_topic": "a topic only an agent handles",
    "agent_requested": "the customer accepted the bot's offer of an agent",
    "identity_check_failed": "the identity check failed",
    "repeated_fallback": "the bot did not understand the customer several times in a row",
    "not_helpful": "the customer said the answers did not help",
    "overdue_transfer": "the transfer is overdue",
    "refund_overdue": "the refund is later than the handbook's window for its payment method",
    "recall_request": "a recall request is needed",
    "compliance_review_overdue": "the compliance review has taken longer than allowed",
    "phone_number_change": "the customer needs a new phone number set",
    "kyc_retries_exhausted": "the in-app verification retries are used up",
    "pickup_name_fix": "a name fix on a cash pickup",
    "backend_error": "a system error stopped the bot",
}
"""Every ``handoff_reason`` with the phrase agents read."""
METHODS = ("mobile_money", "bank_deposit", "cash_pickup", "airtime")
DEFAULT_CATEGORY = "request_human"
MAX_TRANSCRIPT = 200
MAX_TEXT = 2000
MAX_BOT_ACTIONS = 15
_LABELS = {
    "transfer_reference": "transfer reference",
    "amount": "amount",
    "currency": "currency",
    "country": "country",
    "delivery_method": "delivery method",
    "payout_partner": "payout partner",
}
"""Entities and slots worth an agent's attention; nothing personal (names, dates) is listed."""
_NEGATIVE = re.compile(
    r"\b(?:angry|furious|upset|worried|scared|scam(?:med)?|stole|stolen|steal(?:ing)?|hacked|unauthori[sz]ed|fraud|terrible|awful|worst|useless|ridiculous"
    r"|unacceptable|disgusting|rubbish|hopeless|complain|complaint|never|still|again|urgent|help me|not helpful"
    r"|doesn't help|didn't help|waste|lost|desperate)\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"\b(?:great|perfect|brilliant|lovely|happy|appreciate|excellent)\b", re.IGNORECASE)
_LOW_CONTENT_INTENTS = frozenset({"greet", "goodbye", "affirm", "deny", "thank", "bot_challenge"})


class CaseInvalid(ValueError):
    """A case does not match ``schemas/handoff.v1.json``; the message lists every problem."""


@dataclass(frozen=True)
class Customer:
    """Who the customer is, as far as the bot knows."""

    id: Optional[str] = None
    verified: bool = False
    how: str = "not_checked"


@dataclass
class _Turn:
    speaker: str
    text: str
    at: Optional[str]
    intent: Optional[str] = None
    entities: List[Mapping[str, Any]] = field(default_factory=list)


@dataclass
class _Facts:
    """What the events say, from the latest session start on."""

    turns: List[_Turn] = field(default_factory=list)
    intents: List[str] = field(default_factory=list)
    entities: Dict[str, str] = field(default_factory=dict)
    slots: Dict[str, Any] = field(default_factory=dict)
    bot_actions: List[str] = field(default_factory=list)
    translation_note: Optional[str] = None


@lru_cache(maxsize=1)
def load_schema() -> Dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_case(case: Mapping[str, Any]) -> None:
    """Raise ``CaseInvalid`` naming every field that breaks the schema."""
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(case), key=lambda e: list(e.absolute_path))
    if errors:
        problems = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(case)'}: {e.message}" for e in errors)
        raise CaseInvalid(f"handoff case does not match {SCHEMA_PATH.name}: {problems}")


def case_body(case: Mapping[str, Any]) -> bytes:
    """The exact bytes stored in the outbox, signed and sent on every attempt."""
    return json.dumps(case, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def case_reference(case_id: str) -> str:
    """A short reference the bot can say or show the customer ("HO-1A2B3C4D")."""
    return "HO-" + case_id.replace("-", "")[:8].upper()


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, as the schema's timestamps require."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_case(
    events: Sequence[Mapping[str, Any]],
    *,
    conversation_id: str,
    handoff_reason: str,
    channel: str = "chat",
    category: Optional[str] = None,
    customer: Optional[Customer] = None,
    transfer: Optional[Mapping[str, Any]] = None,
    knowledge_shown: Sequence[str] = (),
    language: str = "en",
    callback: Optional[Callback] = None,
    config: Optional[HandoffConfig] = None,
    taxonomy: Optional[Taxonomy] = None,
    now: Optional[datetime] = None,
    case_id: Optional[str] = None,
) -> Dict[str, Any]:
    """A schema-valid case; ``category`` defaults to the latest topic the customer raised, the queue follows
    the config's routing, and ``callback`` is set when the customer is to be called back (``callback_for``).

    Raises ``CaseInvalid`` for an unknown category or handoff reason, or any field the schema rejects.
    """
    config = config or load_config()
    customer = customer or Customer()
    taxonomy = taxonomy or load_taxonomy()
    facts = _read_events(events, config)
    category = category or _latest_topic(facts.intents, taxonomy) or DEFAULT_CATEGORY
    reason = taxonomy.get(category)
    if reason is None or reason.kind == "dialogue":
        raise CaseInvalid(f"category {category!r} is not a case category of the taxonomy")
    if handoff_reason not in HANDOFF_REASONS:
        raise CaseInvalid(f"handoff_reason {handoff_reason!r} is not one of {sorted(HANDOFF_REASONS)}")
    if handoff_reason == "identity_check_failed" and customer.verified:
        raise CaseInvalid("handoff_reason identity_check_failed needs an unverified customer")
    transfer_fields = _transfer(transfer, facts)
    articles = list(dict.fromkeys(knowledge_shown))
    bot_actions = list(facts.bot_actions)
    if articles:
        bot_actions.append("Showed knowledge articles: " + ", ".join(articles))
    case: Dict[str, Any] = {
        "case_id": case_id or str(uuid.uuid4()),
        "created_at": iso(now or datetime.now(timezone.utc)),
        "conversation_id": conversation_id,
        "channel": channel,
        "language": language,
        "category": category,
        "priority": config.priority(category, handoff_reason),
        "handoff_reason": handoff_reason,
        "customer": {"id": customer.id, "verified": customer.verified, "how": customer.how},
        "transfer": transfer_fields,
        "summary": {
            "headline": _headline(reason.title, handoff_reason, customer, transfer_fields),
            "facts": _facts(reason.title, handoff_reason, customer, transfer_fields, facts, taxonomy, category)
            + _callback_facts(callback),
            "bot_actions": [_clip(redact(a), 300) for a in bot_actions[-MAX_BOT_ACTIONS:]],
            "customer_quote": _quote(facts, category, taxonomy),
            "sentiment": _sentiment(facts, handoff_reason),
        },
        "knowledge_shown": articles,
        "queue": config.queue(category, language).name,
        "callback": None if callback is None else {
            "urgent": callback.urgent,
            "not_before": iso(callback.not_before) if callback.not_before else None,
        },
        "transcript": [
            {"speaker": t.speaker, "text": _clip(t.text, MAX_TEXT), "at": t.at} for t in facts.turns[-MAX_TRANSCRIPT:]
        ],
    }
    validate_case(case)
    return case


def case_category(
    events: Sequence[Mapping[str, Any]], config: Optional[HandoffConfig] = None, taxonomy: Optional[Taxonomy] = None
) -> str:
    """The category a case gets when the caller names none: the customer's latest topic, else ``request_human``."""
    intents = _read_events(events, config or load_config()).intents
    return _latest_topic(intents, taxonomy or load_taxonomy()) or DEFAULT_CATEGORY


def _read_events(events: Sequence[Mapping[str, Any]], config: HandoffConfig) -> _Facts:
    facts = _Facts()
    expect: FrozenSet[str] = frozenset()
    said_next = False
    for event in events:
        kind = event.get("event")
        if kind == "session_started":
            facts, expect, said_next = _Facts(), frozenset(), False
        elif kind == "user":
            parse = event.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            entities = [e for e in parse.get("entities") or [] if isinstance(e, Mapping)]
            text = redact(transcript_text(str(event.get("text") or ""), event.get("metadata")), expect)
            facts.turns.append(_Turn("customer", text, _at(event), intent, entities))
            if intent:
                facts.intents.append(str(intent))
            for entity in entities:
                if entity.get("entity") in _LABELS and entity.get("value") not in (None, ""):
                    facts.entities[str(entity["entity"])] = str(entity["value"])
            expect = frozenset()
        elif kind == "bot":
            text = str(event.get("text") or "")
            expect = expected_from_prompt(text)
            facts.turns.append(_Turn("bot", redact(text), _at(event)))
            if said_next and text:
                facts.bot_actions.append("Said: " + _clip(redact(text), 200))
            said_next = False
        elif kind == "action":
            name = str(event.get("name") or "")
            said_next = name.startswith("utter_") and name not in config.bot_actions
            phrase = config.bot_actions.get(name)
            if phrase and (not facts.bot_actions or facts.bot_actions[-1] != phrase):
                facts.bot_actions.append(phrase)
        elif kind == "slot" and event.get("name"):
            facts.slots[str(event["name"])] = event.get("value")
    facts.translation_note = translation_note(events)
    return facts


def _at(event: Mapping[str, Any]) -> Optional[str]:
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float):
        return iso(datetime.fromtimestamp(stamp, timezone.utc))
    return None


def _latest_topic(intents: Sequence[str], taxonomy: Taxonomy) -> Optional[str]:
    return next((i for i in reversed(intents) if taxonomy.is_topic(i)), None)


def _value(facts: _Facts, name: str) -> Optional[str]:
    value = facts.slots.get(name)
    if value in (None, ""):
        value = facts.entities.get(name)
    return None if value in (None, "") else str(value)


def _transfer(explicit: Optional[Mapping[str, Any]], facts: _Facts) -> Optional[Dict[str, Any]]:
    """The explicit transfer record, else what the customer told the bot about one (reference required)."""
    source: Mapping[str, Any] = explicit or {
        "reference": _value(facts, "transfer_reference"),
        "amount": _value(facts, "amount"),
        "currency": _value(facts, "currency"),
        "country": _value(facts, "country"),
        "method": _value(facts, "delivery_method"),
    }
    reference = source.get("reference")
    if not reference:
        return None
    promised = source.get("promised_by")
    return {
        "reference": str(reference).replace(" ", "").upper(),
        "status": source.get("status"),
        "amount": _amount(source.get("amount")),
        "currency": str(source["currency"]).upper() if source.get("currency") else None,
        "country": str(source["country"]) if source.get("country") else None,
        "method": _method(source.get("method")),
        "promised_by": iso(promised) if isinstance(promised, datetime) else promised,
    }


def _amount(value: Any) -> Optional[str]:
    """The amount as the schema writes it; None for what is no amount (a date NLU misread as one must not
    make the case invalid, and so lose the handoff)."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return f"{number.quantize(Decimal('0.01')):f}".removesuffix(".00")


def _method(value: Any) -> Optional[str]:
    if not value:
        return None
    method = re.sub(r"[\s-]+", "_", str(value).strip().lower())
    return method if method in METHODS else None


def _transfer_phrase(transfer: Mapping[str, Any]) -> str:
    detail = " ".join(p for p in (transfer.get("amount"), transfer.get("currency")) if p)
    if transfer.get("country"):
        detail = f"{detail} to {transfer['country']}".strip()
    return f"transfer {transfer['reference']}" + (f" ({detail})" if detail else "")


def _verified_phrase(customer: Customer) -> str:
    return {
        "knowledge_check": "verified by the identity check",
        "authenticated_channel": "verified (signed in to the app)",
        "failed_check": "NOT verified: failed the identity check",
    }.get(customer.how, "not verified")


def _headline(title: str, reason: str, customer: Customer, transfer: Optional[Mapping[str, Any]]) -> str:
    about = f" about {_transfer_phrase(transfer)}" if transfer else ""
    return _clip(f"{title}{about}: {HANDOFF_REASONS[reason]}; customer {_verified_phrase(customer)}.", 300)


def _facts(
    title: str,
    reason: str,
    customer: Customer,
    transfer: Optional[Mapping[str, Any]],
    facts: _Facts,
    taxonomy: Taxonomy,
    category: str,
) -> List[str]:
    lines = [f"Contact reason: {title}", f"Handoff reason: {HANDOFF_REASONS[reason]}"]
    lines.append(f"Customer {customer.id or '(unknown id)'}: {_verified_phrase(customer)}")
    if transfer:
        lines.append(f"Transfer: {transfer['reference']}")
        for key in ("status", "amount", "currency", "country", "method", "promised_by"):
            if transfer.get(key):
                lines.append(f"Transfer {key.replace('_', ' ')}: {transfer[key]}")
    shown = {str(v) for v in (transfer or {}).values() if v}
    for name, label in _LABELS.items():
        value = _value(facts, name)
        if value and value not in shown and not (name == "transfer_reference" and transfer):
            lines.append(f"Customer mentioned {label}: {value}")
    others = [taxonomy.get(i) for i in dict.fromkeys(facts.intents) if i != category and taxonomy.is_topic(i)]
    if others:
        lines.append("Also asked about: " + ", ".join(r.title for r in others if r))
    customer_turns = sum(1 for t in facts.turns if t.speaker == "customer")
    misunderstood = facts.intents.count(FALLBACK_INTENT)
    if misunderstood:
        lines.append(f"The bot did not understand {misunderstood} of {customer_turns} customer messages")
    if facts.translation_note:
        lines.append(facts.translation_note)
    return [_clip(redact(line), 300) for line in lines]


def _callback_facts(callback: Optional[Callback]) -> List[str]:
    if callback is None:
        return []
    when = "urgently, as soon as possible" if callback.not_before is None else f"from {iso(callback.not_before)}"
    return [f"Call the customer back {when}: the call came outside phone hours"]


def _informativeness(turn: _Turn, category: str, taxonomy: Taxonomy) -> float:
    words = len(turn.text.split())
    score = min(words, 40) / 10 + 3 * len(turn.entities)
    if turn.intent == category:
        score += 4
    elif taxonomy.is_topic(turn.intent):
        score += 1
    if turn.intent in _LOW_CONTENT_INTENTS or words < 3:
        score -= 5
    return score


def _quote(facts: _Facts, category: str, taxonomy: Taxonomy) -> Optional[str]:
    """The customer's most informative message (already redacted), not merely their last."""
    turns = [t for t in facts.turns if t.speaker == "customer" and t.text.strip()]
    if not turns:
        return None
    best = max(reversed(turns), key=lambda t: _informativeness(t, category, taxonomy))
    return _clip(best.text, 500)


def _sentiment(facts: _Facts, reason: str) -> str:
    text = " ".join(t.text for t in facts.turns if t.speaker == "customer")
    negative = len(_NEGATIVE.findall(text)) + text.count("!!") + (1 if reason == "not_helpful" else 0)
    negative += 1 if facts.intents.count(FALLBACK_INTENT) >= 2 else 0
    positive = len(_POSITIVE.findall(text))
    if negative > positive:
        return "negative"
    return "positive" if positive > negative else "neutral"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
