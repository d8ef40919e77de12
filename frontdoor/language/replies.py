"""What the bot says about languages (handbook 21: English first; agents also cover French and Spanish)."""

from __future__ import annotations

import re
from typing import Dict, Mapping, Optional, Tuple

from frontdoor.handoff.hours import Hours

AGENT_LANGUAGES = ("fr", "es")
"""Languages the contact centre's agents speak besides English: a case in one of them goes to that skill."""
_OFFERS: Dict[str, str] = {
    "fr": "Bonjour ! Je ne peux vous aider qu'en anglais, mais nos conseillers parlent aussi français : "
          "par chat {chat}, et par téléphone {voice}. Voulez-vous que je vous mette en relation avec un "
          "conseiller qui parle français ?",
    "es": "¡Hola! Solo puedo ayudarle en inglés, pero nuestros agentes también hablan español: por chat {chat}, "
          "y por teléfono {voice}. ¿Quiere que le pase con un agente que habla español?",
}
_ALWAYS = "24/7"
"""Around the clock, written the same in French and Spanish."""
_WINDOW = {
    "fr": "de {opens} à {closes} ({zone}), tous les jours",
    "es": "de {opens} a {closes} ({zone}), todos los días",
}
_ZONE_NAMES = {"Europe/London": {"fr": "heure du Royaume-Uni", "es": "hora del Reino Unido"}}
"""The zone said in the customer's language; another zone falls back to the configured English label."""


def agent_offer(language: str, hours: Mapping[str, Hours]) -> str:
    """The offer of an agent who speaks ``language``, with when agents can be reached (config/handoff.yml)."""

    def when(channel: str) -> str:
        window = hours[channel]
        if window.opens is None or window.closes is None:
            return _ALWAYS
        zone = _ZONE_NAMES.get(window.time_zone, {}).get(language, window.label)
        return _WINDOW[language].format(opens=f"{window.opens:%H:%M}", closes=f"{window.closes:%H:%M}", zone=zone)

    return _OFFERS[language].format(chat=when("chat"), voice=when("voice"))


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
