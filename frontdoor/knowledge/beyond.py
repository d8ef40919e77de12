"""Questions no article can answer, however close its topic: the handbook holds neither of these.

- Another company's prices or service ("what does Remitly charge?", "are you cheaper than Wise?"): a fee
  article would answer with ZuriSend's fees as if they were the comparison.
- ZuriSend's own identifiers ("what's your IBAN?", "what's your phone number?"): the handbook gives no
  phone numbers, addresses, bank details or registration numbers (knowledge/README.md), so the payment
  methods or contact hours article would answer a different question.
- Sending things that are not money ("can I send a parcel to Lagos?"): the country page would answer as if
  it were a transfer.
"""

from __future__ import annotations

import re

COMPETITORS = (
    "western union", "moneygram", "money gram", "remitly", "worldremit", "world remit", "wise", "transferwise",
    "sendwave", "send wave", "xoom", "ria money transfer", "azimo", "taptap send", "taptapsend", "lemfi",
    "paysend", "small world",
)
"""Money-transfer companies customers compare ZuriSend with (not reference rates such as Google's or XE's,
which the rate-margin article does answer)."""
_NAMES = "(?:" + "|".join(re.escape(name) for name in COMPETITORS) + ")"
_COMPETITOR = re.compile(
    rf"\b(?:than|vs\.?|versus|compared? (?:to|with)|or)\s+{_NAMES}\b"
    rf"|\b{_NAMES}(?:'s)?\s+(?:charge|charges|fee|fees|rate|rates|cost|costs|take|takes|is|are|does|do|give|gives|"
    rf"offer|offers)\b"
    rf"|\b(?:does|do|is|would|did|can)\s+{_NAMES}\b",
    re.IGNORECASE,
)
"""The other company is what is asked about ("what does Remitly charge?", "cheaper than Western Union?"),
not a mention ("I used to use Western Union; what's your fee for 200 pounds?")."""
_YOUR = r"(?:your|ur|zuri ?send'?s|zurisend|zuri send|the company'?s|you guys'?)"
_IDENTIFIER = re.compile(
    rf"\b{_YOUR}\s+(?:\w+\s+){{0,2}}(?:phone|telephone|contact|customer service|whatsapp)\s+(?:number|no)\b"
    rf"|\b{_YOUR}\s+(?:\w+\s+){{0,2}}(?:e-?mail|email address|postal address|address|head office|office address)\b"
    rf"|\b{_YOUR}\s+(?:\w+\s+){{0,2}}(?:iban|sort code|swift|bic|bank details|account number|routing number)\b"
    rf"|\b{_YOUR}\s+(?:\w+\s+){{0,2}}(?:registration|licen[cs]e|firm reference|company)\s+number\b"
    r"|\b(?:the|an?)\s+(?:e-?mail|email address|phone number|number|address)\s+(?:to|for)\s+(?:contact|call|ring|"
    r"reach|write to|email)\b"
    r"|\b(?:iban|sort code|swift code|bic code|routing number)\b.{0,30}\b(?:pay|send|transfer)\s+(?:you|zuri ?send)\b",
    re.IGNORECASE,
)


_GOODS = re.compile(
    r"\b(?:send|sending|ship|shipping|post|posting|deliver)\s+(?:a|an|some|my|the|our)?\s*(?:\w+\s+)?"
    r"(?:parcels?|packages?|boxe?s|letters?|goods|items|clothes|food|gifts?|presents?|furniture)\b(?! cards?)",
    re.IGNORECASE,
)


def beyond_the_handbook(question: str) -> bool:
    """True for a question about another company, one of ZuriSend's own identifiers, or sending goods."""
    return bool(_COMPETITOR.search(question) or _IDENTIFIER.search(question) or _GOODS.search(question))
