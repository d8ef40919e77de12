"""What the bot says about languages (handbook 21: English first; agents also cover French and Spanish)."""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

AGENT_LANGUAGES = ("fr", "es")
"""Languages the contact centre's agents speak besides English: a case in one of them goes to that skill."""
AGENT_OFFERS: Dict[str, str] = {
    "fr": "Bonjour ! Je ne peux vous aider qu'en anglais, mais je peux vous mettre en relation avec un "
          "conseiller qui parle français. Le souhaitez-vous ?",
    "es": "¡Hola! Solo puedo ayudarle en inglés, pero puedo pasarle con un agente que habla español. "
          "¿Lo desea?",
}
OFFER_BUTTONS: Dict[str, Tuple[str, str]] = {"fr": ("Oui", "Non"), "es": ("Sí", "No")}
ENGLISH_ONLY = "Sorry, I can only help in English. Our agents also speak French and Spanish."
_YES = re.compile(r"^(?:oui|ouais|d'accord|oui,? (?:merci|s'il vous pla[iî]t|volontiers)|volontiers|bien s[uû]r"
                  r"|s[ií]|s[ií],? (?:gracias|por favor)|claro|vale|de acuerdo|por favor)$")
_NO = re.compile(r"^(?:non|non,? merci|no,? gracias)$")


def offer_answer(text: str) -> Optional[bool]:
    """A yes or no to the agent offer in French or Spanish ("oui", "sí, por favor", "non merci"), else None.

    Too short for the detector and unknown to the English NLU, these few words would otherwise be misread.
    """
    words = re.sub(r"[\s!.¡¿?]+", " ", text.strip().lower()).strip().replace("’", "'")
    if _YES.match(words):
        return True
    return False if _NO.match(words) else None
