"""What the bot says about a verified customer's transfer, for chat and for voice.

The service returns plain-language fragments ("it was passed to the payout
partner, M-Pesa"); this turns them into whole replies, and maps the
service's reasons for needing an agent onto handoff reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Dict, List, Optional, Sequence

from frontdoor.handoff.case import iso
from frontdoor.transfers.service import (
    CancelResult,
    CorrectionResult,
    RefundStatus,
    StatusReport,
    Transfer,
)

# Service reason -> handoff reason (frontdoor/handoff/case.py HANDOFF_REASONS).
HANDOFF_REASONS: Dict[str, str] = {
    "transfer_not_received": "overdue_transfer",
    "compliance_review_over_48h": "compliance_review_overdue",
    "recall_request": "recall_request",
    "pickup_name_fix": "pickup_name_fix",
    "cannot_cancel": "agent_requested",
    "concurrent_update": "backend_error",
    "refund_overdue": "refund_overdue",
}
METHODS = {
    "mobile_money": "mobile money",
    "bank_deposit": "bank deposit",
    "cash_pickup": "cash pickup",
    "airtime": "airtime top-up",
}
CURRENCY_WORDS = {"GBP": "pounds", "USD": "US dollars", "EUR": "euros", "CAD": "Canadian dollars"}


@dataclass(frozen=True)
class Reply:
    chat: str
    voice: str

    def for_channel(self, channel: str) -> str:
        return self.voice if channel == "voice" else self.chat


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _spoken_amount(value: Decimal, currency: str) -> str:
    whole = value == value.to_integral_value()
    number = f"{int(value):,}" if whole else f"{value:,.2f}"
    return f"{number} {CURRENCY_WORDS.get(currency, currency)}"


def describe(transfer: Transfer) -> str:
    """ "200.00 GBP to Kenya by mobile money, sent 3 Nov" """
    return (
        f"{_amount(transfer.send_amount)} {transfer.send_currency} to {transfer.receive_country} "
        f"by {METHODS.get(transfer.delivery_method, transfer.delivery_method)}, "
        f"sent {transfer.created_at:%-d %b}"
    )


def spoken(transfer: Transfer) -> str:
    return (
        f"{_spoken_amount(transfer.send_amount, transfer.send_currency)} to {transfer.receive_country} "
        f"on the {_ordinal(transfer.created_at.day)} of {transfer.created_at:%B}"
    )


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _sentence(fragment: str) -> str:
    fragment = fragment.strip().rstrip(".")
    return fragment[:1].upper() + fragment[1:] + "." if fragment else ""


def status_reply(report: StatusReport) -> Reply:
    """The answer first (where it is, since when, what happens now), then the timeline."""
    transfer = report.transfer
    steps = "\n".join(f"- {e.at:%-d %b %H:%M} UTC: {e.text}" for e in report.timeline)
    since = f"{report.now_at:%-d %B at %H:%M} UTC"
    chat = (
        f"{_sentence(report.now_text)[:-1]} ({since}). {_sentence(report.next_text)}\n\n"
        f"Transfer **{transfer.reference}** ({describe(transfer)}):\n\n{steps}"
    )
    voice = (
        f"Your transfer of {spoken(transfer)}: {report.now_text}, on the {_ordinal(report.now_at.day)} of "
        f"{report.now_at:%B}. {_sentence(report.next_text)}"
    )
    if report.overdue:
        chat += "\n\nI'm passing it to an agent now to chase it."
        voice += " I'm passing it to an agent now to chase it."
    elif report.reason == "compliance_review_over_48h":  # a late refund's own sentence already says it
        chat += "\n\nThe check has taken longer than 48 hours, so I'm passing it to an agent."
        voice += " The check has taken longer than 48 hours, so I'm passing it to an agent."
    return Reply(chat, voice)


def cancel_question(transfer: Transfer) -> Reply:
    return Reply(
        f"Do you want me to cancel transfer **{transfer.reference}** ({describe(transfer)})?",
        f"Do you want me to cancel your transfer of {spoken(transfer)}? Say yes or no.",
    )


def cancel_reply(reference: str, result: CancelResult) -> Reply:
    if result.cancelled:
        text = f"Done: transfer {reference} is {result.text}."
        return Reply(text, f"Done, your transfer is {_strip_reference(result.text)}.")
    text = f"I haven't cancelled transfer {reference}: {result.text}."
    return Reply(text, f"I haven't cancelled it: {result.text}.")


def _strip_reference(text: str) -> str:
    return text.replace("**", "")


def refund_reply(reference: str, result: RefundStatus) -> Reply:
    return Reply(f"Transfer {reference}: {_sentence(result.text)}", _sentence(result.text))


def correction_reply(reference: str, result: CorrectionResult) -> Reply:
    if result.changed:
        return Reply(
            f"Done: {result.text} on transfer {reference}.",
            f"Done, {result.text}.",
        )
    return Reply(
        f"I couldn't change transfer {reference}: {result.text}.",
        f"I couldn't change it: {result.text}.",
    )


def choices(transfers: Sequence[Transfer]) -> List[Dict[str, str]]:
    """The customer's recent transfers as choices: id (the reference) and a title."""
    return [{"id": t.reference, "title": f"{t.reference}: {describe(t)}"} for t in transfers]


def choice_question(transfers: Sequence[Transfer]) -> Reply:
    listed = "; ".join(f"{i}, {spoken(t)}" for i, t in enumerate(transfers, 1))
    return Reply(
        "Which transfer is it about?",
        f"Which transfer is it about? {listed}. You can say the number, or the reference.",
    )


def handoff_reason(service_reason: Optional[str]) -> str:
    return HANDOFF_REASONS.get(service_reason or "", "agent_requested")


def transfer_facts(transfer: Transfer) -> Dict[str, object]:
    """The handoff case's ``transfer`` block (JSON-safe, so it can live in a slot)."""
    return {
        "reference": transfer.reference,
        "status": transfer.status,
        "amount": str(transfer.send_amount),
        "currency": transfer.send_currency,
        "country": transfer.receive_country,
        "method": transfer.delivery_method,
        "promised_by": iso(transfer.promised_by),
    }
