"""Replies about a transfer on chat and voice, and the service's reasons mapped to handoff reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdoor.handoff.case import HANDOFF_REASONS
from frontdoor.transfers import replies
from frontdoor.transfers.service import CancelResult, Refund, StatusEvent, StatusReport, Transfer

UTC = dt.timezone.utc
TRANSFER = Transfer(
    reference="ZS40318822", customer_id="en.GB.1", created_at=dt.datetime(2026, 11, 3, 9, 30, tzinfo=UTC),
    send_currency="GBP", send_amount=Decimal("200.00"), fee=Decimal("1.99"), receive_country="Kenya",
    receive_currency="KES", receive_amount=Decimal("33000"), delivery_method="mobile_money",
    payout_partner="M-Pesa", recipient_name="Grace Achieng", recipient_phone="+254700000123",
    payment_method="debit_card", status="sent_to_partner", promised_by=dt.datetime(2026, 11, 3, 9, 40, tzinfo=UTC),
)


def report(overdue: bool) -> StatusReport:
    timeline = (StatusEvent("created", TRANSFER.created_at, "you confirmed it"),)
    return StatusReport(TRANSFER, timeline, "it was passed to the payout partner, M-Pesa", TRANSFER.created_at,
                        "it should arrive soon", overdue, overdue, "transfer_not_received" if overdue else None)


def test_status_leads_with_the_answer_then_lists_the_timeline() -> None:
    reply = replies.status_reply(report(False))
    assert reply.chat.startswith("It was passed to the payout partner, M-Pesa (3 November at 09:30 UTC). "
                                 "It should arrive soon.")
    assert "**ZS40318822**" in reply.chat and "- 3 Nov 09:30 UTC: you confirmed it" in reply.chat
    assert reply.voice.startswith("Your transfer of 200 pounds to Kenya on the 3rd of November: it was passed")
    assert "*" not in reply.voice and "ZS" not in reply.voice
    assert "agent now to chase it" in replies.status_reply(report(True)).voice


def test_cancel_replies() -> None:
    refund = Refund("debit_card", Decimal("201.99"), "GBP", 3, 5, "201.99 GBP goes back to your debit card")
    done = replies.cancel_reply("ZS40318822", CancelResult(True, "cancelled", refund, "cancelled free of charge",
                                                           False, None))
    assert done.chat == "Done: transfer ZS40318822 is cancelled free of charge."
    refused = replies.cancel_reply("ZS40318822", CancelResult(False, "delivered", None, "it was delivered", True,
                                                              "recall_request"))
    assert refused.chat.startswith("I haven't cancelled transfer ZS40318822")
    assert "Say yes or no" in replies.cancel_question(TRANSFER).voice


def test_every_service_reason_maps_to_a_schema_handoff_reason() -> None:
    assert set(replies.HANDOFF_REASONS.values()) <= set(HANDOFF_REASONS)
    assert replies.handoff_reason(None) == "agent_requested"
    assert replies.handoff_reason("refund_overdue") == "refund_overdue"  # a late refund is no "agent_requested"
    assert replies.handoff_reason("transfer_not_received") == "overdue_transfer"


def test_transfer_facts_fit_the_case_schema_and_choices_name_the_reference() -> None:
    facts = replies.transfer_facts(TRANSFER)
    assert facts["promised_by"] == "2026-11-03T09:40:00.000Z" and facts["amount"] == "200.00"
    [choice] = replies.choices([TRANSFER])
    assert choice["id"] == "ZS40318822" and choice["title"].startswith("ZS40318822: 200.00 GBP to Kenya")
    assert "1, 200 pounds to Kenya" in replies.choice_question([TRANSFER]).voice
