"""What a question asks about a transfer, in a word: what it costs, or how soon it gets there.

"What do you take for sending 1,500 CAD to Kenya?" names a country, whose page
ranks high on it, but asks the fee; "how soon can my dad pick up the cash?"
names cash pickup, whose pages say where and how to collect, but asks the
delivery time. When the tables answer the cue for the customer's own
entities (the fee for that amount, the time for that method), that answer
is given, whatever article ranked first.
"""

from __future__ import annotations

import re

_COST = re.compile(
    r"\b(?:fees?|charges?|charging|costs?|costing|commission|price|pricing)\b"
    r"|\b(?:your|ur|the|zurisend'?s) cut\b"
    r"|\bwhat (?:do|would|will|does) (?:you|zurisend|zuri send)\s+(?:guys\s+)?(?:take|charge|want)\b"
    r"|\bhow much (?:do|would|will|does) (?:you|zurisend|zuri send|it)\s+(?:guys\s+)?(?:take|charge|cost)\b"
    r"|\bhow much (?:is it |would it be |will it be )?(?:to send|for sending|to transfer)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\bhow (?:long|soon|fast|quick|quickly)\b"
    r"|\bwhen (?:can|could|will|would|does|do|is)\b[^?.]{0,40}"
    r"\b(?:pick|collect|get|receive|arrive|land|ready|available|come|show)",
    re.IGNORECASE,
)
_LATE = re.compile(r"\b(?:late|overdue|delayed|still waiting|never arrived|hasn'?t arrived|not arrived)\b", re.I)
_KEPT = re.compile(
    r"\b(?:wait|waits|stay|stays|kept|keep|remain|left|uncollected|never collect|doesn'?t collect)", re.I
)
"""How long cash waits to be collected is another rule (30 days), not the delivery time."""
_OTHER_CLOCK = re.compile(
    r"\b(?:refunds?|refunded|money back|verif\w*|recall|reply|complain\w*|review|locked|reset|fund(?:ed|s)? the)\b",
    re.I,
)
"""Refunds, checks and complaints have their own timelines: "how long is a refund to my bank account"."""
_RECIPIENT_SIDE = re.compile(
    r"\b(?:charged|withdr[ae]w\w*|cash(?:ing)?[ -]?out|operator|their bank|his bank|her bank)", re.I
)
"""A fee the recipient's side took is not ZuriSend's fee table."""


def asks_cost(question: str) -> bool:
    """The question asks what sending costs ("whats your cut", "what do you charge", "fee for")."""
    return bool(_COST.search(question)) and not _RECIPIENT_SIDE.search(question)


def asks_delivery_time(question: str) -> bool:
    """The question asks how soon money arrives; not when it counts as late (the overdue rule)."""
    other = _LATE.search(question) or _KEPT.search(question) or _OTHER_CLOCK.search(question)
    return bool(_TIME.search(question)) and not other
