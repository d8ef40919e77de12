"""Answer, act or hand off: the first decision of a turn once the contact reason is known.

The topic alone does not decide it. "Can I stop a payment before it reaches
the partner?" is a cancellation question the handbook answers for anyone;
"cancel ZS12345678" is a request to act on one customer's transfer. A bot that
routes by topic sends the first to the identity check. Likewise a customer who
*reports* fraud goes to the fraud team at once (handbook 18), while one who
*asks* how to spot a scam gets the warning signs.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from frontdoor.knowledge.cities import CITIES
from frontdoor.knowledge.slots import world_countries
from frontdoor.taxonomy import Reason


class Move(str, enum.Enum):
    ANSWER = "answer"
    """Answer from the knowledge base (then offer to act, for a transactional topic)."""
    ACT = "act"
    """Check who the customer is, then act on their transfer or account."""
    HAND_OFF = "hand_off"
    """Put the customer through to a person."""


OWN_ENTITIES = frozenset({"transfer_reference", "person", "amount"})
"""Entities that point at one customer's own transfer: its reference, the recipient, the amount sent."""

_QUESTION = re.compile(
    r"\?\s*$|^\s*(?:how|what|what's|whats|when|which|why|where|who|is|are|can|could|do|does|did|will|would|should|"
    r"shall|may|might|if|once|am|has|have)\b"
    r"|\b(?:how|what|when|which|can|could|will|would|does|do|is|are)\s+(?:that|it|this|i|you|they|we|there)\b"
    r"|\b(?:can|could|will|would|does|did)\s+(?:he|she)\b"
    r"|\b(?:what's|whats|what is|how much is|how much's)\s+(?:your|ur|the|my|it)\b"
    r"|\b(?:time|times|timeline|timescale|timeframe|policy|rules)\s+(?:for|on|of|to|with)\b"
    r"|\bhow (?:long|soon|quickly|fast|many days)\b",
    re.IGNORECASE,
)
"""A question, also one without punctuation or inside a longer message, as speech arrives ("i paid with
apple pay how long for the refund"); also a request for the rules in a few words ("refund time for bank
transfer pls")."""
_HYPOTHETICAL = re.compile(
    r"\b(?:if|once|in case|suppose|supposing|what happens|in general|generally|usually|normally|typically|"
    r"myself|a transfer|a payment|a refund|transfers|payments|refunds|the recipient's)\b",
    re.IGNORECASE,
)
_OWN = re.compile(
    r"\b(?:my|our|mum's|mom's)\s+(?:\w+\s+)?(?:transfer|payment|money|refund|transaction|order|remittance)s?\b"
    r"|\bthe (?:transfer|payment|money) (?:i|we)\b|\b(?:it|this one|that one)\b(?=.*\b(?:cancel|stop)\b)",
    re.IGNORECASE,
)
_THE_ONE_SENT = re.compile(
    r"\bthe\s+(?:money|transfer|payment|cash|remittance)\s+(?:i\s+sent\s+|we\s+sent\s+)?(?:to|for)\s+"
    r"(?!(?:arrive|reach|get|be|show|come|go|land|clear|appear|take|send|pay|my|a|an|the|your)\b)(?P<name>[a-z]+)\b",
    re.IGNORECASE,
)
"""One transfer by its recipient, as speech brings names, lowercase ("the refund for the money to chebet
kiprono"): a definite transfer to someone is the customer's own."""
_OWN_STORY = re.compile(
    r"\b(?:i|we|i've|we've|i have|we have)\s+(?:just\s+|already\s+|might have\s+|may have\s+)?"
    r"(?:sent|paid|transferred|made|ordered|typed|put|entered|tried to send|tried sending)\b",
    re.IGNORECASE,
)
"""The customer telling what they did: their own case, unless what follows asks only how things work."""
_HOW_IT_WORKS = re.compile(
    r"\b(?:how long|how many|how much|roughly|what does|what happens|is it possible|can (?:i|that|it|this|they) be"
    r"|can i|could i|do i|am i able|is that fixable)\b",
    re.IGNORECASE,
)
"""A question about the rules ("how long does the refund take?"), which the handbook answers for anyone."""
_EXPLAIN = re.compile(
    r"\bwhat (?:does|do|is|'s)\b.{0,40}\bmean\b|\bmeaning of\b|\bwhat happens (?:to|with|now|next)\b"
    r"|\bwhere (?:do|can|would|should) (?:i|we) (?:find|see|look|get)\b"
    r"|\bhow (?:do|can|would) (?:i|we) (?:know|tell|find)\b"
    r"|\bwhy (?:is|are|was|has|have) (?:my|our) \w+ (?:been |being )?(?:put )?"
    r"(?:held|on hold|in review|under review|checked)\b",
    re.IGNORECASE,
)
"""Asking what something means or where to find it ("what does 'in review' mean on my transfer?"): the
handbook explains it for anyone; the offer to look at their own transfer follows the answer."""
_CONDITIONAL = re.compile(r"\b(?:if|once|in case|suppose|in general|generally|usually|normally|typically)\b", re.I)
_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:cancel|stop|check|track|change|fix|correct|update|refund|find|call off)\s+"
    r"(?:my|our|the|it|this|that|me|transfer|payment|recipient|zs)\b"
    r"|\b(?:i|we)\s*(?:want|need|would like|'d like|wanna|must)\s+(?:you\s+)?to\s+(?:cancel|stop|check|track|change|"
    r"fix|correct|update|know where|find)\b"
    r"|\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:cancel|stop|check|track|change|fix|correct|update|look|"
    r"find|tell me where|see)\b|\bplease\b.*\b(?:cancel|stop|check|change|fix|correct)\b",
    re.IGNORECASE,
)
_REPORTS = {
    "fraud_report": re.compile(
        r"\b(?:someone|somebody|they|he|she|a stranger|hacker)\b.{0,40}\b(?:took|taken|sent|used|accessed|stole|"
        r"stolen|hacked|logged|got into|emptied|moved)\b"
        r"|\b(?:i've|i have|i was|i got|i am|i'm|i think i've|been|we were|we've been)\s+(?:been\s+|being\s+|just\s+)?"
        r"(?:scammed|defrauded|hacked|conned|tricked|robbed|duped|swindled)\b"
        r"|\b(?:unauthori[sz]ed|didn'?t make|did not make|wasn'?t me|not me|don'?t recogni[sz]e|stolen|compromised|"
        r"hacked|fraudulent)\b|\b(?:report|reporting)\b",
        re.IGNORECASE,
    ),
    "complaint": re.compile(
        r"\b(?:i|we)\s*(?:want|would like|'d like|wish|need|am going|'m going)\s+to\s+(?:make\s+|file\s+|raise\s+|"
        r"lodge\s+|submit\s+|put in\s+)?(?:a\s+)?(?:formal\s+)?complain"
        r"|\b(?:this is a|my) complaint\b|\bi(?:'m| am) complaining\b|\bcomplain about\b"
        r"|\b(?:terrible|awful|disgusting|unacceptable|appalling|ridiculous|useless|worst|fed up|furious|angry)\b",
        re.IGNORECASE,
    ),
    "close_account": re.compile(
        r"\b(?:close|delete|cancel|shut|deactivate|remove|terminate|end)\s+(?:down\s+)?(?:my|our|the)\s+"
        r"(?:\w+\s+)?(?:account|profile)\b",
        re.IGNORECASE,
    ),
    "request_human": re.compile(
        r"\b(?:speak|talk|chat)\s+(?:to|with)\b|\bput me through\b|\bconnect me\b|\btransfer me\b"
        r"|\b(?:real|live|actual)\s+(?:person|human|agent)\b|^\s*(?:an?\s+)?(?:agent|human|operator|person)\b"
        r"|\b(?:want|need|get)\s+(?:an?\s+)?(?:agent|human|person|advisor|operator)\b",
        re.IGNORECASE,
    ),
}
"""What makes a message in a handoff topic a report or a request rather than a question about it."""


_ASKED_OF_US = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|someone|somebody|an agent)\s+(?:please\s+)?(?:close|delete|shut|cancel|"
    r"deactivate|remove|terminate|end|take|log|raise|file|record|register|open)\b"
    r"|\b(?:i|we)\s*(?:want|need|would like|'d like|wanna|wish)\s+(?:you\s+)?to\s+(?:close|delete|shut|cancel|"
    r"deactivate|remove|terminate|end|leave|quit)\b|^\s*(?:please\s+)?(?:close|delete|shut|deactivate)\b"
    r"|\bhow (?:do|can|would) (?:i|we)\s+(?:close|delete|shut|deactivate|remove|terminate|end)\b"
    r"|\b(?:can|could|may|how do|how can|where do|where can)\s+(?:i|we)\s+(?:make|file|raise|lodge|submit|put in)\b",
    re.IGNORECASE,
)
"""A request for what only a person can do (close the account), even when phrased as a question."""
_WHEN = re.compile(r"\b(?:when|what time|what hours|which hours|how late|how early|opening hours|open at)\b", re.I)
"""Asking when people can be reached."""
_ASKABLE_REPORTS = frozenset({"close_account", "complaint"})
"""Topics whose words also appear in questions about them ("how long do you keep records after I close my account")."""


_ABOUT_REFUND = re.compile(
    r"\b(?:refund|refunds|refunded|money back|came back|come back|sent back|returned|get it back)\b", re.I
)


def asks_about_refund(text: str) -> bool:
    """ "Still waiting on the money back from ZS...": about the refund, whatever topic NLU read."""
    return bool(_ABOUT_REFUND.search(text))


def _sent_to_someone(text: str) -> bool:
    found = _THE_ONE_SENT.search(text)
    return found is not None and found.group("name").lower() not in _PLACES


_PLACES = frozenset(
    {name.split()[0] for name, _ in world_countries()} | {city.split()[0] for city, _ in CITIES}
)
"""First words of country and city names: "the transfer to Kenya" is about a corridor, not a person."""


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text.strip()))


def about_own_transfer(text: str, entities: Iterable[str]) -> bool:
    """A reference, a named recipient or amount, "my transfer", "I sent", or a request to act."""
    if OWN_ENTITIES & set(entities) or _REQUEST.search(text) or _sent_to_someone(text):
        return True
    if _OWN.search(text):
        return not (_HYPOTHETICAL.search(text) or _EXPLAIN.search(text) and is_question(text))
    general = _HOW_IT_WORKS.search(text) or _CONDITIONAL.search(text)
    return bool(_OWN_STORY.search(text)) and not (is_question(text) and general)


def decide_move(reason: Reason, text: str, entities: Iterable[str] = ()) -> Move:
    """What to do with a message whose contact reason is ``reason``.

    - self-service topics are answered;
    - transactional ("verified") topics act only when the customer is talking about their own
      transfer; a general question about them is answered;
    - handoff topics hand off a report or a request at once; a question about them is answered.
    """
    names = list(entities)
    if reason.kind == "self_service":
        return Move.ANSWER
    if reason.kind == "verified":
        if about_own_transfer(text, names) or not is_question(text):
            return Move.ACT
        return Move.ANSWER
    if reason.kind == "handoff":
        if reason.name == "request_human" and _WHEN.search(text) and is_question(text):
            return Move.ANSWER  # "when can I call and speak to someone?" asks for the hours, not for a person now
        if reason.name in _ASKABLE_REPORTS and _ASKED_OF_US.search(text):
            return Move.HAND_OFF
        report = _REPORTS.get(reason.name)
        asked_about = reason.name in _ASKABLE_REPORTS and is_question(text)
        if report is not None and report.search(text) and not asked_about:
            return Move.HAND_OFF
        return Move.ANSWER if is_question(text) else Move.HAND_OFF
    return Move.ANSWER
