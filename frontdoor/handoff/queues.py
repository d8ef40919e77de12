"""Which queue takes a case (handbook 21): the fraud team, complaints, a language skill, or general.

Routing is an ordered list of rules in ``config/handoff.yml``, first match
wins, ending in a catch-all; each queue says how long its customers wait per
priority, so what the bot announces is the queue's figure, not a constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence


@dataclass(frozen=True)
class Queue:
    name: str
    """The case's ``queue`` field ("fraud", "general", "french"...)."""
    title: str
    """What agents read ("Fraud team")."""
    wait_minutes: Mapping[str, int]
    """Expected wait per priority (urgent, high, normal)."""


@dataclass(frozen=True)
class Rule:
    """Cases matching every condition given go to ``queue``; a rule without conditions matches every case."""

    queue: str
    category: Optional[str] = None
    language: Optional[str] = None
    """A primary language subtag ("fr"); a case's "fr-CA" matches it."""

    def matches(self, category: str, language: str) -> bool:
        if self.category is not None and self.category != category:
            return False
        return self.language is None or self.language == primary_language(language)


def primary_language(language: str) -> str:
    """ "fr" of "fr-CA"; English is the default when the language is not known."""
    return (language or "en").split("-")[0].lower()


def choose_queue(rules: Sequence[Rule], category: str, language: str = "en") -> str:
    """The queue of the first matching rule (the config ends in a catch-all, so there always is one)."""
    return next(rule.queue for rule in rules if rule.matches(category, language))
