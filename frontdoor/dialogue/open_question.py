"""The question the bot is waiting on (the ``pending_question`` slot): one vocabulary for every module.

What a customer's next message means depends on it ("yes" to "did that help?"
is not "yes" to "shall I cancel?"); analytics reads it to tell a closed
conversation from an abandoned one. A ``str`` enum, so slot values stay plain strings.
"""

from __future__ import annotations

import enum


class OpenQuestion(str, enum.Enum):
    TOPICS = "topics"
    """"Did you mean A or B?" (the fallback's first stage)."""
    AGENT = "agent"
    """"Would you like an agent?"."""
    ANYTHING_ELSE = "anything_else"
    """"Is there anything else I can help with?"."""
    KB_CLARIFY = "kb_clarify"
    """Which of two knowledge articles was meant."""
    KB_HELPFUL = "kb_helpful"
    """"Did that help?" after a knowledge answer."""
    KYC_RETRIES = "kyc_retries"
    """"Has the app's check already failed 3 times?" (handbook 12)."""
    WHICH_TRANSFER = "which_transfer"
    """Which of the customer's recent transfers it is about."""
    CANCEL_CONFIRM = "cancel_confirm"
    """"Do you want me to cancel transfer ...?"."""
    RECIPIENT_FIX = "recipient_fix"
    """The corrected recipient name or phone number."""
    CALLBACK = "callback"
    """"Would you like an agent to call you back?" (a call outside phone hours, handbook 21)."""
    CSAT = "csat"
    """The skippable 1-5 rating."""
    CLOSED = "closed"
    """The bot said goodbye: the conversation counts as contained at once."""
