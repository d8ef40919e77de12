"""Deliver outbox cases to the queue's webhook: signed, idempotent, retried, then dead-lettered.

Delivery is at least once: the same stored body and case_id go out on every
attempt, so a receiver that deduplicates on ``Idempotency-Key`` sees each case
exactly once. Failures back off exponentially with jitter (so a recovering
queue is not stampeded) until the retry window closes; then the row is
dead-lettered for ops to inspect and redrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

import aiohttp
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from frontdoor.handoff.config import Delivery
from frontdoor.handoff.outbox import Claim, claim_due, mark_delivered, mark_retry, utcnow
from frontdoor.redaction import redact
from frontdoor.signing import SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
PERMANENT_STATUSES = frozenset({400, 413, 415, 422})
"""The receiver rejected the case itself: retrying the same bytes cannot help, dead-letter at once."""
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    error: str = ""
    permanent: bool = False
    retry_after: Optional[float] = None


def backoff_seconds(attempt: int, base: float, maximum: float, rng: random.Random) -> float:
    """Exponential backoff with "equal jitter": half the ceiling guaranteed, the other half random."""
    ceiling = min(maximum, base * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def next_attempt(
    claim: Claim, outcome: Outcome, settings: Delivery, now: datetime, rng: random.Random
) -> Optional[datetime]:
    """When to try again, or None to dead-letter; the last try lands exactly on the window's end."""
    deadline = claim.retry_from + settings.retry_window
    if outcome.permanent or now >= deadline:
        return None
    delay = backoff_seconds(claim.attempts, settings.backoff_base_seconds, settings.backoff_max_seconds, rng)
    delay = max(delay, min(outcome.retry_after or 0.0, settings.backoff_max_seconds))
    return min(now + timedelta(seconds=delay), deadline)


def _retry_after(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value else None
    except ValueError:
        return None


class DeliveryWorker:
    """Claims due outbox rows and POSTs them; many workers may run against one database."""

    def __init__(
        self,
        engine: Engine,
        settings: Delivery,
        secret: bytes,
        *,
        clock: Clock = utcnow,
        rng: Optional[random.Random] = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.secret = secret
        self.clock = clock
        self.rng = rng or random.Random()
        self.worker_id = uuid.uuid4().hex[:8]
        self._session: Optional[aiohttp.ClientSession] = None

    async def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.settings.timeout_seconds)
            self._session = aiohttp.ClientSession(timeout=timeout, headers={"User-Agent": "frontdoor-handoff/1"})
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(self, claim: Claim) -> Outcome:
        """One signed POST of the stored bytes."""
        timestamp = int(self.clock().timestamp())
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self.secret, claim.body, timestamp),
            IDEMPOTENCY_HEADER: claim.case_id,
        }
        session = await self._client()
        try:
            async with session.post(self.settings.webhook_url, data=claim.body, headers=headers) as response:
                if 200 <= response.status < 300:
                    return Outcome(delivered=True)
                detail = (await response.content.read(300)).decode("utf-8", errors="replace")
                return Outcome(
                    delivered=False,
                    error=f"HTTP {response.status}: {detail}",
                    permanent=response.status in PERMANENT_STATUSES,
                    retry_after=_retry_after(response.headers.get("Retry-After")),
                )
        except asyncio.TimeoutError:
            return Outcome(delivered=False, error=f"timed out after {self.settings.timeout_seconds:g} s")
        except aiohttp.ClientError as error:
            return Outcome(delivered=False, error=f"{type(error).__name__}: {error}")

    async def deliver(self, claim: Claim) -> str:
        """Post one claimed row and record the result; returns the row's new status."""
        outcome = await self.post(claim)
        now = self.clock()
        if outcome.delivered:
            await asyncio.to_thread(mark_delivered, self.engine, claim, now=now)
            log.info("delivered case %s on attempt %d", claim.case_id, claim.attempts)
            return "delivered"
        error = redact(outcome.error)
        when = next_attempt(claim, outcome, self.settings, now, self.rng)
        status = await asyncio.to_thread(mark_retry, self.engine, claim, error=error, next_attempt_at=when, now=now)
        if status == "failed":
            log.error("dead-lettered case %s after %d attempts: %s", claim.case_id, claim.attempts, error)
        else:
            log.warning("case %s attempt %d failed (%s); next at %s", claim.case_id, claim.attempts, error, when)
        return status

    async def run_once(self) -> int:
        """Claim one batch and deliver it concurrently; returns how many rows were attempted."""
        lease = timedelta(seconds=self.settings.lease_seconds)
        claims = await asyncio.to_thread(
            claim_due, self.engine, now=self.clock(), lease=lease, limit=self.settings.batch_size
        )
        results = await asyncio.gather(*(self.deliver(claim) for claim in claims), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return len(claims)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; in-flight posts finish first (bounded by the timeout)."""
        log.info("delivery worker %s posting to %s", self.worker_id, self.settings.webhook_url)
        while not stop.is_set():
            try:
                attempted = await self.run_once()
            except SQLAlchemyError as error:
                log.error("outbox database error, retrying: %s", error.__class__.__name__)
                attempted = 0
            if attempted:
                continue
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.settings.poll_seconds)
