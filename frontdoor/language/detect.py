"""Which language a customer message is in, from the common words it uses: no model, nothing to load.

English is the default: a message too short or too unsure to tell (a name, "ok", a reference, a postcode,
an amount) is ``None``, never another language, so one such message cannot flip the conversation. Another
language must show at least ``MIN_HITS`` of its common words ("je", "voudrais", "mon"), more than English
and more than any other language, because a message taken for another language skips NLU: a false alarm
costs an English customer their answer. The statistical detector used before (lingua, high-accuracy mode)
kept 310 MB of n-gram models in the Rasa process for the same decisions on our test sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional

MIN_WORDS = 3
MIN_HITS = 2
MAX_CHARS = 1_000
"""Only the start of a huge message is read: a thousand characters settle the language."""
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|[^\W\d_]*\d[\w.,/:-]*", re.IGNORECASE)
"""E-mails, links and anything with a digit (references such as ZS12345678, UK postcodes such as SW1A 1AA,
amounts) say nothing of a language."""
_WORD = re.compile(r"[^\W\d_]{2,}")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LETTER = re.compile(r"[^\W\d_]")
_COMMON_WORDS = {
    "en": "the to of and in is it my you your for on with how what when where why can do does did have has was "
          "are be this that me we our from at not yes please want need would will much money send sent "
          "transfer hi hello thanks thank there they them their he she his her an am as or if so just been "
          "get got its it's don't can't i'm i've won't isn't hasn't didn't doesn't about any some here",
    "fr": "le la les de des du un une est et je tu vous il elle mon ma mes ton ta votre vos pour que qui quel quelle "
          "quels quelles combien où pas ne en au aux avec sur bonjour merci oui non suis sont été ai avez peux "
          "pouvez voudrais veux faire comment pourquoi quand mais ou très argent envoyer envoi reçu compte "
          "mot passe rien depuis jours ce cette ces dans par aussi bien nous êtes est-ce qu'il n'a l'argent",
    "es": "el la los las de del un una es y yo tu usted mi mis su sus para por que qué cómo como cuánto cuanto "
          "dónde donde no en con hola gracias sí quiero necesito puedo tengo está están fue ha han hacer "
          "enviar dinero cuenta tarjeta ayuda ayer hoy pero muy también cuál cual porque por qué buenos días "
          "ustedes nuestro este esta esto mandé llegó hermana mamá",
    "pt": "o a os as de do da dos das um uma é e eu você meu minha meus minhas para por que como quanto onde "
          "não em com olá obrigado obrigada quero preciso posso tenho está foi tem fazer enviar dinheiro "
          "conta cartão ajuda ontem hoje mas muito também bom dia consigo na no nas nos ao seu sua",
    "de": "der die das den dem des ein eine einen ist und ich du sie er mein meine meinem meinen für wie was wo "
          "nicht mit hallo danke ja nein habe hat haben bin sind war kann können möchte brauche geld konto "
          "überweisung warum wann aber auch sehr guten tag es zu von auf bei nach ihr ihre",
    "it": "il lo la gli le di un una è e io tu mio mia miei mie per che come quanto dove non con ciao grazie sono "
          "ho ha hanno voglio posso vorrei fare soldi conto carta aiuto ieri oggi ma molto anche buongiorno "
          "del della dei al alla stata bisogno mandare trasferimento",
    "nl": "de het een is en ik jij je u mijn voor hoe wat waar niet met hallo bedankt ja nee heb heeft hebben ben "
          "zijn kan wil geld rekening hulp nodig gisteren vandaag maar ook zeer goedemiddag goedemorgen van op "
          "naar dat deze gestuurd overboeking",
    "pl": "jest i ja ty mój moja moje moim dla jak co gdzie nie z w na dzień dobry dziękuję tak są chcę mogę "
          "potrzebuję pieniądze konto pomocy przelew wczoraj dzisiaj ale też bardzo się to że do od",
    "sw": "na ya wa kwa ni je nini gani wapi vipi habari asante ndiyo hapana mimi wewe yangu yako pesa nataka "
          "nimetuma tafadhali iko hii hiyo sana lakini kama bado leo jana haijafika sijapokea hajapokea "
          "kughairi muamala wangu",
}
COMMON_WORDS: Dict[str, FrozenSet[str]] = {code: frozenset(words.split()) for code, words in _COMMON_WORDS.items()}
_MARKS = {"fr": "éèêëàâçùûœîï", "es": "ñ¿¡áíóú", "pt": "ãõçâêôá", "de": "äöüß", "pl": "łąęśźżćń", "it": "àèìòù"}
"""Letters that point at a language: one more hit for each language whose letters the message uses."""


@dataclass(frozen=True)
class Detection:
    """``language`` is an ISO 639-1 code, or None when the message does not tell."""

    language: Optional[str]
    confidence: float = 0.0
    code_switched: bool = False  # another language, but with enough English to act on (see ``detect``)


UNKNOWN = Detection(None)


def words(text: str) -> List[str]:
    """The words of the message's start, without references, numbers, postcodes, links or e-mails."""
    return _WORD.findall(_NOT_WORDS.sub(" ", text[:MAX_CHARS]))


def detect(text: str) -> Detection:
    """The message's language when it uses enough of that language's common words; otherwise ``UNKNOWN``."""
    if text.startswith("/"):  # a button payload or the call-start intent, not words
        return UNKNOWN
    found = [w.lower() for w in words(text)]
    if len(found) < MIN_WORDS:
        return UNKNOWN
    letters = _LETTER.findall(text[:MAX_CHARS])
    if letters and len(_ARABIC.findall(text[:MAX_CHARS])) * 2 >= len(letters):
        return Detection("ar", 1.0)
    lowered = text[:MAX_CHARS].lower()
    hits = {code: sum(w in common for w in found) for code, common in COMMON_WORDS.items()}
    for code, marks in _MARKS.items():
        hits[code] += any(mark in lowered for mark in marks)
    english = hits.pop("en")
    ranked = sorted(hits.items(), key=lambda item: -item[1])
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    if english >= MIN_HITS and english > top:
        return Detection("en", _share(english, top))
    if top < MIN_HITS or top <= english or top == runner_up:
        return UNKNOWN
    # "Bonjour, quel est le frais for 100 euros?": the question is in English words; answer it, and still
    # note French, so a handoff goes to an agent who speaks it.
    switched = english >= MIN_HITS and english * 2 >= top
    return Detection(best, _share(top, max(english, runner_up)), switched)


def english_part(text: str, language: str) -> str:
    """``text`` without the common words of ``language`` that English does not share: what NLU can read.

    "Bonjour, quel est le frais for 100 euros?" -> "frais for 100 euros?". Amounts, names and references stay.
    """
    foreign = COMMON_WORDS.get(language, frozenset()) - COMMON_WORDS["en"]
    kept = _TOKEN.sub(lambda m: "" if m.group(0).lower() in foreign else m.group(0), text)
    kept = re.sub(r"\s+([,;:!?.])", r"\1", kept)
    return re.sub(r"\s{2,}", " ", re.sub(r"^[\s,;:!.-]+", "", kept)).strip()


_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""A word with its elisions and hyphens ("l'argent", "est-ce"), as the common-word lists spell them."""


def _share(winner: int, next_best: int) -> float:
    """The winner's share of the evidence for it and for the closest other language."""
    return round(winner / (winner + next_best), 3)
