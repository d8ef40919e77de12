"""Speech-recognition transcripts made readable for NLU, rewriting only the spans that carry values.

The intent model was trained on speech-style text (lowercase, numbers often
as words), so the rest of a caller's words stay as they were. What changes:
fillers go ("um", "you know", "like" as a filler), and the values NLU and the
actions need become their written form: references ("zed ess four oh ..." ->
"ZS40318822"), amounts with a currency ("two hundred and fifty pounds" ->
"250 GBP", "a hundred quid", "three k"), larger spoken numbers ("two hundred"
-> "200"), dates with a year ("the eleventh of august nineteen oh nine" ->
"11 August 1909"), dictated postcodes ("whiskey two oh alpha bravo" -> "W2
0AB") and misheard payout partners and countries ("em pesa" -> "M-Pesa",
"kenia" -> "Kenya"). The parsing itself is ``frontdoor.spoken`` and
``frontdoor.identity``'s; this module only finds where the values are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from frontdoor.spoken.dates import MONTHS, parse_date
from frontdoor.spoken.numbers import ORDINALS, REPEATS, SCALES, TEENS, TENS, UNITS, NumberChunk, chunk_numbers
from frontdoor.spoken.postcodes import POSTCODE, compact, format_postcode, parse_postcode
from frontdoor.spoken.spelling import LETTER_NAMES, NATO, SKIP, spelled_readings
from frontdoor.spoken.text import FILLERS, normalise_text

MAX_INPUT_CHARS = 2_000
"""The voice channel's transcript limit; longer text is returned unchanged (bounded cost, nothing to gain)."""
MAX_WINDOW = 14
MAX_AMOUNT_CHARS = 16
MAX_PARSER_CALLS = 250
"""Per transcript; an ordinary turn needs a few dozen, so only hostile input ever runs out."""

REFERENCE = re.compile(r"^ZS\d{8}$")
_STRIP = ".,!?;:\"()[]{}"
_FILLERS = FILLERS - {"like"}
_LIKE_KEPT_AFTER = frozenset(
    "would i'd we'd you'd they'd he'd she'd i we you they look looks looked looking seem seems feel feels felt "
    "sound sounds don't dont didn't didnt not really also do does did something anything nothing things stuff "
    "just more much is was".split()
)
"""Words after which "like" means like ("i would like", "looks like"), so it stays."""
_LIKE_FILLER_AFTER = frozenset("is was".split())
"""... except when a number follows: "it was like three hours ago" loses the filler."""
_YOU_KNOW_KEPT_AFTER = frozenset("do did does don't dont if would will could can may".split())
_STUTTER = frozenset(
    "i i'm it it's its the my is and of on to in he she they we you has have was what that so but".split()
)

MONTH_NAMES = (
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip

PARTNERS = {
    "M-Pesa": "em pesa|m pesa|m-pesa|mpesa|em peso|m peso|em pesa's|impresa|em pessa|m pessa",
    "GCash": "g cash|gee cash|g-cash|gcash|jee cash|g kash|gee kash|ji cash",
    "EcoCash": "eco cash|echo cash|ecocash|eko cash|eco-cash",
    "MTN MoMo": "m t n mo mo|m t n momo|mtn mo mo|em tee en mo mo|em tee en momo|m t n mobile money",
    "MoMo": "mo mo",
    "Airtel Money": "air tel money|airtel money|air tell money",
    "Airtel": "air tel|air tell",
    "Orange Money": "orange money",
    "Tigo Pesa": "tigo pesa|tee go pesa|tigo peso|tigopesa",
    "Easypaisa": "easy paisa|easy pisa|easy pays a|easy paisa's|easy paser|easy pie sa|easypaisa",
    "JazzCash": "jazz cash|jaz cash|jazzcash",
    "bKash": "b kash|bee kash|bee cash|b cash|bkash",
    "Telecel Cash": "telecel cash|tele cel cash|tele sell cash",
    "Telecel": "tele cel|tele sell",
}
COUNTRIES = {
    "Kenya": "kenia|kenyer|keen ya",
    "Ghana": "gana|garner",
    "Uganda": "yuganda|you ganda|oo ganda",
    "Tanzania": "tanzanya|tan zania",
    "Nigeria": "nigerea|niger ia|nigerya",
    "Zimbabwe": "zimbabway|zim babwe|zimbabwae",
    "Philippines": "philippine|the philippine|phillipines|philipines|filipines|the phillipines",
    "Pakistan": "pakistaan|packistan|pakis tan",
    "Bangladesh": "bangla desh|bangaldesh",
    "Cameroon": "camaroon|cameroun|camroon",
    "Senegal": "senegall|sene gal",
    "Ethiopia": "ethiopea|eethiopia",
    "Mexico": "mexica|mehico",
    "Sri Lanka": "shri lanka|sri lanker",
}
BRAND = "ZuriSend"
BRAND_HEARD = (
    "zoo re send|zoo ree send|zoo reese end|zoo ri send|zoori send|zooree send|zuri send|zuree send|zury send"
    "|zurry send|zoo resend|zuri sent|zoo re sent|zurisend"
)
"""How recognisers hear the company's name; the knowledge lookup and NLU know it only as one word."""
ACRONYMS = {
    "FCA": "f c a|f c a's|eff see ay",
    "ID": "i d|eye dee",
    "SMS": "s m s|ess em ess",
    "ACH": "a c h",
    "KYC": "k y c",
    "PIN": "p i n",
    "UK": "u k",
    "EU": "e u",
}
"""Letters a caller spells out, as the recogniser writes them ("are you regulated by the f c a")."""
CURRENCIES = {
    "GBP": "pounds|pound|quid|sterling|pound sterling|pounds sterling|british pounds|gbp",
    "USD": "dollars|dollar|bucks|us dollars|us dollar|american dollars|usd",
    "EUR": "euros|euro|eur",
    "CAD": "canadian dollars|canadian dollar|cad",
    "KES": "kenyan shillings|kenyan shilling|shillings|shilling|bob|ksh|kes",
    "UGX": "ugandan shillings|ugandan shilling|ugx",
    "TZS": "tanzanian shillings|tanzanian shilling|tzs",
    "GHS": "cedis|cedi|ghana cedis|ghs",
    "NGN": "naira|ngn",
    "XOF": "cfa francs|cfa franc|see eff ay francs|xof",
    "ETB": "birr|etb",
    "PHP": "pesos|peso|philippine pesos|philippine peso|php",
    "MXN": "mexican pesos|mexican peso|mxn",
    "INR": "indian rupees|indian rupee|inr",
    "PKR": "pakistani rupees|pakistani rupee|pkr",
    "BDT": "taka|bdt",
}
THOUSANDS = frozenset("k grand thousand".split())
MINOR_UNITS = frozenset("p pence cents cent".split())


def _phrases(table: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {
        tuple(variant.split()): canonical for canonical, variants in table.items() for variant in variants.split("|")
    }


_PARTNER_PHRASES = _phrases(PARTNERS)
_COUNTRY_PHRASES = _phrases(COUNTRIES)
_CURRENCY_PHRASES = _phrases(CURRENCIES)
_WORD_PHRASES = _phrases({BRAND: BRAND_HEARD, **ACRONYMS})
_LONGEST_PHRASE = max(len(p) for p in (*_PARTNER_PHRASES, *_COUNTRY_PHRASES, *_CURRENCY_PHRASES, *_WORD_PHRASES))

_Z_WORDS = frozenset("z zed zee zulu".split())
_S_WORDS = frozenset("s ess es sierra".split())
_DIGIT_WORDS = frozenset((*UNITS, *TEENS, *TENS, *REPEATS))
_NUMBER_WORDS = frozenset((*UNITS, *TEENS, *TENS, *SCALES))
_COMMON_LETTER_WORDS = frozenset("you are see sea be why tea eye queue cue".split())
"""Letter names that are also everyday words: never the start of a dictated value."""
_SPELLING = frozenset((*NATO, *LETTER_NAMES, *UNITS, *TEENS, *TENS, *REPEATS, "to", "too", "won", "for"))
_DATE_WORDS = frozenset((*_NUMBER_WORDS, *ORDINALS, *MONTHS, "of", "the", "and", "st", "nd", "rd", "th"))
_ORDINAL_DIGITS = re.compile(r"^\d{1,2}(?:st|nd|rd|th)$")
_TYPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?")
_ZERO_WORDS = frozenset("oh o zero nought naught nil".split())
_NUMERIC_DATE = re.compile(r"^\d{1,8}(?:[/.:-]\d{1,4}){0,2}$")
_ALNUM_POSTCODE_PART = re.compile(r"^[a-z]{1,2}-?\d[a-z\d]{0,4}$|^\d{1,2}[a-z]{1,2}$")
_COMMON_TWO_LETTER = frozenset(
    "is in on at my it to of me we he so no do go up us an as or if be by oh ok hi am".split()
)


@dataclass(frozen=True)
class Span:
    """A value found in the transcript: ``start``/``end`` index the normalised text; ``heard`` is what was said."""

    entity: str
    value: str
    start: int
    end: int
    heard: str


@dataclass(frozen=True)
class Normalised:
    text: str
    original: str
    spans: tuple[Span, ...] = ()

    def values(self, entity: str) -> list[str]:
        return [span.value for span in self.spans if span.entity == entity]


class _Budget:
    """Parser calls left for one transcript: keeps hostile input ("zed zed zed ...") to a few milliseconds."""

    def __init__(self, calls: int = MAX_PARSER_CALLS) -> None:
        self.left = calls

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


@dataclass(frozen=True)
class _Piece:
    """One output unit: a kept word, or a rewritten value with its spans (relative to the piece)."""

    text: str
    spans: tuple[tuple[str, str, int, int], ...] = ()
    heard: str = ""


def _key(word: str) -> str:
    return word.lower().strip(_STRIP)


def _split_words(text: str) -> list[str]:
    """Whitespace words, with hyphenated number words ("twenty-five") split as the number parser expects."""
    words: list[str] = []
    for word in text.split():
        parts = _key(word).split("-")
        if len(parts) > 1 and all(part in _NUMBER_WORDS or part in ORDINALS for part in parts):
            words.extend(parts)
        else:
            words.append(word)
    return words


def drop_fillers(words: Sequence[str]) -> list[str]:
    """Remove hesitations, "you know", filler "like" and stuttered function words; data words are never dropped."""
    keys = [_key(w) for w in words]
    out: list[str] = []
    out_keys: list[str] = []
    index = 0
    while index < len(words):
        key = keys[index]
        previous = out_keys[-1] if out_keys else ""
        following = keys[index + 1] if index + 1 < len(keys) else ""
        if key in _FILLERS or (key.endswith("-") and len(key) > 1):
            index += 1
            continue
        if key == "you" and following == "know" and previous not in _YOU_KNOW_KEPT_AFTER:
            index += 2
            continue
        if key == "like" and _filler_like(previous, following):
            index += 1
            continue
        if key in _STUTTER and key == previous:
            index += 1
            continue
        if (
            len(out_keys) >= 2
            and index + 1 < len(keys)
            and (out_keys[-2], out_keys[-1]) == (key, following)
            and key in _STUTTER
        ):
            index += 2
            continue
        out.append(words[index])
        out_keys.append(key)
        index += 1
    return out


def _filler_like(previous: str, following: str) -> bool:
    numeric = following in _NUMBER_WORDS or following.isdigit() or following == "a"
    if previous in _LIKE_FILLER_AFTER and numeric:
        return True
    return previous not in _LIKE_KEPT_AFTER


def _phrase_at(keys: Sequence[str], index: int, table: dict[tuple[str, ...], str]) -> Optional[tuple[str, int]]:
    for length in range(min(_LONGEST_PHRASE, len(keys) - index), 0, -1):
        found = table.get(tuple(keys[index : index + length]))
        if found is not None:
            return found, length
    return None


def _inside_spelling(keys: Sequence[str], index: int, used: int) -> bool:
    """Letters next to more spelled letters are a spelling ("e u n i c e"), not an acronym."""
    before = keys[index - 1] if index > 0 else ""
    after = keys[index + used] if index + used < len(keys) else ""
    return any(len(w) == 1 and w.isalpha() and w not in ("a", "i") or w in NATO for w in (before, after))


def _reference_at(keys: Sequence[str], index: int, budget: _Budget) -> Optional[tuple[str, int]]:
    """ "zed ess four oh three one double eight two two", "z s 7 2 0 9 ...", "zs 4031 8822" -> ZS + 8 digits."""
    first = keys[index]
    second = keys[index + 1] if index + 1 < len(keys) else ""
    if not ((first in _Z_WORDS and second in _S_WORDS) or re.fullmatch(r"zs\d{0,8}", first)):
        return None
    for end in range(index + 1, min(len(keys), index + MAX_WINDOW) + 1):
        word = keys[end - 1]
        if end > index + 1 and not (word in _SPELLING or word in SKIP or word.isdigit() or len(word) == 1):
            return None
        if not budget.spend():
            return None
        for reading in spelled_readings(" ".join(keys[index:end])):
            if REFERENCE.match(reading):
                more_digits = end < len(keys) and (keys[end] in _DIGIT_WORDS or keys[end].isdigit())
                return None if more_digits else (reading, end - index)
    return None


def _date_at(keys: Sequence[str], index: int, today: dt.date, budget: _Budget) -> Optional[tuple[dt.date, int]]:
    """A complete date (day, month and year) starting here.

    Tried only with a month name or an ordinal ("the 3rd of ..."), or when the window is all digits with six or
    eight of them ("04 11 1986", "0605 1966", "25/12 1947"): few other things callers say look like that.
    """
    if not _date_word(keys[index]) or keys[index] in ("of", "and"):
        return None
    end = index
    while end < len(keys) and end - index < MAX_WINDOW and _date_word(keys[end]):
        end += 1
    while end > index and keys[end - 1] in ("of", "the", "and"):
        end -= 1
    window = keys[index:end]
    named = any(k in MONTHS or k in ORDINALS or _ORDINAL_DIGITS.match(k) for k in window)
    numeric = bool(window) and all(_NUMERIC_DATE.match(k) for k in window)
    if numeric:
        numeric = sum(c.isdigit() for k in window for c in k) in (6, 8)
    if (not (named and len(window) >= 3) and not numeric) or not budget.spend():
        return None
    found = parse_date(" ".join(window), today=today)
    return (found[0].value, len(window)) if found else None


def _date_word(key: str) -> bool:
    return key in _DATE_WORDS or bool(_ORDINAL_DIGITS.match(key) or _NUMERIC_DATE.match(key))


def _number_at(keys: Sequence[str], index: int) -> Optional[tuple[Decimal, int]]:
    """The cardinal starting here (typed "1,200", "3k" or spoken "two hundred and fifty") and the words it uses.

    Typed numbers longer than ``MAX_AMOUNT_CHARS`` are left alone: no transfer is that large.
    """
    key = keys[index]
    if len(key) > MAX_AMOUNT_CHARS:
        return None
    typed_k = re.fullmatch(r"(\d+(?:\.\d+)?)k", key)
    if typed_k:
        return Decimal(typed_k.group(1)) * 1000, 1
    if _TYPED_NUMBER.fullmatch(key):
        return Decimal(key.replace(",", "")), 1
    if not (key in _NUMBER_WORDS or key == "a"):
        return None
    items = chunk_numbers(list(keys[index : index + MAX_WINDOW]))
    chunk = items[0] if items else None
    if not isinstance(chunk, NumberChunk) or chunk.ordinal or chunk.start != 0 or key in _ZERO_WORDS:
        return None
    used = chunk.end
    while used > 1 and keys[index + used - 1] == "and":
        used -= 1
    return Decimal(chunk.value), used


def _amount_at(keys: Sequence[str], index: int) -> Optional[tuple[_Piece, int]]:
    """A number with its currency ("250 GBP"); without one, only spoken numbers of several words or of 100 or more
    become digits ("two hundred" -> "200", "twenty five" -> "25"; "three" stays)."""
    number = _number_at(keys, index)
    if number is None:
        return None
    value, used = number
    if index + used < len(keys) and keys[index + used] in THOUSANDS and value < 1000:
        value, used = value * 1000, used + 1
    currency = _phrase_at(keys, index + used, _CURRENCY_PHRASES) if index + used < len(keys) else None
    if currency is None:
        spoken = not any(c.isdigit() for c in keys[index])
        if not spoken or (used == 1 and value < 100):
            return None
        text = _format_amount(value)
        return _Piece(text), used
    code, currency_words = currency
    used += currency_words
    minor = _minor_units(keys, index + used)
    if minor is not None:
        cents, minor_words = minor
        value += Decimal(cents) / 100
        used += minor_words
    amount = _format_amount(value)
    text = f"{amount} {code}"
    return _Piece(text, (("amount", amount, 0, len(amount)), ("currency", code, len(amount) + 1, len(text)))), used


def _minor_units(keys: Sequence[str], index: int) -> Optional[tuple[int, int]]:
    """ "... pounds fifty" (at the end) or "... pounds and fifty pence": the pence."""
    start = index + 1 if index < len(keys) and keys[index] == "and" else index
    items = chunk_numbers(list(keys[start : start + 4]))
    chunk = items[0] if items else None
    if not isinstance(chunk, NumberChunk) or chunk.start != 0 or chunk.ordinal or not 0 < chunk.value < 100:
        return None
    end = start + chunk.end
    if end < len(keys) and keys[end] in MINOR_UNITS:
        return chunk.value, end + 1 - index
    if end == len(keys) and start == index:
        return chunk.value, end - index
    return None


def _format_amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".removesuffix(".00")


def _postcode_at(keys: Sequence[str], index: int, budget: _Budget) -> Optional[tuple[str, int]]:
    """A dictated or typed UK postcode: a letter-like first word, spelling words after it, a valid shape at the end.

    Everyday words may sit inside the window ("pa9 are 7gn"): only a window that reads as a postcode is taken,
    and the longest such window wins. A window never starts like a reference ("zed ess"), ends on "double", or
    stops in the middle of a run of digits.
    """
    first = keys[index]
    letter = first in NATO or (first in LETTER_NAMES and first not in _COMMON_LETTER_WORDS)
    letter = letter or (len(first) == 1 and first.isalpha() and first not in ("a", "i"))
    letter = letter or (len(first) == 2 and first.isalpha() and first not in _COMMON_TWO_LETTER)
    if not (letter or _ALNUM_POSTCODE_PART.match(first)):
        return None
    end = index
    while end < len(keys) and end - index < 10 and _postcode_word(keys[end]):
        end += 1
    if first in _Z_WORDS and index + 1 < len(keys) and keys[index + 1] in _S_WORDS:
        return None
    for stop in range(end, index, -1):
        window = " ".join(keys[index:stop])
        if not any(c.isdigit() for c in window) and not any(k in UNITS or k in TEENS for k in keys[index:stop]):
            continue
        cut_in_digits = stop < len(keys) and (keys[stop] in _DIGIT_WORDS or keys[stop].isdigit())
        if keys[stop - 1] in REPEATS or cut_in_digits:
            continue
        if not budget.spend():
            return None
        found = parse_postcode(window)
        if found and POSTCODE.match(found[0].value) and _close_to_said(found[0].value, window):
            return found[0].value, stop - index
    return None


def _close_to_said(postcode: str, window: str) -> bool:
    """The postcode is one of the window's readings with at most one letter/digit fixed by the postcode shape.

    ``parse_postcode`` may coerce several characters, which is right for a turn known to be a postcode but
    would turn digit strings in free text ("zed ess four oh three one double eight two two nine") into one.
    """
    readings = [*spelled_readings(window), compact(window)]
    return any(
        len(reading) == len(postcode) and sum(a != b for a, b in zip(reading, postcode, strict=True)) <= 1
        for reading in readings
    )


def _postcode_word(key: str) -> bool:
    return (
        key in _SPELLING
        or (len(key) <= 2 and key.isalpha())
        or (len(key) == 1 and key.isalnum())
        or bool(_ALNUM_POSTCODE_PART.match(key))
        or (key.isdigit() and len(key) <= 3)
    )


def normalise_transcript(text: object, today: Optional[dt.date] = None) -> Normalised:
    """The transcript with fillers dropped and value spans rewritten; never raises, whatever ``text`` is."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return Normalised("", "")
    if len(text) > MAX_INPUT_CHARS:
        return Normalised(text, text)
    day = today or dt.date.today()
    words = drop_fillers(_split_words(normalise_text(text, limit=MAX_INPUT_CHARS)))
    keys = [_key(w) for w in words]
    pieces: list[_Piece] = []
    budget = _Budget()
    index = 0
    while index < len(words):
        piece, used = _value_at(words, keys, index, day, budget)
        pieces.append(piece)
        index += used
    return _assemble(pieces, text)


def _value_at(
    words: Sequence[str], keys: Sequence[str], index: int, day: dt.date, budget: _Budget
) -> tuple[_Piece, int]:
    """The piece starting at ``index``; a rewritten value keeps the punctuation that followed it ("1979,")."""
    piece, used = _rewrite_at(words, keys, index, day, budget)
    if piece.spans:
        tail = words[index + used - 1]
        trailing = tail[len(tail.rstrip(".,;:!?")) :]
        piece = _Piece(piece.text + trailing, piece.spans, piece.heard)
    return piece, used


def _rewrite_at(
    words: Sequence[str], keys: Sequence[str], index: int, day: dt.date, budget: _Budget
) -> tuple[_Piece, int]:
    def heard(used: int) -> str:
        return " ".join(words[index : index + used])

    reference = _reference_at(keys, index, budget)
    if reference:
        value, used = reference
        return _Piece(value, (("transfer_reference", value, 0, len(value)),), heard(used)), used
    for entity, table in (("payout_partner", _PARTNER_PHRASES), ("country", _COUNTRY_PHRASES)):
        phrase = _phrase_at(keys, index, table)
        if phrase:
            value, used = phrase
            return _Piece(value, ((entity, value, 0, len(value)),), heard(used)), used
    word = _phrase_at(keys, index, _WORD_PHRASES)
    if word and not _inside_spelling(keys, index, word[1]):
        return _Piece(word[0], (), heard(word[1])), word[1]
    date = _date_at(keys, index, day, budget)
    if date:
        value_date, used = date
        written = f"{value_date.day} {MONTH_NAMES[value_date.month]} {value_date.year}"
        return _Piece(written, (("date", value_date.isoformat(), 0, len(written)),), heard(used)), used
    amount = _amount_at(keys, index)
    if amount:
        piece, used = amount
        return _Piece(piece.text, piece.spans, heard(used)), used
    postcode = _postcode_at(keys, index, budget)
    if postcode:
        value, used = postcode
        written = format_postcode(value)
        return _Piece(written, (("postcode", value, 0, len(written)),), heard(used)), used
    return _Piece(words[index]), 1


def _assemble(pieces: Sequence[_Piece], original: str) -> Normalised:
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for piece in pieces:
        if parts:
            offset += 1
        for entity, value, start, end in piece.spans:
            spans.append(Span(entity, value, offset + start, offset + end, piece.heard))
        parts.append(piece.text)
        offset += len(piece.text)
    return Normalised(" ".join(parts), original, tuple(spans))
