"""Shared handoff test data: a conversation full of sensitive details, and cases built from it."""

from __future__ import annotations

import re
import socket
from typing import Any, Dict, List

from frontdoor.handoff.case import Customer, build_case

DOB = "14/02/1987"
POSTCODE = "SW1A 1AA"
CARD = "4539148803436467"
PHONE = "07700900123"
OTP = "482913"
SENSITIVE = [DOB, "1987", POSTCODE, POSTCODE.replace(" ", ""), CARD, "4539 1488 0343 6467", PHONE, "07700 900123", OTP]
"""Strings that must never appear in a payload, a page or a log."""


def leaked(text: str) -> List[str]:
    """The sensitive values found in ``text`` as whole tokens (so a random UUID cannot match "1987")."""
    return [v for v in SENSITIVE if re.search(rf"(?<![0-9A-Za-z]){re.escape(v)}(?![0-9A-Za-z])", text)]


def sensitive_events() -> List[Dict[str, Any]]:
    """A fraud conversation where the customer volunteers every kind of sensitive value."""

    def user(text: str, intent: str, entities: List[Dict[str, Any]]) -> Dict[str, Any]:
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": entities}}

    return [
        user(
            "Someone stole 300 pounds with my card 4539 1488 0343 6467 on transfer ZS40318822!",
            "fraud_report",
            [{"entity": "transfer_reference", "value": "ZS40318822"}, {"entity": "amount", "value": "300"}],
        ),
        {"event": "bot", "text": "I'm sorry. To check it's you, what is your date of birth?"},
        user(f"{DOB}, postcode {POSTCODE}, phone 07700 900123", "inform", []),
        {"event": "bot", "text": "Thanks. Did you share a code with anyone?"},
        user(f"yes I read them the code {OTP}", "affirm", []),
        {"event": "action", "name": "action_handle_reason"},
    ]


def sample_case(conversation_id: str = "conv-1", **overrides: Any) -> Dict[str, Any]:
    arguments: Dict[str, Any] = {
        "conversation_id": conversation_id,
        "handoff_reason": "handoff_topic",
        "customer": Customer("C000042", True, "knowledge_check"),
    }
    arguments.update(overrides)
    return build_case(sensitive_events(), **arguments)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
