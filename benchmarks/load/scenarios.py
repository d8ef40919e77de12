"""What the simulated users say, per scenario. Every message is from the repo's own test sets or demo data.

- ``hello``: "hello" again and again (both systems: the stock bot's cheapest path).
- ``knowledge``: typed questions the handbook answers (tests/kb/questions.yml, chat style).
- ``identity``: "where is my transfer <ref>?", then full name, date of birth and postcode of the
  demo customer who sent it (as the chat personas answer), then the status: always 4 messages.
- ``voice``: spoken knowledge questions through the signed voice webhook.
"""

from __future__ import annotations

import random
from typing import Callable, Dict, List

from benchmarks.conversations import demo
from benchmarks.eval_kb import load_questions
from benchmarks.load.driver import User

FRONTDOOR_SCENARIOS = ("hello", "knowledge", "identity", "voice")
STOCK_SCENARIOS = ("hello",)


def _questions(style: str) -> List[str]:
    return [q.text for q in load_questions() if q.expect and q.style == style]


def hello(n: int, per_user: int, rng: random.Random) -> List[User]:
    return [User("chat", ("hello",) * per_user) for _ in range(n)]


def knowledge(n: int, per_user: int, rng: random.Random) -> List[User]:
    pool = _questions("chat")
    return [User("chat", tuple(rng.sample(pool, per_user))) for _ in range(n)]


def voice(n: int, per_user: int, rng: random.Random) -> List[User]:
    pool = _questions("voice")
    return [User("voice", tuple(rng.sample(pool, per_user))) for _ in range(n)]


def identity(n: int, per_user: int, rng: random.Random) -> List[User]:
    """A different customer per user (delivered transfers: a status, never a handoff)."""
    profiles = demo.profiles()
    owners = {t.customer_id: t for t in demo.transfers() if t.status == "delivered" and t.customer_id in profiles}
    chosen = rng.sample(sorted(owners), min(n, len(owners)))
    users = []
    for customer_id in (chosen * (n // len(chosen) + 1))[:n]:
        who, transfer = profiles[customer_id], owners[customer_id]
        script = (f"where is my transfer {transfer.reference}?", who.full_name, who.dob.strftime("%d/%m/%Y"),
                  who.postcode)
        users.append(User("chat", script, expect="delivered"))
    return users


SCENARIOS: Dict[str, Callable[[int, int, random.Random], List[User]]] = {
    "hello": hello, "knowledge": knowledge, "identity": identity, "voice": voice,
}
