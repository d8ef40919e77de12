"""Informed-impostor and genuine trials over the demo profiles, typed (chat) and spoken (voice).

People who attack an account usually know a lot about it: an ex-partner knows
the name, the postcode and the birthday, a relative shares the surname and the
address. Each class below is one such person (issue 13). Genuine trials carry
the variation real customers show: on chat what people type differently
(case, spacing, date formats, middle names, one typo); on voice the details
said aloud (digits, letter names, NATO words, ordinals) and an n-best list with
recognition confusions. Everything is drawn from one seeded ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from frontdoor.identity.decision import LETTER_CONFUSIONS, Profile
from frontdoor.spoken.postcodes import format_postcode

CLASSES = (
    "name_postcode",
    "birthday_no_year",
    "wrong_year",
    "postcode_district",
    "relative",
    "random_customer",
)
"""The informed-impostor classes, in the issue's order; ``genuine`` trials run alongside."""
MONTH_NAMES = ("january february march april may june july august september october november december").split()
MONTH_SHORT = [m[:3].title() for m in MONTH_NAMES]
DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
LETTER_WORDS = {
    "A": "ay", "B": "bee", "C": "see", "D": "dee", "E": "ee", "F": "eff", "G": "gee", "H": "aitch", "I": "eye",
    "J": "jay", "K": "kay", "L": "el", "M": "em", "N": "en", "O": "oh", "P": "pee", "Q": "queue", "R": "are",
    "S": "ess", "T": "tee", "U": "you", "V": "vee", "W": "double you", "X": "ex", "Y": "why", "Z": "zed",
}  # fmt: skip
NATO_WORDS = {
    "A": "alpha", "B": "bravo", "C": "charlie", "D": "delta", "E": "echo", "F": "foxtrot", "G": "golf",
    "H": "hotel", "I": "india", "J": "juliet", "K": "kilo", "L": "lima", "M": "mike", "N": "november",
    "O": "oscar", "P": "papa", "Q": "quebec", "R": "romeo", "S": "sierra", "T": "tango", "U": "uniform",
    "V": "victor", "W": "whiskey", "X": "x-ray", "Y": "yankee", "Z": "zulu",
}  # fmt: skip
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
TENS_WORDS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
TEENS_WORDS = (
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
MIDDLE_NAMES = ("Anne", "Marie", "James", "Louise", "John", "Rose", "Elizabeth", "Paul", "Grace", "Thomas")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
"""Letters the inward code of a UK postcode may use."""
SOUND_ALIKE = (("ie", "y"), ("y", "ie"), ("ph", "f"), ("c", "k"), ("ey", "y"), ("ll", "l"), ("nn", "n"), ("s", "z"))
VOICE_NBEST = (3, 5)
"""How many hypotheses a rendered answer has."""
VOICE_TOP_ERROR = 0.3
"""Share of top hypotheses carrying one recognition confusion."""
VOICE_LOWER_ERROR = 0.6
"""The same for every lower hypothesis."""
UNNAMED_SHARE = 0.25
"""Share of recognition errors that are no named confusion (a character or word that merely sounds off)."""


@dataclass(frozen=True)
class Trial:
    """One attempt against ``target``: what the person types or says for each detail."""

    kind: str
    channel: str
    target: Profile
    name: list[str]
    dob: list[str]
    postcode: list[str]
    held_out: bool
    own_id: str | None = None
    """The customer whose own details these are (a random other customer), if any."""


# --- what each person knows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    first: str
    last: str
    dob: dt.date | None
    postcode: str
    birthday_only: bool = False
    own_id: str | None = None


def _other_date(rng: random.Random, reference: dt.date, years: Sequence[int]) -> dt.date:
    while True:
        year = rng.choice(years)
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if day != reference:
            return day


def _with_year(reference: dt.date, year: int) -> dt.date:
    return reference.replace(year=year, day=min(reference.day, 28) if reference.month == 2 else reference.day)


def _other_inward(rng: random.Random, inward: str) -> str:
    while True:
        guess = rng.choice("0123456789") + rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
        if guess != inward:
            return guess


def claim_for(kind: str, target: Profile, rng: random.Random, others: Sequence[Profile]) -> Claim:
    """What a person of ``kind`` gives for ``target``."""
    first, last, dob, postcode = target.first_name, target.last_name, target.dob, target.postcode
    if kind == "genuine":
        return Claim(first, last, dob, postcode)
    if kind == "name_postcode":
        return Claim(first, last, _other_date(rng, dob, range(dob.year - 10, dob.year + 11)), postcode)
    if kind == "birthday_no_year":
        if rng.random() < 0.5:
            return Claim(first, last, dob, postcode, birthday_only=True)
        year = rng.choice([y for y in range(dob.year - 12, dob.year + 13) if y != dob.year])
        return Claim(first, last, _with_year(dob, year), postcode)
    if kind == "wrong_year":
        return Claim(first, last, _with_year(dob, dob.year + rng.choice((-1, 1))), postcode)
    if kind == "postcode_district":
        key = postcode.replace(" ", "")
        return Claim(first, last, dob, format_postcode(key[:-3] + _other_inward(rng, key[-3:])))
    if kind == "relative":
        other = rng.choice([p for p in others if p.first_name.lower() != first.lower()])
        offset = rng.choice((-30, -27, -3, -2, 2, 4, 25, 28))
        return Claim(other.first_name, last, _other_date(rng, dob, [dob.year + offset]), postcode)
    if kind == "random_customer":
        other = rng.choice([p for p in others if p.customer_id != target.customer_id])
        return Claim(other.first_name, other.last_name, other.dob, other.postcode, own_id=other.customer_id)
    raise ValueError(f"unknown trial kind {kind!r}")


# --- chat: how people type ----------------------------------------------------------------------------


def _case(rng: random.Random, text: str) -> str:
    return rng.choice((text, text.lower(), text.upper(), text.title()))


def _one_typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    edits: list[Callable[[], str]] = [
        lambda: word[:i] + word[i + 1 :],
        lambda: word[:i] + word[i] + word[i:],
        lambda: word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        lambda: word[:i] + rng.choice("aeiou") + word[i + 1 :],
    ]
    return rng.choice(edits)()


def typed_name(rng: random.Random, claim: Claim, vary: bool) -> str:
    first, last = claim.first, claim.last
    if vary:
        roll = rng.random()
        long_parts = [p for p in (first, last) if len(p) >= 5]
        if roll < 0.2:
            first = f"{first} {rng.choice(MIDDLE_NAMES)}"
        elif roll < 0.35 and long_parts:
            part = rng.choice(long_parts)
            typo = _one_typo(rng, part)
            first, last = (typo, last) if part == first else (first, typo)
        elif roll < 0.45:
            last = last.replace("'", "").replace("-", " ")
    text = _case(rng, f"{first} {last}") if vary else f"{first} {last}"
    return rng.choice(("{}", "{}", "my name is {}", "it's {}")).format(text) if vary else text


def typed_date(rng: random.Random, day: dt.date | None, claim: Claim) -> str:
    if day is None or claim.birthday_only:
        ref = claim.dob or day
        assert ref is not None
        return rng.choice((f"{ref.day} {MONTH_NAMES[ref.month - 1]}", f"{ref.day}/{ref.month}"))
    forms = (
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.year}-{day.month:02d}-{day.day:02d}",
        f"{day.day} {MONTH_SHORT[day.month - 1]} {day.year}",
        f"{day.day}{_suffix(day.day)} {MONTH_NAMES[day.month - 1].title()} {day.year}",
        f"{MONTH_NAMES[day.month - 1].title()} {day.day}{_suffix(day.day)} {day.year}",
        f"{MONTH_NAMES[day.month - 1].title()} {day.day}, {day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day} of {MONTH_NAMES[day.month - 1]} {day.year}",
    )
    return rng.choice(forms)


def _suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def typed_postcode(rng: random.Random, postcode: str) -> str:
    key = postcode.replace(" ", "")
    return _case(rng, rng.choice((format_postcode(key), key, f"{key[:-3]}  {key[-3:]}")))


# --- voice: how details sound and how a recogniser hears them -----------------------------------------


def spoken_postcode(rng: random.Random, postcode: str) -> list[str]:
    """One spoken word (or digit word) per character: letter names, NATO words, "oh"/"zero"."""
    nato = rng.random() < 0.3
    words: list[str] = []
    for ch in postcode.replace(" ", "").upper():
        if ch.isdigit():
            words.append(rng.choice(("oh", "zero")) if ch == "0" else DIGIT_WORDS[int(ch)])
        else:
            words.append(NATO_WORDS[ch] if nato else LETTER_WORDS[ch])
    return words


def _two_digit(number: int) -> str:
    if number < 10:
        return f"oh {DIGIT_WORDS[number]}"
    if number < 20:
        return TEENS_WORDS[number - 10]
    tens, unit = divmod(number, 10)
    return TENS_WORDS[tens] + ("" if unit == 0 else f" {DIGIT_WORDS[unit]}")


def spoken_year(year: int) -> str:
    if 2000 <= year < 2010:
        return f"two thousand and {DIGIT_WORDS[year - 2000]}" if year > 2000 else "two thousand"
    century, rest = divmod(year, 100)
    return f"{_two_digit(century)} {'hundred' if rest == 0 else _two_digit(rest)}"


def spoken_day(day: int) -> str:
    if day <= 20:
        return ORDINALS[day - 1]
    if day == 30:
        return "thirtieth"
    tens, unit = divmod(day, 10)
    return f"{TENS_WORDS[tens]} {ORDINALS[unit - 1]}"


def spoken_date(rng: random.Random, claim: Claim) -> list[str]:
    day = claim.dob
    assert day is not None
    month = MONTH_NAMES[day.month - 1]
    if claim.birthday_only:
        return f"the {spoken_day(day.day)} of {month}".split()
    form = rng.choice(("the {d} of {m} {y}", "{m} the {d} {y}", "{d} {m} {y}"))
    return form.format(d=spoken_day(day.day), m=month, y=spoken_year(day.year)).split()


def spoken_name(rng: random.Random, claim: Claim) -> list[str]:
    if rng.random() < 0.1:
        return list(f"{claim.first}{claim.last}".lower())
    return f"{claim.first} {claim.last}".lower().split()


_NAMED_WORD_CONFUSIONS = {
    "fifteen": "fifty", "fifty": "fifteen", "thirteen": "thirty", "thirty": "thirteen", "fourteen": "forty",
    "forty": "fourteen", "sixteen": "sixty", "sixty": "sixteen", "seventeen": "seventy", "seventy": "seventeen",
    "eighteen": "eighty", "eighty": "eighteen", "nineteen": "ninety", "ninety": "nineteen", "june": "july",
    "july": "june", "two": "to", "four": "for", "eight": "ate", "thirteenth": "thirtieth", "thirtieth": "thirteenth",
}  # fmt: skip
_UNNAMED_WORD_CONFUSIONS = {
    "fifth": "sixth", "sixth": "fifth", "five": "nine", "nine": "five", "first": "third", "third": "first",
    "march": "may", "may": "march", "seven": "eleven", "one": "nine",
}  # fmt: skip


def _rhyme(letter_word: str, rng: random.Random) -> str | None:
    letter = next((k for k, v in LETTER_WORDS.items() if v == letter_word), None)
    group = next((g for g in LETTER_CONFUSIONS if letter in g), None) if letter else None
    if not group:
        return None
    return LETTER_WORDS[rng.choice(sorted(group - {letter}))]


def _confuse(rng: random.Random, words: list[str], kind: str) -> list[str]:
    """One recognition error: a named confusion (rhyming letters, -teen/-ty, June/July) or an unnamed one."""
    out = list(words)
    named = rng.random() >= UNNAMED_SHARE
    table = _NAMED_WORD_CONFUSIONS if named else _UNNAMED_WORD_CONFUSIONS
    spots = [i for i, w in enumerate(out) if w in table]
    if kind == "postcode" and named:
        spots += [i for i, w in enumerate(out) if _rhyme(w, rng)]
    if kind == "name":
        spots = list(range(len(out)))
    if not spots:
        if named or not out:
            return out
        i = rng.randrange(len(out))
        out[i] = rng.choice(list(LETTER_WORDS.values()) if kind == "postcode" else DIGIT_WORDS)
        return out
    i = rng.choice(spots)
    if kind == "name":
        out[i] = _sound_alike(rng, out[i]) if named else out[i][:-1] + rng.choice("aeiou")
    elif out[i] in table:
        out[i] = table[out[i]]
    else:
        out[i] = _rhyme(out[i], rng) or out[i]
    return out


def _sound_alike(rng: random.Random, word: str) -> str:
    options = [word.replace(a, b, 1) for a, b in SOUND_ALIKE if a in word[1:]]
    return rng.choice(options) if options else word


def heard(rng: random.Random, words: list[str], kind: str) -> list[str]:
    """An n-best list for what was said: each hypothesis carries a recognition error with some chance."""
    size = rng.randint(*VOICE_NBEST)
    out: list[str] = []
    for index in range(size):
        error = VOICE_TOP_ERROR if index == 0 else VOICE_LOWER_ERROR
        hypothesis = " ".join(_confuse(rng, words, kind) if rng.random() < error else words)
        if hypothesis not in out:
            out.append(hypothesis)
    return out


# --- trials -------------------------------------------------------------------------------------------


def make_trials(profiles: Sequence[Profile], per_class: int, seed: int) -> list[Trial]:
    """``per_class`` trials of every impostor class and of genuine customers, on both channels; every
    second trial of a class is held out (reported apart, never used to choose a setting)."""
    rng = random.Random(seed)
    trials: list[Trial] = []
    for channel in ("chat", "voice"):
        for kind in ("genuine",) + CLASSES:
            for index in range(per_class):
                target = rng.choice(profiles)
                claim = claim_for(kind, target, rng, profiles)
                trials.append(render(rng, kind, channel, target, claim, held_out=index % 2 == 1))
    return trials


def render(rng: random.Random, kind: str, channel: str, target: Profile, claim: Claim, held_out: bool) -> Trial:
    if channel == "chat":
        vary = kind == "genuine" or rng.random() < 0.5
        return Trial(
            kind, channel, target,
            name=[typed_name(rng, claim, vary)],
            dob=[typed_date(rng, claim.dob, claim)],
            postcode=[typed_postcode(rng, claim.postcode)],
            held_out=held_out, own_id=claim.own_id,
        )  # fmt: skip
    return Trial(
        kind, channel, target,
        name=heard(rng, spoken_name(rng, claim), "name"),
        dob=heard(rng, spoken_date(rng, claim), "dob"),
        postcode=heard(rng, spoken_postcode(rng, claim.postcode), "postcode"),
        held_out=held_out, own_id=claim.own_id,
    )  # fmt: skip
