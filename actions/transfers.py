"""Verified requests about a transfer: adapts ``frontdoor.identity`` and ``frontdoor.transfers`` to Rasa.

Order of business: know who the customer is (a valid app token, a pass
earlier in the conversation, or the identity form), know which transfer
(a reference in the message, the only one, or "which transfer?"), then act.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.common import PENDING, alternatives, channel_of, set_pending, with_slots
from actions.handoff import hand_off_now
from actions.identity import FORM_SLOTS, STOPPED, text_before_check
from actions.knowledge import answer_from_knowledge
from frontdoor.database import get_engine
from frontdoor.dialogue.moves import asks_about_refund, is_question
from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.identity.collect import answers_from
from frontdoor.identity.refusal import only_asking_in_general
from frontdoor.identity.verifier import (
    CheckResult,
    Verifier,
    customer_for_reference,
    still_verified,
)
from frontdoor.knowledge.choice import choose
from frontdoor.transfers import replies
from frontdoor.transfers.service import (
    REFUND_STATUSES,
    TransferNotFound,
    cancel,
    correct_recipient,
    find_reference,
    get_transfer,
    recent_transfers,
    refund_status,
    status_report,
)

log = logging.getLogger(__name__)

REQUESTED = "requested_reason"
STEPS = (OpenQuestion.WHICH_TRANSFER, OpenQuestion.CANCEL_CONFIRM, OpenQuestion.RECIPIENT_FIX)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def verified_slots(result: CheckResult, how: str) -> List[Dict[str, Any]]:
    until = result.verified_until.isoformat() if result.verified_until else None
    return [
        SlotSet("verified", True),
        SlotSet("verified_how", how),
        SlotSet("customer_id", result.customer_id),
        SlotSet("verified_until", until),
    ]


def is_verified(tracker: Tracker) -> bool:
    until = tracker.get_slot("verified_until")
    if not tracker.get_slot("verified") or not until:
        return False
    try:
        return still_verified(dt.datetime.fromisoformat(until), _now())
    except ValueError:
        return False


def say(dispatcher: CollectingDispatcher, tracker: Tracker, reply: replies.Reply, **extra: Any) -> None:
    dispatcher.utter_message(text=reply.for_channel(channel_of(tracker)), **extra)


def start_request(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[Dict[str, Any]]:
    """A verified reason was asked for: act at once if the customer is known, else check who they are."""
    events: List[Dict[str, Any]] = [SlotSet(REQUESTED, reason)]
    heard = alternatives(tracker)
    reference = find_reference(heard)
    if reference:
        events.append(SlotSet("transfer_reference", reference))
    token = (tracker.latest_message.get("metadata") or {}).get("customer_token")
    verified = is_verified(tracker)
    if not verified and token:
        result = Verifier(get_engine()).check_token(tracker.sender_id, token, channel_of(tracker))
        if result is not None:
            events += verified_slots(result, "authenticated_channel")
            verified = True
    if verified:
        return events + act(dispatcher, with_slots(tracker, events))
    claimed = customer_for_reference(get_engine(), heard) if reference else None
    dispatcher.utter_message(response="utter_identity_intro")
    return events + [
        SlotSet("claimed_customer", claimed),
        SlotSet("identity_outcome", None),
        FollowupAction("identity_form"),
    ]


def keep_helping(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """The customer declined the check: say what can't be done without it, then answer the question
    that led to it as a general one (handbook 13 forbids only the customer's own data), and hand off
    only if they ask."""
    dispatcher.utter_message(response="utter_identity_refused")
    question = text_before_check(tracker)
    if question and (is_question(question) or only_asking_in_general(tracker.latest_message.get("text") or "")):
        topic = tracker.get_slot(REQUESTED)
        # Quietly: "any update on ZS26742930?" has no general answer, and an apology for one would
        # contradict the offer just made to answer general questions.
        return answer_from_knowledge(dispatcher, tracker, question=question, intent=topic, confident_reason=topic,
                                     quiet_decline=True)
    dispatcher.utter_message(response="utter_anything_else")
    return set_pending(OpenQuestion.ANYTHING_ELSE)


def run_check(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """The form is complete: check the details, then carry on, try again, or hand off unverified."""
    details = {detail: tracker.get_slot(slot) for detail, slot in FORM_SLOTS.items()}
    cleared = [SlotSet(slot, None) for slot in FORM_SLOTS.values()]
    verifier = Verifier(get_engine())
    result = verifier.check(
        tracker.sender_id, answers_from(details), tracker.get_slot("claimed_customer"), channel_of(tracker)
    )
    failures = verifier.max_attempts - result.attempts_left
    events = [*cleared, SlotSet("identity_failures", float(failures))]
    if result.passed:
        dispatcher.utter_message(response="utter_identity_passed")
        passed = verified_slots(result, "knowledge_check")
        return events + passed + act(dispatcher, with_slots(tracker, events + passed))
    if result.needs_agent:
        dispatcher.utter_message(response="utter_identity_failed_final")
        return events + _hand_off(dispatcher, tracker, "identity_check_failed", identity_failures=float(failures))
    dispatcher.utter_message(response="utter_identity_failed")
    return events + [FollowupAction("identity_form")]


def _hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, category: Optional[str] = None, **slots: Any
) -> List[Dict[str, Any]]:
    """Hand off with what this turn learnt (failures, the transfer) already in the slots the case reads."""
    return [SlotSet(k, v) for k, v in slots.items()] + hand_off_now(
        dispatcher, with_slots(tracker, **slots), reason, category or tracker.get_slot(REQUESTED)
    )


def which_transfer(
    dispatcher: CollectingDispatcher, tracker: Tracker, customer_id: str
) -> Tuple[Optional[str], List[Dict[str, str]]]:
    """The reference to act on; or None and the transfers offered after asking "which one?"."""
    reference = tracker.get_slot("transfer_reference")
    if reference:
        return str(reference), []
    offered = tracker.get_slot("transfer_choices") or []
    if offered and tracker.get_slot(PENDING) == OpenQuestion.WHICH_TRANSFER:
        said = " ".join(alternatives(tracker))
        picked = find_reference([said]) or choose(said, [c["id"] for c in offered], [c["title"] for c in offered])
        if picked:
            return picked, []
    recent = recent_transfers(get_engine(), customer_id, limit=4)
    if not recent:
        dispatcher.utter_message(response="utter_no_transfers")
        return None, []
    if len(recent) == 1:
        return recent[0].reference, []
    offered = replies.choices(recent)
    buttons = [{"title": c["title"], "payload": f'/inform{{"transfer_reference": "{c["id"]}"}}'} for c in offered]
    say(dispatcher, tracker, replies.choice_question(recent), buttons=buttons)
    return None, offered


def act(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """Carry out the requested reason for the verified customer; a database error hands off as ``backend_error``.

    ``tracker`` already holds what this turn learnt (a passed check), so the case says who the customer is.
    """
    try:
        return _act(dispatcher, tracker)
    except SQLAlchemyError:
        return _backend_error(dispatcher, tracker)


def _backend_error(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    log.exception("frontdoor.transfers.database_error sender=%s", tracker.sender_id)
    dispatcher.utter_message(response="utter_handoff_backend_error")
    return hand_off_now(dispatcher, tracker, "backend_error", tracker.get_slot(REQUESTED))


def _act(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    reason = tracker.get_slot(REQUESTED)
    customer_id = tracker.get_slot("customer_id")
    engine = get_engine()
    reference, offered = which_transfer(dispatcher, tracker, customer_id)
    if reference is None:
        asked = OpenQuestion.WHICH_TRANSFER if offered else None
        return [SlotSet(PENDING, asked), SlotSet("transfer_choices", offered or None)]
    try:
        transfer = get_transfer(engine, customer_id, reference)
    except TransferNotFound:
        dispatcher.utter_message(response="utter_transfer_not_found", reference=reference)
        return [SlotSet("transfer_reference", None), SlotSet(PENDING, None)]
    facts = replies.transfer_facts(transfer)
    events: List[Dict[str, Any]] = [
        SlotSet("transfer_reference", reference),
        SlotSet("transfer", facts),
        SlotSet("transfer_choices", None),
        SlotSet(PENDING, None),
    ]
    if reason == "cancel_transfer":
        say(dispatcher, tracker, replies.cancel_question(transfer),
            buttons=[{"title": "Yes, cancel it", "payload": "/affirm"}, {"title": "No, keep it", "payload": "/deny"}])
        return events + [SlotSet(PENDING, OpenQuestion.CANCEL_CONFIRM)]
    request_text = f"{text_before_check(tracker)} {tracker.latest_message.get('text') or ''}"
    if reason == "refund_status" or transfer.status in REFUND_STATUSES and asks_about_refund(request_text):
        result = refund_status(engine, customer_id, reference)
        say(dispatcher, tracker, replies.refund_reply(reference, result))
        if result.needs_agent:
            return events + _hand_off(dispatcher, tracker, replies.handoff_reason(result.reason), "refund_status",
                                      transfer=facts)
        return events
    if reason == "change_recipient_details":
        dispatcher.utter_message(response="utter_ask_recipient_fix")
        return events + [SlotSet(PENDING, OpenQuestion.RECIPIENT_FIX)]
    report = status_report(engine, customer_id, reference)
    say(dispatcher, tracker, replies.status_reply(report))
    if report.needs_agent:
        category = "transfer_not_received" if report.overdue else None
        return events + _hand_off(dispatcher, tracker, replies.handoff_reason(report.reason), category, transfer=facts)
    return events


def confirm_cancel(dispatcher: CollectingDispatcher, tracker: Tracker, confirmed: bool) -> List[Dict[str, Any]]:
    if not confirmed:
        dispatcher.utter_message(response="utter_cancel_kept")
        return [SlotSet(PENDING, None)]
    reference = tracker.get_slot("transfer_reference")
    result = cancel(get_engine(), tracker.get_slot("customer_id"), reference)
    say(dispatcher, tracker, replies.cancel_reply(reference, result))
    events: List[Dict[str, Any]] = [SlotSet(PENDING, None)]
    if result.cancelled:
        facts = dict(tracker.get_slot("transfer") or {}, status="cancelled")
        return events + [SlotSet("transfer", facts)]
    if result.needs_agent:
        return events + _hand_off(dispatcher, tracker, replies.handoff_reason(result.reason))
    return events


def fix_recipient(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    text = (tracker.latest_message.get("text") or "").strip()
    digits = "".join(c for c in text if c.isdigit() or c == "+")
    phone = digits if sum(c.isdigit() for c in digits) >= 7 else None
    reference = tracker.get_slot("transfer_reference")
    try:
        result = correct_recipient(get_engine(), tracker.get_slot("customer_id"), reference,
                                   name=None if phone else text, phone=phone)
    except ValueError:
        dispatcher.utter_message(response="utter_ask_recipient_fix")
        return []
    say(dispatcher, tracker, replies.correction_reply(reference, result))
    if result.needs_agent:
        return [SlotSet(PENDING, None)] + _hand_off(dispatcher, tracker, replies.handoff_reason(result.reason))
    return [SlotSet(PENDING, None)]


def continue_step(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """The customer answered a transfer step the bot asked about (which transfer, the corrected details)."""
    step = tracker.get_slot(PENDING)
    if not is_verified(tracker):
        return start_request(dispatcher, tracker, tracker.get_slot(REQUESTED) or "transfer_status")
    if step == OpenQuestion.RECIPIENT_FIX:
        return fix_recipient(dispatcher, tracker)
    return act(dispatcher, tracker)


class ActionTransferRequest(Action):
    """Runs after the identity form, and whenever the customer is already verified."""

    def name(self) -> str:
        return "action_transfer_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        try:
            outcome = tracker.get_slot("identity_outcome")
            if outcome == "handoff":
                return [SlotSet("identity_outcome", None)] + hand_off_now(dispatcher, tracker, "handoff_topic")
            if outcome == "refused" or tracker.get_slot("id_name") == STOPPED:
                cleared = [SlotSet(s, None) for s in FORM_SLOTS.values()] + [SlotSet("identity_outcome", None)]
                return cleared + keep_helping(dispatcher, tracker)
            if not is_verified(tracker):
                return run_check(dispatcher, tracker)
            return act(dispatcher, tracker)
        except SQLAlchemyError:
            return _backend_error(dispatcher, tracker)
