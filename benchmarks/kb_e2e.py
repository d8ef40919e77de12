"""Knowledge questions end to end: each question in a fresh conversation with the running assistant, reply scored.

Chat-style questions go through the REST channel, voice-style ones (speech-to-
text transcripts) through the voice webhook, the channel they come from (the
transcript normaliser only runs there). A reply is *answered correctly* when it
states a handbook fact of an expected article (``kb_facts.yml``; a fee question
with a readable amount and currency must quote exactly that cell and no other
fee), without declining or asking for an identity check; a handoff counts only
when its reply states such a fact (the handbook sends a scam report to the
fraud team at once, and a complaint is answered with its reference and
timeline as it is handed off). An
unanswerable question is *declined* when the bot says it has no answer
(or that it is not something it helps with) and states no fee figure.
"""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import aiohttp
import yaml

from benchmarks.conversations import handbook, spoken
from benchmarks.conversations.customer import is_handoff
from benchmarks.simulate import Customer, _check_loopback

FACTS = Path(__file__).with_name("kb_facts.yml")
DECLINE = re.compile(
    r"(don't|do not) have (a |an )?(reliable )?(answer|information)|rather not guess|not something i can help"
    r"|can't help with (that|this)|couldn't find the right answer", re.I)
IDENTITY = re.compile(r"check it's you|what's your full name", re.I)  # the check itself, not an article about it
CURRENCY_WORDS = [
    ("CAD", r"\bCAD\b|canadian|C\$"), ("USD", r"\$|\bUSD\b|dollars?|bucks"), ("EUR", r"€|\bEUR\b|euros?"),
    ("GBP", r"£|\bGBP\b|pounds?|quid"),
]
TARGETS = {"answered_correctly": 0.92, "unanswerable_declined": 0.90}


@lru_cache(maxsize=1)
def article_facts(path: Path = FACTS) -> Dict[str, List[str]]:
    """Article id -> fact regexes; country articles from the handbook's corridor table."""
    facts: Dict[str, List[str]] = dict((yaml.safe_load(path.read_text(encoding="utf-8")) or {})["facts"])
    for country, c in handbook.corridors().items():
        names = [re.escape(p).replace(r"\-", "[- ]?").replace(r"\ ", "[- ]?") for p in c.mobile_money]
        facts[f"country-{country.lower()}"] = [re.escape(c.currency), *names, "bank|cash pick ?up|mobile money"]
    return facts


@lru_cache(maxsize=1)
def _number_words() -> List[Tuple[str, int]]:
    """Spoken numbers up to 10,000, longest first ("twelve hundred" forms too)."""
    words = {spoken.number(n): n for n in range(1, 10001)}
    words.update({f"{spoken.number(h)} hundred": h * 100 for h in range(11, 100)})
    return sorted(words.items(), key=lambda kv: -len(kv[0]))


def asked_amount(question: str) -> Optional[Tuple[Decimal, str]]:
    """The amount and currency a fee question names, when both are readable."""
    text = question.lower()
    currency = next((code for code, rx in CURRENCY_WORDS if re.search(rx, question, re.I)), None)
    digits = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", text)
    amount: Optional[Decimal] = None
    if digits:
        amount = Decimal(digits.group(1).replace(",", "")) * (1000 if digits.group(2) else 1)
    else:
        for said, value in _number_words():
            if re.search(rf"\b{said}\b", text):
                amount = Decimal(value)
                break
    return (amount, currency) if amount is not None and currency else None


@dataclass(frozen=True)
class Judged:
    answered: bool
    declined: bool
    why: str


def judge(question: str, expect: Sequence[str], reply: str, handed_off: bool) -> Judged:
    declined = bool(DECLINE.search(reply)) and not re.search(handbook.wrong_fee_regex(""), reply)
    if not expect:
        return Judged(False, declined, "" if declined else "answered a question the handbook does not answer")
    if IDENTITY.search(reply):
        return Judged(False, declined, "asked for an identity check")
    if declined:
        return Judged(False, True, "declined")
    facts = article_facts()
    if "fees-by-amount" in expect or "fees-cash-pickup-surcharge" in expect:
        named = asked_amount(question)
        if named and "fees-by-amount" in expect[:1]:
            right = handbook.fee(named[0], named[1])
            cell = handbook.fee_regex(right) + (f"|{named[0] * Decimal('0.0025'):.2f}" if "%" in right else "")
            if not re.search(cell, reply, re.I):
                return Judged(False, False, f"did not quote the fee {right} for {named[0]} {named[1]}")
            wrong = re.search(handbook.wrong_fee_regex(right if "%" not in right else ""), reply)
            if wrong:
                return Judged(False, False, f"also quoted {wrong.group(0)} (not the cell asked)")
            return Judged(True, False, "")
    if any(a in facts and any(re.search(rx, reply, re.I) for rx in facts[a]) for a in expect):
        return Judged(True, False, "")
    if handed_off:
        return Judged(False, False, "handed off")
    return Judged(False, False, "no fact of " + "/".join(expect))


async def ask(session: aiohttp.ClientSession, base: str, question: str, style: str, seed: int) -> Tuple[str, bool]:
    """One question in a fresh conversation; a clarifying "did you mean" gets one pick (the first option)."""
    client = Customer(session, base, "voice" if style == "voice" else "chat", random.Random(seed))
    client.sender = f"kb-{uuid.uuid4().hex[:12]}"
    replies = await client.say(question)
    texts = [str(r.get("text") or "") for r in replies]
    buttons = [b["payload"] for r in replies for b in r.get("buttons") or [] if b.get("payload")]
    if buttons and re.search(r"did you mean", " ".join(texts), re.I):
        more = await client.say(buttons[0])
        texts += [str(r.get("text") or "") for r in more]
        replies += more
    return " ".join(texts), is_handoff(replies)


async def run_questions(questions: Sequence[Any], rasa_url: str, concurrency: int = 2) -> List[Dict[str, Any]]:
    base = _check_loopback(rasa_url)
    limit = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:

        async def one(q: Any) -> Dict[str, Any]:
            async with limit:
                try:
                    reply, handed = await ask(session, base, q.text, q.style, q.number)
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    reply, handed = f"[error: {type(error).__name__}]", False
            verdict = judge(q.text, q.expect, reply, handed)
            return {"number": q.number, "q": q.text, "style": q.style, "expect": list(q.expect),
                    "answered_correctly": verdict.answered, "declined": verdict.declined, "why": verdict.why,
                    "reply": reply[:600]}

        return list(await asyncio.gather(*(one(q) for q in questions)))


def e2e_metrics(rows: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    answerable = [r for r in rows if r["expect"]]
    unanswerable = [r for r in rows if not r["expect"]]

    def share(flags: List[bool]) -> Optional[float]:
        return round(sum(flags) / len(flags), 4) if flags else None

    return {
        "n": len(rows), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "answered_correctly": share([r["answered_correctly"] for r in answerable]),
        "unanswerable_declined": share([r["declined"] for r in unanswerable]),
        "answerable_declined": share([r["declined"] for r in answerable]),
    }


def e2e_report(rows: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    def with_styles(subset: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
        styles = sorted({r["style"] for r in subset})
        return {**e2e_metrics(subset), "by_style": {s: e2e_metrics([r for r in subset if r["style"] == s])
                                                    for s in styles}}

    heldout = [r for r in rows if r["number"] % 2 == 0]
    return {
        "note": __doc__.strip().splitlines()[0],
        "all": with_styles(rows),
        "holdout_even": with_styles(heldout),
        "tune_odd": with_styles([r for r in rows if r["number"] % 2 == 1]),
        "targets": TARGETS,
        "meets_targets": {name: (e2e_metrics(heldout)[name] or 0) >= target for name, target in TARGETS.items()},
        "misses": [r for r in rows if (r["expect"] and not r["answered_correctly"])
                   or (not r["expect"] and not r["declined"])],
    }
