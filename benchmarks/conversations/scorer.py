"""Pass or fail for one persona's conversation, with every reason it failed.

Pure: it reads an ``Observation`` (the transcript, what the tracker says and
the cases the handoff queue received) so scripted transcripts test it. Strict
on purpose: a missing fact, a leaked date of birth or a handoff the handbook
does not call for each fail the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from benchmarks.conversations.personas import Persona


@dataclass
class Observation:
    transcript: List[Tuple[str, str]]
    verified: bool = False
    identity_asked: bool = False  # the identity form ran (tracker)
    handoff_slot: Optional[str] = None  # the case reference the bot stored (tracker)
    cases: List[Dict[str, Any]] = field(default_factory=list)  # as received by the queue
    handoff_turn: Optional[int] = None
    error: Optional[str] = None

    @property
    def bot_text(self) -> str:
        return " ".join(text for speaker, text in self.transcript if speaker == "bot")

    @property
    def handed_off(self) -> bool:
        return bool(self.cases or self.handoff_slot)

    @property
    def category(self) -> Optional[str]:
        return str(self.cases[0].get("category")) if self.cases else None


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: Tuple[str, ...]


def score(persona: Persona, seen: Observation) -> Verdict:
    reasons: List[str] = []
    if seen.error:
        return Verdict(False, (f"conversation broke: {seen.error}",))
    said = seen.bot_text
    if persona.expect_outcome == "handed_off" and not seen.handed_off:
        reasons.append(f"expected a handoff ({persona.expect_category}), the bot kept the conversation")
    if persona.expect_outcome == "contained" and seen.handed_off:
        why = seen.cases[0].get("handoff_reason") if seen.cases else "no case received"
        reasons.append(f"handed off ({seen.category}, {why}) though the bot should resolve it")
    if persona.expect_outcome == "handed_off" and seen.handed_off:
        if not seen.cases:
            reasons.append("the bot said it handed off but the queue received no case")
        elif seen.category != persona.expect_category:
            reasons.append(f"case category {seen.category}, expected {persona.expect_category}")
        if persona.handoff_within and (seen.handoff_turn or 99) > persona.handoff_within:
            reasons.append(f"handed off only at customer turn {seen.handoff_turn}, expected at once")
    if persona.expect_verified is not None and seen.verified != persona.expect_verified:
        reasons.append("ended verified" if seen.verified else "never verified the customer")
    if not persona.identity_allowed and seen.identity_asked:
        reasons.append("asked for an identity check on a question that needs none")
    for pattern in persona.all_say:
        if not re.search(pattern, said, re.I):
            reasons.append(f"never said /{pattern}/")
    for pattern in persona.never:
        found = re.search(pattern, said, re.I)
        if found:
            reasons.append(f"said {found.group(0)!r}, which it must not (/{pattern}/)")
    return Verdict(not reasons, tuple(reasons))


def observe_tracker(tracker: Dict[str, Any]) -> Dict[str, Any]:
    """Verified flag, whether the identity form ran, and the stored case reference, from a tracker dump."""
    slots = tracker.get("slots") or {}
    events = tracker.get("events") or []
    asked = any(e.get("event") == "active_loop" and e.get("name") == "identity_form" for e in events)
    return {"verified": slots.get("verified") is True, "identity_asked": asked,
            "handoff_slot": slots.get("handoff_case")}
