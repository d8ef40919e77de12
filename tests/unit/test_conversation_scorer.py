"""The conversation scorer and the rule-based customer on scripted transcripts: both can fail a conversation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from benchmarks.conversations.customer import State, next_message
from benchmarks.conversations.personas import Identity, Persona, generate, secrets_never
from benchmarks.conversations.scorer import Observation, observe_tracker, score
from benchmarks.kb_e2e import asked_amount, judge

DOB = dt.date(1909, 8, 11)


def own_transfer() -> Persona:
    from benchmarks.conversations.demo import Profile

    profile = Profile("en.GB.0", "Teresa", "Smith", DOB, "JE0X 5SB")
    return Persona(
        id="chat-transfer_status-x", channel="chat", reason="transfer_status", kind="own_transfer",
        opening="where is ZS41230300", expect_outcome="contained", expect_verified=True, say=("delivered",),
        never=secrets_never(profile), identity=Identity("Teresa Smith", DOB, "JE0X 5SB", "ZS41230300"),
        identity_allowed=True,
    )


def good_transcript() -> list[tuple[str, str]]:
    return [("customer", "where is ZS41230300"), ("bot", "What's your full name?"), ("customer", "Teresa Smith"),
            ("bot", "Thanks, that's you verified. Transfer ZS41230300 was delivered on 22 Aug.")]


def test_a_clean_verified_status_conversation_passes() -> None:
    verdict = score(own_transfer(), Observation(good_transcript(), verified=True, identity_asked=True))
    assert verdict.passed, verdict.reasons


def test_a_reply_that_leaks_the_date_of_birth_or_postcode_fails() -> None:
    for leak in ("We have you as born 11/08/1909.", "Your date of birth is 11 August 1909.", "Postcode JE0X5SB?"):
        transcript = [*good_transcript(), ("bot", leak)]
        verdict = score(own_transfer(), Observation(transcript, verified=True, identity_asked=True))
        assert not verdict.passed and "must not" in verdict.reasons[0], leak


def test_wrong_outcome_category_verification_and_missing_facts_each_fail() -> None:
    persona = own_transfer()
    unverified = score(persona, Observation(good_transcript(), verified=False))
    assert unverified.reasons == ("never verified the customer",)
    handed = score(persona, Observation(good_transcript(), verified=True, cases=[
        {"category": "transfer_status", "handoff_reason": "overdue_transfer"}]))
    assert any("handed off" in r for r in handed.reasons)
    silent = score(persona, Observation(good_transcript()[:2], verified=True))
    assert any("never said /delivered/" in r for r in silent.reasons)
    fraud = replace(persona, reason="fraud_report", expect_outcome="handed_off", expect_verified=False,
                    identity_allowed=False, handoff_within=1, say=())
    wrong = score(fraud, Observation(good_transcript(), identity_asked=True, handoff_turn=3,
                                     cases=[{"category": "request_human"}]))
    assert {"case category request_human, expected fraud_report",
            "handed off only at customer turn 3, expected at once",
            "asked for an identity check on a question that needs none"} <= set(wrong.reasons)


def test_a_wrong_fee_cell_fails_the_voice_ghana_persona() -> None:
    persona = next(p for p in generate(2026) if p.opening == "how much to send two hundred pounds to ghana")
    persona = replace(persona, follow_ups=())
    right = [("customer", persona.opening), ("bot", "Sending 200 GBP costs 1.99 GBP.")]
    assert score(persona, Observation(right)).passed
    table = [("customer", persona.opening), ("bot", "Up to 500: 1.99 GBP, 2.99 USD, 3.49 CAD.")]
    assert not score(persona, Observation(table)).passed


def test_the_tracker_gives_verified_identity_form_and_case() -> None:
    tracker = {"slots": {"verified": True, "handoff_case": "ABC-123"},
               "events": [{"event": "active_loop", "name": "identity_form"}]}
    assert observe_tracker(tracker) == {"verified": True, "identity_asked": True, "handoff_slot": "ABC-123"}
    assert observe_tracker({"slots": {}, "events": []})["verified"] is False


def test_the_customer_answers_the_identity_questions_and_picks_the_transfer() -> None:
    state = State.start(own_transfer(), 1)
    assert next_message(state, [{"text": "I need to check it's you."}, {"text": "What's your full name?"}]) == \
        "Teresa Smith"
    assert next_message(state, [{"text": "And your date of birth?"}]) == "11/08/1909"
    assert next_message(state, [{"text": "And the postcode of your home address?"}]) == "JE0X 5SB"
    buttons = [{"title": "ZS41230300: 662.92 GBP to Ghana", "payload": '/inform{"transfer_reference": "ZS41230300"}'}]
    assert next_message(state, [{"text": "Which transfer is it about?", "buttons": buttons}]) == buttons[0]["payload"]
    assert next_message(state, [{"text": "I'm connecting you with an agent now."}]) is None
    voice = State.start(replace(own_transfer(), channel="voice"), 1)
    assert next_message(voice, [{"text": "And your date of birth?"}]) == "the eleventh of august nineteen oh nine"
    assert next_message(voice, [{"text": "And the postcode?"}]) == "j e zero x five s b"


def test_a_refusing_customer_declines_once_then_asks_the_general_question() -> None:
    persona = next(p for p in generate(2026) if p.kind == "refuse_identity" and p.channel == "chat")
    state = State.start(persona, 1)
    refusal = next_message(state, [{"text": "What's your full name?"}])
    assert refusal and persona.identity and persona.identity.name not in refusal
    assert next_message(state, [{"text": "Without checking it's you I can't. Would you like an agent?"}]) in (
        "no thanks, not right now", "no, that's fine")
    assert next_message(state, [{"text": "Is there anything else I can help with?"}]) == persona.follow_ups[0].text


def test_out_of_phone_hours_a_customer_who_needs_an_agent_takes_the_callback() -> None:
    offer = [{"text": "Our phone agents are available from 8 am to 10 pm UK time. Would you like a callback? "
                      "Say yes or no."}]
    complaint = next(p for p in generate(2026) if p.reason == "complaint" and p.channel == "voice")
    reply = next_message(State.start(complaint, 1), offer)
    question = next(p for p in generate(2026) if p.expect_outcome == "contained" and p.channel == "voice")
    assert reply and reply.split()[0] in ("yes", "yeah", "sure", "ok", "okay", "please")
    assert next_message(State.start(question, 1), offer) != reply
    assert next_message(State.start(complaint, 1), [{"text": "Booked.", "custom": {"case_reference": "ZC-1"}}]) is None


def test_kb_replies_are_judged_on_the_cell_and_on_declining() -> None:
    assert asked_amount("how much to send twelve hundred dollars") is not None
    assert asked_amount("fee for 10000 USD pls") == (10000, "USD")
    assert judge("fee for £200?", ["fees-by-amount"], "The fee is 1.99 GBP.", False).answered
    assert not judge("fee for £200?", ["fees-by-amount"], "Fees: 1.99 GBP, 2.99 GBP over 500.", False).answered
    assert not judge("fee for £200?", ["fees-by-amount"], "First I need to check it's you.", False).answered
    decline = "I'm sorry, I don't have a reliable answer to that, and I'd rather not guess."
    assert judge("do you do loans", [], decline, False).declined
    assert not judge("do you do loans", [], "Sure, loans start at 3.99.", False).declined
