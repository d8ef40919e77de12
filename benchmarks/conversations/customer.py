"""The rule-based customer: reads each bot turn and answers like a cooperative person following one persona.

``next_message`` is pure (state in, message out) so it can be unit-tested on
scripted bot turns; ``converse`` drives it over HTTP with the transport of
``benchmarks.simulate`` (REST channel or voice webhook). Bounded: at most
``MAX_TURNS`` customer messages per conversation.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from benchmarks.conversations import spoken
from benchmarks.conversations.personas import Persona, load_templates
from benchmarks.simulate import Customer

MAX_TURNS = 14
_ASK = {
    "name": re.compile(r"full name", re.I),
    "dob": re.compile(r"date of birth", re.I),
    "postcode": re.compile(r"postcode", re.I),
}
_HANDOFF = re.compile(r"connecting you with an agent|putting you through to an agent|case reference", re.I)
_RATING = re.compile(r"how would you rate|rate this", re.I)
_GOODBYE = re.compile(r"\bgoodbye\b", re.I)
_WHICH = re.compile(r"which transfer", re.I)
_CONFIRM_CANCEL = re.compile(r"do you want me to cancel", re.I)
_NEW_RECIPIENT = re.compile(r"what should the recipient", re.I)
_KYC = re.compile(r"already failed", re.I)
_HELPFUL = re.compile(r"did that (answer|help)", re.I)
_AGENT_OFFER = re.compile(
    r"(would you like|shall i|do you want|want me to|like me to)\b[^.?]{0,60}"
    r"(agent|person|someone|put you through|connect)"
    r"|would you like an agent|would you like that\?", re.I)
_CALLBACK = re.compile(r"(call you back|callback)[^.]*\?", re.I)
_CLARIFY = re.compile(r"did you mean", re.I)
_REPHRASE = re.compile(
    r"rephrase|other words|another way|didn't (quite )?(understand|get|catch)|not sure (i|what)", re.I)
_ANYTHING_ELSE = re.compile(r"anything else", re.I)


@dataclass
class State:
    persona: Persona
    rng: random.Random
    follow_ups: List[str] = field(default_factory=list)
    rephrases: List[str] = field(default_factory=list)
    refused: bool = False
    said_bye: int = 0  # 1 after "that's all, thanks", 2 after a last "bye"
    explained: bool = False
    rated: bool = False
    done: bool = False
    handoff_turn: Optional[int] = None
    turns: int = 0

    @classmethod
    def start(cls, persona: Persona, seed: int) -> State:
        return cls(persona, random.Random(f"{seed}-{persona.id}"), [f.text for f in persona.follow_ups],
                   list(persona.rephrases))


def _texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [str(r.get("text") or "") for r in replies if r.get("text")]


def is_handoff(replies: List[Dict[str, Any]]) -> bool:
    flagged = any(r.get("handoff") or {"handoff", "case_reference"} & set(r.get("custom") or {}) for r in replies)
    return flagged or any(_HANDOFF.search(t) for t in _texts(replies))


def _closing(state: State, key: str) -> str:
    words = load_templates()["closing"]
    options = words.get(f"{key}_voice", words[key]) if state.persona.channel == "voice" else words[key]
    return str(state.rng.choice(options))


def _identity_answer(state: State, detail: str) -> str:
    who = state.persona.identity
    assert who is not None
    voice = state.persona.channel == "voice"
    if detail == "name":
        return who.name.lower() if voice else who.name
    if detail == "dob":
        return spoken.date(who.dob) if voice else who.dob.strftime("%d/%m/%Y")
    return spoken.spell(who.postcode) if voice else who.postcode


def _pick_transfer(state: State, replies: List[Dict[str, Any]]) -> str:
    who = state.persona.identity
    reference = who.reference if who else ""
    for r in replies:
        for button in r.get("buttons") or []:
            if reference and reference in f"{button.get('title', '')} {button.get('payload', '')}":
                return str(button["payload"])
    return spoken.reference(reference) if state.persona.channel == "voice" else reference


def _clarify_choice(state: State, replies: List[Dict[str, Any]], last: str) -> str:
    """The option sharing most words with what the customer asked; the first one otherwise."""
    asked = set(re.findall(r"\w+", state.persona.opening.lower()))
    buttons = [b for r in replies for b in r.get("buttons") or [] if b.get("payload")]
    if buttons:
        best = max(buttons, key=lambda b: len(asked & set(re.findall(r"\w+", str(b.get("title", "")).lower()))))
        return str(best["payload"])
    options = re.split(r",? or ", last.split("mean", 1)[-1].strip(" ?"))
    best_text = max(options, key=lambda o: len(asked & set(re.findall(r"\w+", o.lower()))))
    return best_text.strip(" ?.,")


def next_message(state: State, replies: List[Dict[str, Any]]) -> Optional[str]:
    """What the customer says next, or None when the conversation is over."""
    p = state.persona
    texts = _texts(replies)
    last = texts[-1] if texts else ""
    if state.done or state.turns >= MAX_TURNS:
        return None
    if is_handoff(replies):
        state.handoff_turn = state.handoff_turn or state.turns
        return None
    if _GOODBYE.search(" ".join(texts)) and not _RATING.search(last) or state.rated:
        return None
    if _RATING.search(last):
        state.rated = True
        return _closing(state, "ratings")
    for detail, pattern in _ASK.items():
        if pattern.search(last) and p.identity is not None and not (p.refuses_identity and state.refused):
            if p.refuses_identity:
                state.refused = True
                return str(state.rng.choice(load_templates()["refuse_identity"][p.channel]))
            return _identity_answer(state, detail)
        if pattern.search(last) and p.identity is None and not state.explained:
            state.explained = True  # a general question: the customer says so once
            return str(state.rng.choice(load_templates()["closing"][f"general_{p.channel}"]))
    if _WHICH.search(last):
        return _pick_transfer(state, replies)
    if _CONFIRM_CANCEL.search(last):
        return _closing(state, "accept")
    if _NEW_RECIPIENT.search(last):
        return str(state.rng.choice(load_templates()["closing"]["new_name"]))
    if _KYC.search(last):
        return "no" if p.channel == "voice" else "No"
    if _HELPFUL.search(last):
        return _closing(state, "accept")
    if _CALLBACK.search(last):  # phone lines closed: a customer who needs a person takes the callback
        return _closing(state, "accept" if p.wants_agent or p.expect_outcome == "handed_off" else "no_agent")
    if _AGENT_OFFER.search(last):
        return _closing(state, "accept" if p.wants_agent else "no_agent")
    if _CLARIFY.search(last):
        return _clarify_choice(state, replies, last)
    if _REPHRASE.search(last) and state.rephrases:
        return state.rephrases.pop(0)
    if state.follow_ups:
        return state.follow_ups.pop(0)
    state.said_bye += 1
    if state.said_bye == 1:
        return _closing(state, "thanks")
    return "bye" if state.said_bye == 2 else None


async def converse(client: Customer, persona: Persona, seed: int) -> Tuple[List[Tuple[str, str]], State]:
    """One whole conversation; returns the transcript (speaker, text) and the final state."""
    client.sender = f"conv-{persona.id}-{uuid.uuid4().hex[:6]}"
    state = State.start(persona, seed)
    transcript: List[Tuple[str, str]] = []
    message: Optional[str] = "hi" if persona.greet else persona.opening
    opened = not persona.greet
    while message is not None and state.turns < MAX_TURNS:
        state.turns += 1
        transcript.append(("customer", message))
        replies = await client.say(message)
        transcript.extend(("bot", t) for t in _texts(replies))
        if not opened:
            opened, message = True, persona.opening
            state.turns -= 1  # the greeting does not count towards "handed off at once"
            continue
        message = next_message(state, replies)
    return transcript, state
