"""Drive personas through a running assistant and collect what each conversation left behind.

Per persona: the transcript, the tracker (verified slot, identity form,
stored case) and the cases the handoff queue received for that conversation
id. Loopback only, a few conversations at a time, bounded waits.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

import aiohttp

from benchmarks.conversations.customer import converse
from benchmarks.conversations.personas import Persona
from benchmarks.conversations.scorer import Observation, Verdict, observe_tracker, score
from benchmarks.simulate import Customer, _check_loopback

CASE_WAIT_SECONDS = 15.0


@dataclass
class Result:
    persona: Persona
    seen: Observation
    verdict: Verdict
    sender: str
    seconds: float

    def as_dict(self) -> Dict[str, Any]:
        return {
            **self.persona.as_dict(),
            "passed": self.verdict.passed,
            "reasons": list(self.verdict.reasons),
            "observed": {
                "outcome": "handed_off" if self.seen.handed_off else "contained",
                "category": self.seen.category,
                "handoff_reason": self.seen.cases[0].get("handoff_reason") if self.seen.cases else None,
                "verified": self.seen.verified,
                "identity_asked": self.seen.identity_asked,
                "handoff_turn": self.seen.handoff_turn,
            },
            "conversation_id": self.sender,
            "seconds": round(self.seconds, 2),
            "transcript": [{"speaker": s, "text": t} for s, t in self.seen.transcript],
        }


async def _json(session: aiohttp.ClientSession, url: str) -> Any:
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.json(content_type=None)


async def queue_cases(session: aiohttp.ClientSession, queue: str, sender: str, wait: float) -> List[Dict[str, Any]]:
    """The cases the queue holds for one conversation, polling (bounded) while the worker delivers."""
    deadline = time.monotonic() + wait
    while True:
        rows = await _json(session, f"{queue}/cases")
        found = [r.get("case") or r for r in rows if (r.get("case") or r).get("conversation_id") == sender]
        if found or time.monotonic() >= deadline:
            return found
        await asyncio.sleep(0.5)


async def one(session: aiohttp.ClientSession, rasa: str, queue: str, persona: Persona, seed: int,
              voice_secret: Optional[bytes] = None) -> Result:
    started = time.monotonic()
    client = Customer(session, rasa, persona.channel, random.Random(f"asr-{seed}-{persona.id}"), voice_secret)
    try:
        transcript, state = await converse(client, persona, seed)
        tracker = observe_tracker(await _json(session, f"{rasa}/conversations/{client.sender}/tracker"))
        wait = CASE_WAIT_SECONDS if tracker["handoff_slot"] or state.handoff_turn else 1.0
        cases = await queue_cases(session, queue, client.sender, wait)
        seen = Observation(transcript, handoff_turn=state.handoff_turn, cases=cases, **tracker)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        seen = Observation([], error=f"{type(error).__name__}: {error}")
    return Result(persona, seen, score(persona, seen), client.sender, time.monotonic() - started)


async def run_all(personas: Sequence[Persona], rasa_url: str, queue_url: str, concurrency: int = 2, seed: int = 2026,
                  progress: Optional[Callable[[int, int], None]] = None,
                  voice_secret: Optional[bytes] = None) -> List[Result]:
    """Every persona's conversation; voice turns are signed with ``voice_secret`` (VOICE_WEBHOOK_SECRET) if set."""
    rasa, queue = _check_loopback(rasa_url), _check_loopback(queue_url)
    limit = asyncio.Semaphore(concurrency)
    results: List[Optional[Result]] = [None] * len(personas)
    done = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:

        async def run(index: int) -> None:
            nonlocal done
            async with limit:
                results[index] = await one(session, rasa, queue, personas[index], seed, voice_secret)
            done += 1
            if progress:
                progress(done, len(personas))

        await asyncio.gather(*(run(i) for i in range(len(personas))))
    return [r for r in results if r is not None]
