"""When the bot hands a conversation to a human, per ``config/handoff.yml`` and the handbook.

Actions gather the signals (intents, failed checks, votes, what a lookup found)
and ask here; keeping the rules in one pure function is what lets every trigger
be tested without a running bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional, Sequence

from frontdoor.fallback import consecutive_fallbacks
from frontdoor.handoff.config import Triggers
from frontdoor.taxonomy import Taxonomy

AGENT_ONLY = (
    "overdue_transfer",
    "recall_request",
    "compliance_review_overdue",
    "phone_number_change",
    "kyc_retries_exhausted",
    "pickup_name_fix",
)
"""Cases the handbook reserves for agents; an action that detects one passes it as ``agent_only``."""
_OVERDUE_GRACE = timedelta(hours=2)


@dataclass(frozen=True)
class Signals:
    user_intents: Sequence[str] = ()
    identity_failures: int = 0
    not_helpful_votes: int = 0
    agent_only: Optional[str] = None
    backend_error: bool = False


def handoff_reason(signals: Signals, taxonomy: Taxonomy, triggers: Triggers) -> Optional[str]:
    """The ``handoff_reason`` to hand off with now, or None to let the bot carry on."""
    if signals.backend_error:
        return "backend_error"
    if signals.identity_failures >= triggers.identity_check_attempts:
        return "identity_check_failed"
    if signals.agent_only is not None:
        if signals.agent_only not in AGENT_ONLY:
            raise ValueError(f"agent_only must be one of {AGENT_ONLY}, not {signals.agent_only!r}")
        return signals.agent_only
    latest = taxonomy.get(signals.user_intents[-1] if signals.user_intents else None)
    if latest is not None and latest.kind in triggers.handoff_kinds:
        return "handoff_topic"
    if consecutive_fallbacks(signals.user_intents) >= triggers.consecutive_fallbacks:
        return "repeated_fallback"
    if signals.not_helpful_votes >= triggers.not_helpful_votes:
        return "not_helpful"
    return None


def transfer_overdue(method: str, promised_by: datetime, now: datetime) -> bool:
    """Handbook 5: past the promised time plus 2 hours, or for bank deposits past the promised day."""
    if method == "bank_deposit":
        return now.date() > promised_by.date()
    return now > promised_by + _OVERDUE_GRACE


def compliance_review_overdue(review_started: datetime, now: datetime, triggers: Triggers) -> bool:
    return now - review_started > timedelta(hours=triggers.compliance_review_hours)


def kyc_retries_exhausted(failed_attempts: int, triggers: Triggers) -> bool:
    """After ``kyc_failed_attempts`` failed in-app checks the next (issue 6: the fourth) needs an agent."""
    return failed_attempts >= triggers.kyc_failed_attempts
