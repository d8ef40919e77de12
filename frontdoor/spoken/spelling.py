"""Spelled-out values ("W for whiskey, two, oh, alpha bravo"; "double L"): the characters a caller meant.

Postcodes and name spellings are dictated letter by letter; ASR writes each
letter as itself, its name ("bee"), a NATO word ("bravo") or "B for Bob". Some
words are ambiguous ("oh" is O or 0; "for" is 4 or part of "B for Bob"), so
this yields a few readings, best first, and lets the caller's matcher decide.
"""

from __future__ import annotations

import itertools
import re

from frontdoor.spoken.numbers import REPEATS, TEENS, TENS, UNITS

NATO = {
    "alpha": "A", "alfa": "A", "bravo": "B", "charlie": "C", "delta": "D", "echo": "E", "foxtrot": "F",
    "golf": "G", "hotel": "H", "india": "I", "juliet": "J", "juliett": "J", "kilo": "K", "lima": "L",
    "mike": "M", "november": "N", "oscar": "O", "papa": "P", "quebec": "Q", "romeo": "R", "sierra": "S",
    "tango": "T", "uniform": "U", "victor": "V", "whiskey": "W", "whisky": "W", "xray": "X", "x-ray": "X",
    "yankee": "Y", "zulu": "Z",
}  # fmt: skip
LETTER_NAMES = {
    "ay": "A", "bee": "B", "be": "B", "see": "C", "sea": "C", "cee": "C", "dee": "D", "ee": "E", "eff": "F",
    "ef": "F", "gee": "G", "jee": "G", "aitch": "H", "haitch": "H", "eye": "I", "jay": "J", "kay": "K",
    "el": "L", "ell": "L", "em": "M", "en": "N", "pee": "P", "queue": "Q", "cue": "Q", "kew": "Q", "are": "R",
    "ar": "R", "ess": "S", "es": "S", "tee": "T", "tea": "T", "you": "U", "yu": "U", "vee": "V", "ex": "X",
    "why": "Y", "zed": "Z", "zee": "Z", "double-you": "W", "doubleyou": "W",
}  # fmt: skip
DIGIT_WORDS = {**{word: str(value) for word, value in UNITS.items()}, "to": "2", "too": "2", "won": "1"}
AMBIGUOUS = {"oh": ("0", "O"), "o": ("0", "O"), "for": ("4", ""), "4": ("4", "")}
"""Tokens with two plausible readings; "" means "drop it" (the "for" of "B for Bob")."""
SKIP = frozenset("and then space dash hyphen is it's its as in like the letter number".split())
MAX_READINGS = 8

_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)?|\d", re.IGNORECASE)


def _token_options(tokens: list[str], index: int) -> tuple[tuple[str, ...], int]:
    """The readings of the token at ``index`` and how many tokens they consume."""
    token = tokens[index]
    low = token.lower()
    nxt = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
    if low == "double" and nxt in ("you", "u", "yu"):
        return ("W", "UU"), 2  # "double you" is how W is said; "double U" is rarer
    if low in REPEATS and nxt:
        inner, used = _token_options(tokens, index + 1)
        return tuple(option * REPEATS[low] for option in inner if option), used + 1
    if low in NATO:
        return (NATO[low],), 1
    if low in AMBIGUOUS:
        return AMBIGUOUS[low], 1
    if low in DIGIT_WORDS:
        return (DIGIT_WORDS[low],), 1
    if low in TEENS:
        return (str(TEENS[low]),), 1
    if low in TENS:
        unit = UNITS.get(nxt)
        if unit:
            return (str(TENS[low] + unit),), 2
        return (str(TENS[low]),), 1
    if low in LETTER_NAMES:
        return (LETTER_NAMES[low], ""), 1
    if low in SKIP:
        return ("",), 1
    if any(c.isdigit() for c in token) or len(token) <= 2 or (token.isupper() and len(token) <= 3):
        return (token.upper(),), 1
    return ("", token[0].upper()), 1


def _letter_for_word(tokens: list[str], index: int) -> bool:
    """ "B for Bob": the word's initial is the letter (ASR often mishears the letter itself, rarely the word)."""
    if tokens[index].lower() not in ("for", "4") or index + 1 >= len(tokens):
        return False
    word = tokens[index + 1].lower()
    reserved = NATO.keys() | DIGIT_WORDS.keys() | TEENS.keys() | AMBIGUOUS.keys()
    return word.isalpha() and len(word) >= 3 and word not in reserved


def spelled_readings(text: str, limit: int = MAX_READINGS) -> list[str]:
    """Upper-case character strings the text may spell, most literal reading first."""
    tokens = _TOKEN.findall(text.replace("'", ""))[:40]
    options: list[tuple[str, ...]] = []
    index = 0
    while index < len(tokens):
        if _letter_for_word(tokens, index):
            initial = tokens[index + 1][0].upper()
            previous = tokens[index - 1] if index else ""
            if options and len(previous) == 1 and previous.isalpha():
                options[-1] = tuple(dict.fromkeys((initial, previous.upper())))
            elif tokens[index] == "4":
                options.append(("4" + initial, initial))
            else:
                options.append((initial,))
            index += 2
            continue
        choice, used = _token_options(tokens, index)
        options.append(choice or ("",))
        index += used
    readings: list[str] = []
    for combo in itertools.islice(itertools.product(*options), 64):
        reading = "".join(combo)
        if reading and reading not in readings:
            readings.append(reading)
        if len(readings) >= limit:
            break
    return readings


def spelled_letters(text: str) -> str:
    """The letters of a spelled name ("m a l Co l m", "J for Juliet o e"), in order, lower case."""
    tokens = _TOKEN.findall(text.replace("'", ""))[:60]
    out: list[str] = []
    index = 0
    while index < len(tokens):
        low = tokens[index].lower()
        nxt = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        if low in REPEATS and nxt:
            out.append((NATO.get(nxt) or nxt[:1]).lower() * REPEATS[low])
            index += 2
            continue
        if low == "for" and out and nxt:
            index += 2
            continue
        if low in NATO:
            out.append(NATO[low].lower())
        elif low in LETTER_NAMES and len(low) > 1:
            out.append(LETTER_NAMES[low].lower())
        elif low not in SKIP and low.isalpha():
            out.append(low)
        index += 1
    return "".join(out)
