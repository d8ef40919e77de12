"""A bounded closed-loop load generator: ``c`` simulated users at a time, each awaiting every reply.

Closed loop (a user sends its next message only once the last one is
answered) so the offered load follows the server, as real chats do, and the
figures compare across systems. Bounded twice: a fixed list of users, and a
deadline after which no message is sent (a request in flight then has at most
its timeout). The transport is ``benchmarks.simulate.Customer``: the REST
channel, or the voice webhook signed as the gateway signs it.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import aiohttp

from benchmarks.intent_metrics import percentile
from benchmarks.simulate import Customer, _check_loopback


@dataclass(frozen=True)
class User:
    """One simulated user: a fresh sender with a fixed script."""

    channel: str  # "chat" (REST channel) or "voice" (voice webhook)
    messages: Tuple[str, ...]
    expect: Optional[str] = None
    """A regex the reply to the last message must match, so a cell cannot silently time the wrong path."""


@dataclass
class Outcome:
    latencies: List[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    unexpected: int = 0
    users: int = 0
    elapsed: float = 0.0

    def summary(self) -> Dict[str, Any]:
        ms = [s * 1000 for s in self.latencies]
        return {
            "messages": len(ms), "users_completed": self.users, "elapsed_s": round(self.elapsed, 2),
            "msgs_per_s": round(len(ms) / self.elapsed, 2) if self.elapsed else 0.0,
            **{f"p{q}_ms": round(percentile(ms, q), 1) if ms else None for q in (50, 95, 99)},
            "errors": sum(self.errors.values()), "error_kinds": dict(self.errors), "unexpected": self.unexpected,
        }


def _error_name(error: Exception) -> str:
    return f"HTTP {error.status}" if isinstance(error, aiohttp.ClientResponseError) else type(error).__name__


async def closed_loop(base: str, users: Sequence[User], concurrency: int, duration_cap: float,
                      voice_secret: Optional[bytes] = None, timeout: float = 60.0) -> Outcome:
    """Run ``users`` through ``concurrency`` workers against ``base`` (loopback only)."""
    base = _check_loopback(base)
    loop = asyncio.get_running_loop()
    outcome, pending = Outcome(), iter(users)
    started = loop.time()
    deadline = started + duration_cap
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout), connector=connector) as session:

        async def worker(index: int) -> None:
            rng = random.Random(index)
            for user in pending:  # shared by the workers: each user is taken once
                customer = Customer(session, base, user.channel, rng, voice_secret)
                customer.sender = f"load-{uuid.uuid4().hex[:12]}"
                replies: List[Dict[str, Any]] = []
                for message in user.messages:
                    if loop.time() >= deadline:
                        return
                    sent = time.perf_counter()
                    try:
                        replies = await customer.say(message)
                    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                        outcome.errors[_error_name(error)] += 1
                        break
                    outcome.latencies.append(time.perf_counter() - sent)
                else:
                    outcome.users += 1
                    said = " ".join(str(r.get("text") or "") for r in replies)
                    outcome.unexpected += bool(user.expect and not re.search(user.expect, said, re.I))

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    outcome.elapsed = loop.time() - started
    return outcome
