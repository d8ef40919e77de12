"""Retry schedule of the delivery worker (signatures: test_signing.py; HTTP behaviour: tests/integration)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from frontdoor.handoff.config import Delivery
from frontdoor.handoff.delivery import Outcome, backoff_seconds, next_attempt
from frontdoor.handoff.outbox import Claim

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
SETTINGS = Delivery(backoff_base_seconds=2, backoff_max_seconds=900, retry_window=timedelta(hours=24))


@pytest.mark.parametrize("attempt", range(1, 16))
def test_backoff_is_exponential_with_bounded_jitter(attempt: int) -> None:
    r = random.Random(attempt)
    ceiling = min(900.0, 2.0 * 2 ** (attempt - 1))
    delays = [backoff_seconds(attempt, 2.0, 900.0, r) for _ in range(200)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len({round(d, 6) for d in delays}) > 100, "jitter must spread retries"


def claim(attempts: int, retry_from: datetime = T0) -> Claim:
    return Claim("id", b"{}", attempts, retry_from, "token")


def test_retries_continue_until_the_window_closes_then_dead_letter() -> None:
    r = random.Random(1)
    now, attempts, schedule = T0, 1, []
    while (when := next_attempt(claim(attempts), Outcome(False, "HTTP 500"), SETTINGS, now, r)) is not None:
        assert now < when <= T0 + SETTINGS.retry_window
        schedule.append(when)
        now, attempts = when, attempts + 1
    assert schedule[-1] == T0 + SETTINGS.retry_window, "the last try lands on the window's end"
    assert 90 < len(schedule) < 200
    assert next_attempt(claim(1), Outcome(False, "HTTP 500"), SETTINGS, T0 + timedelta(hours=25), r) is None


def test_permanent_rejections_dead_letter_at_once_and_retry_after_is_honoured() -> None:
    r = random.Random(2)
    assert next_attempt(claim(1), Outcome(False, "HTTP 400", permanent=True), SETTINGS, T0, r) is None
    later = next_attempt(claim(1), Outcome(False, "HTTP 429", retry_after=120), SETTINGS, T0, r)
    assert later == T0 + timedelta(seconds=120)
