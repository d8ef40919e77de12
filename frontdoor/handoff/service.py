"""Hand a conversation to the human queue: build the case, record it with its outbox row, say what happens next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from sqlalchemy.engine import Engine

from frontdoor.handoff.case import Customer, build_case, case_reference
from frontdoor.handoff.config import HandoffConfig, load_config
from frontdoor.handoff.outbox import record_handoff

_SPOKEN_DIGITS = "zero one two three four five six seven eight nine".split()


@dataclass(frozen=True)
class Handoff:
    case_id: str
    reference: str  # "HO-1A2B3C4D", shown to the customer and on the agent's screen
    priority: str
    wait_minutes: int
    created: bool  # False when this handoff was already recorded (a retried action)

    @property
    def spoken_reference(self) -> str:
        """The reference read out one character at a time: "H, O, one, A, two..."."""
        return ", ".join(_SPOKEN_DIGITS[int(c)] if c.isdigit() else c for c in self.reference if c != "-")


def hand_off(
    engine: Engine,
    events: Sequence[Mapping[str, Any]],
    *,
    conversation_id: str,
    handoff_reason: str,
    key: str,
    channel: str = "chat",
    category: Optional[str] = None,
    customer: Optional[Customer] = None,
    transfer: Optional[Mapping[str, Any]] = None,
    knowledge_shown: Sequence[str] = (),
    config: Optional[HandoffConfig] = None,
) -> Handoff:
    """Exactly one case per ``key``: the outbox worker delivers it; a repeat returns the first case."""
    config = config or load_config()
    case = build_case(
        events,
        conversation_id=conversation_id,
        handoff_reason=handoff_reason,
        channel=channel,
        category=category,
        customer=customer,
        transfer=transfer,
        knowledge_shown=knowledge_shown,
        config=config,
    )
    recorded = record_handoff(engine, case, key=key)
    return Handoff(
        case_id=recorded.case_id,
        reference=case_reference(recorded.case_id),
        priority=case["priority"],
        wait_minutes=config.expected_wait(case["priority"]),
        created=recorded.created,
    )
