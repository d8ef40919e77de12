"""Ranked parse results merged over an ASR n-best list."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from frontdoor.spoken.text import as_alternatives

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One interpretation of what the caller said.

    ``confidence`` is in (0, 1]; ``alternative`` is the index of the best n-best
    hypothesis that produced it (0 = the ASR's top transcription).
    """

    value: T
    confidence: float
    alternative: int = 0


def rank_prior(index: int) -> float:
    """Lower n-best hypotheses are less likely, but still carry information."""
    return 1.0 / (1.0 + 0.15 * index)


def rank(
    alternatives: object,
    parse_one: Callable[[str], Iterable[tuple[T, float]]],
    limit: int = 10,
) -> list[Candidate[T]]:
    """Parse every alternative and merge equal values.

    A value's confidence is the noisy-OR of its per-hypothesis confidences (each
    scaled by the hypothesis' rank), so a value that several hypotheses agree on
    outranks one that a single hypothesis produced.
    """
    miss: dict[T, float] = {}
    first: dict[T, int] = {}
    for index, text in enumerate(as_alternatives(alternatives)):
        prior = rank_prior(index)
        seen: dict[T, float] = {}
        for value, confidence in parse_one(text):
            seen[value] = max(seen.get(value, 0.0), min(1.0, max(0.0, confidence)))
        for value, confidence in seen.items():
            miss[value] = miss.get(value, 1.0) * (1.0 - 0.95 * confidence * prior)
            first.setdefault(value, index)
    ranked = sorted(miss, key=lambda v: (miss[v], first[v]))
    return [Candidate(v, round(1.0 - miss[v], 6), first[v]) for v in ranked[:limit]]
