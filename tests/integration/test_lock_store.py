"""Two processes taking the lock of one conversation never overlap: what two Rasa workers rely on."""

from __future__ import annotations

import asyncio
import multiprocessing
import uuid

import pytest

from tests.conftest import require_server

pytestmark = pytest.mark.redis
TURNS = 30


def _take_locks(conversation: str, results: multiprocessing.Queue[tuple[int, int]]) -> None:
    """``TURNS`` concurrent critical sections in this process; counts those that found another one inside."""
    import redis
    from rasa.utils.endpoints import EndpointConfig

    from frontdoor.rasa.lock_store import AtomicRedisLockStore

    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix="frontdoortest"))
    inside = redis.StrictRedis(host="127.0.0.1", port=6379, db=1)
    counter = f"frontdoortest:inside:{conversation}"
    overlaps = errors = 0

    async def turn() -> None:
        nonlocal overlaps, errors
        try:
            async with store.lock(conversation, wait_time_in_seconds=0.01):
                overlaps += inside.incr(counter) > 1
                await asyncio.sleep(0.005)
                inside.decr(counter)
        except Exception:
            errors += 1

    async def all_turns() -> None:
        await asyncio.gather(*(turn() for _ in range(TURNS)))

    asyncio.run(all_turns())
    inside.close()
    results.put((overlaps, errors))


def test_two_processes_serialise_one_conversation() -> None:
    require_server("Redis", "127.0.0.1", 6379)
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[int, int]] = context.Queue()
    conversation = f"lock-{uuid.uuid4().hex[:10]}"
    workers = [context.Process(target=_take_locks, args=(conversation, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert outcomes == [(0, 0), (0, 0)], "(overlapping critical sections, LockErrors) per process"
