"""Handbook 12: how often the customer says the in-app verification failed, typed or spoken."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import pytest

from frontdoor.handoff.config import load_config
from frontdoor.handoff.kyc import needs_agent_review, stated_failures

TRIGGERS = load_config().triggers


@pytest.mark.parametrize(
    ("text", "failures"),
    [
        ("I've tried 3 times and the ID check still fails", 3),
        ("the id check failed three times", 3),
        ("After 3 failed tries it says contact support about verification", 3),
        ("um yeah it failed like three times now", 3),
        ("my passport got rejected 4 times", 4),
        ("failed twice", 2),
        ("only once", 1),
        ("it failed a couple of times", 2),
        ("it failed three or four times", 4),  # the larger
        ("this is my fourth try", 3),  # three failed before it
        ("it failed for the fourth time", 4),
        ("my 3rd attempt failed", 3),
        ("third time it has been rejected", 3),
        ("no, only twice", 2),
        # no number, or a number that counts something else
        ("My verification failed", None),
        ("tried again and again", None),
        ("it failed several times", None),
        ("I haven't tried 3 times yet", None),
        ("I sent 300 pounds and my ID check failed", None),
        ("I uploaded my passport on the 3rd of May", None),
        ("transfer ZS40318822 for 250 GBP", None),
        ("yes", None),
        ("", None),
    ],
)
def test_stated_failures(text: str, failures: Optional[int]) -> None:
    assert stated_failures(text) == failures


def test_an_amount_next_to_a_count_does_not_count() -> None:
    assert stated_failures("I sent 300 pounds and it failed 2 times") == 2


def test_the_threshold_comes_from_config() -> None:
    assert TRIGGERS.kyc_failed_attempts == 3
    assert needs_agent_review("I've tried three times", TRIGGERS)
    assert not needs_agent_review("it failed twice", TRIGGERS)
    assert not needs_agent_review("my verification failed", TRIGGERS)
    assert needs_agent_review("it failed twice", replace(TRIGGERS, kyc_failed_attempts=2))
