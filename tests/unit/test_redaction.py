"""Redaction, property style: hundreds of generated values in many phrasings, typed and spoken."""

from __future__ import annotations

import io
import logging
import random
import re
from datetime import date, timedelta
from typing import List

import pytest

from frontdoor.redaction import RedactingFilter, expected_from_prompt, luhn_valid, redact

SEED = 20261201
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def rng() -> random.Random:
    return random.Random(SEED)


def luhn_number(r: random.Random, length: int) -> str:
    prefix = r.choice(["4", "51", "52", "55", "6011", "37", "34"])
    body = prefix + "".join(r.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")


def spoken(digits: str, r: random.Random) -> str:
    """Digits read aloud: "oh" or "zero", "double" for pairs."""
    words: List[str] = []
    i = 0
    while i < len(digits):
        word = "oh" if digits[i] == "0" and r.random() < 0.5 else DIGIT_WORDS[int(digits[i])]
        if i + 1 < len(digits) and digits[i + 1] == digits[i] and r.random() < 0.6:
            words += ["double", word]
            i += 2
        else:
            words.append(word)
            i += 1
    return " ".join(words)


def grouped(digits: str, r: random.Random) -> str:
    separator = r.choice([" ", "-", ""])
    size = r.choice([3, 4])
    return separator.join(digits[i : i + size] for i in range(0, len(digits), size))


def only_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


CARD_TEMPLATES = [
    "my card number is {}",
    "I paid with {} and it was declined",
    "card: {} exp 09/29",
    "{}",
    "it's the visa ending, no wait the whole thing is {} okay",
]


def test_luhn_reference_numbers() -> None:
    assert luhn_valid("4539148803436467")
    assert luhn_valid("378282246310005")
    assert not luhn_valid("4539148803436468")


@pytest.mark.parametrize("index", range(120))
def test_card_numbers_are_masked_whatever_the_format(index: int) -> None:
    r = random.Random(SEED + index)
    number = luhn_number(r, r.randint(13, 19))
    form = spoken(number, r) if index % 4 == 3 else grouped(number, r)
    text = r.choice(CARD_TEMPLATES).format(form)
    out = redact(text)
    assert "[card number]" in out, (text, out)
    assert number[-8:] not in only_digits(out), (text, out)


PHONE_TEMPLATES = [
    "call me on {}",
    "her number is {} thanks",
    "my new phone number: {}",
    "{} is the mobile registered",
    "the M-Pesa number {} didn't get it",
]


def phone_number(r: random.Random) -> tuple[str, str]:
    """(as written, all digits) for UK, Kenyan, Ghanaian and Nigerian numbers in common layouts."""
    kind = r.randrange(5)
    rest = "".join(r.choice("0123456789") for _ in range(8))
    if kind == 0:
        digits = "07" + rest + r.choice("0123456789")
        return f"{digits[:5]} {digits[5:]}", digits
    if kind == 1:
        digits = "447" + rest + r.choice("0123456789")
        return f"+44 {digits[2:6]} {digits[6:]}", digits
    if kind == 2:
        digits = "2547" + rest
        return f"+254 {digits[3:6]} {digits[6:9]} {digits[9:]}", digits
    if kind == 3:
        digits = "020" + rest
        return f"({digits[:3]}) {digits[3:7]} {digits[7:]}", digits
    digits = "0" + r.choice("789") + "0" + rest
    return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}", digits


@pytest.mark.parametrize("index", range(120))
def test_phone_numbers_keep_only_the_last_three_digits(index: int) -> None:
    r = random.Random(SEED * 3 + index)
    written, digits = phone_number(r)
    if index % 4 == 3:
        written = spoken(digits, r)
    text = r.choice(PHONE_TEMPLATES).format(written)
    out = redact(text)
    assert f"[phone ending {digits[-3:]}]" in out, (text, out)
    assert only_digits(out) == only_digits(r_template_digits(out, digits)), (text, out)


def r_template_digits(out: str, digits: str) -> str:
    """The only digits allowed to survive are the last three (templates have none of their own)."""
    return digits[-3:] * out.count("[phone ending")


POSTCODE_SHAPES = ["A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA"]
LETTERS = "ABCDEFGHJKLMNOPRSTUWYZ"


def postcode(r: random.Random) -> str:
    shape = r.choice(POSTCODE_SHAPES)
    return "".join(r.choice(LETTERS) if c == "A" else r.choice("0123456789") if c == "9" else c for c in shape)


@pytest.mark.parametrize("index", range(100))
def test_uk_postcodes_are_masked(index: int) -> None:
    r = random.Random(SEED * 5 + index)
    code = postcode(r)
    form = r.choice([code, code.lower(), code.replace(" ", "")])
    if index % 4 == 3:
        form = " ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c.lower() for c in code.replace(" ", ""))
    text = r.choice(["my postcode is {}", "it's {}", "{}", "I live at 12 High Street, {}, London"]).format(form)
    out = redact(text)
    assert "[postcode]" in out, (text, out)
    assert code.replace(" ", "") not in out.replace(" ", "").upper(), (text, out)


DOB_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%dth of %B %Y"]
ORDINAL_WORDS = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth", "twenty first", "twenty second", "twenty third", "twenty fourth", "twenty fifth", "twenty sixth",
    "twenty seventh", "twenty eighth",
]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spoken_year(year: int) -> str:
    low = year % 100
    words = ["nineteen" if year < 2000 else "twenty"]
    if low < 10:
        words += ["oh", DIGIT_WORDS[low]]
    elif low < 20:
        words.append(["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                      "eighteen", "nineteen"][low - 10])  # fmt: skip
    else:
        words += [TENS[low // 10]] + ([DIGIT_WORDS[low % 10]] if low % 10 else [])
    return " ".join(words)


@pytest.mark.parametrize("index", range(120))
def test_dates_of_birth_are_masked_typed_and_spoken(index: int) -> None:
    r = random.Random(SEED * 7 + index)
    born = date(1935, 1, 1) + timedelta(days=r.randrange(365 * 70))
    born = born.replace(day=min(born.day, 28))
    if index % 4 == 3:
        form = f"the {ORDINAL_WORDS[born.day]} of {born.strftime('%B').lower()} {spoken_year(born.year)}"
    else:
        form = born.strftime(r.choice(DOB_FORMATS))
    template = r.choice(["my date of birth is {}", "I was born on {}", "{}", "DOB {}", "it's {} I think"])
    text = template.format(form)
    out = redact(text)
    assert "[date of birth]" in out, (text, out)
    assert str(born.year) not in out and spoken_year(born.year) not in out, (text, out)


@pytest.mark.parametrize(
    "text",
    [
        "born in 1985",
        "my birthday is 12 March",
        "date of birth the third of june",
        "I was born March 3rd",
        "date of birth: June the 3rd",
    ],
)
def test_partial_birth_dates_are_masked_in_birth_context(text: str) -> None:
    out = redact(text)
    assert "[date of birth]" in out, out


@pytest.mark.parametrize("index", range(80))
def test_one_time_codes_near_code_words_are_masked(index: int) -> None:
    r = random.Random(SEED * 11 + index)
    code = "".join(r.choice("0123456789") for _ in range(r.randint(4, 8)))
    form = spoken(code, r) if index % 3 == 2 else code
    template = r.choice(
        [
            "my code is {}",
            "the OTP was {}",
            "PIN {}",
            "verification code: {}",
            "I got the one-time passcode {} by SMS",
            "{} is the code they sent",
            "the 3D Secure code {} didn't work",
        ]
    )
    text = template.format(form)
    out = redact(text)
    assert "[code]" in out, (text, out)
    assert code not in only_digits(out), (text, out)


def test_a_bare_answer_to_a_sensitive_question_is_masked() -> None:
    assert expected_from_prompt("Thanks. What is your date of birth?") == {"dob"}
    assert expected_from_prompt("And your postcode, please?") == {"postcode"}
    assert "code" in expected_from_prompt("Please read me the code we sent")
    assert redact("12 March", expect={"dob"}) == "[date of birth]"
    assert redact("4821", expect={"code"}) == "[code]"
    assert redact("12 March") == "12 March"


@pytest.mark.parametrize(
    "text",
    [
        "Where is my transfer ZS40318822?",
        "I sent 250 pounds to Kenya on 3 May",
        "I sent £1,200.50 yesterday at 14:05",
        "the Tier 2 limit is 5,000 per transfer and 15,000 per 30 days",
        "the fee was 2.99 GBP and it's been 48 hours",
        "I sent it on 01/11/2026 and it still has not arrived",
        "a promo code SAVE10 gave me 20 GBP off 1500 GBP",
        "I tried 3 times, iOS 16, app version 4.12.1",
        "My name is Amina Otieno and I send money to Nairobi",
        "Tier limits: 1,000, 2,500, 5,000, 15,000, 10,000 and 50,000",
        "",
    ],
)
def test_ordinary_customer_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    ["the fifth of may nineteen oh five", "June the 3rd nineteen eighty", "the twelfth of march two thousand and one"],
)
def test_spoken_full_dates_of_birth_need_no_context(text: str) -> None:
    assert "[date of birth]" in redact(text)
    assert "nineteen" not in redact(text) and "thousand" not in redact(text)


def test_several_kinds_in_one_message() -> None:
    text = "I'm Jo, born 04/07/1990, SW1A 1AA, card 4539 1488 0343 6467, phone 07700 900123, code 482913"
    out = redact(text)
    assert out == (
        "I'm Jo, born [date of birth], [postcode], card [card number], phone [phone ending 123], code [code]"
    )


def test_log_filter_redacts_formatted_messages_and_arguments() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("customer said %s", "card 4539148803436467, phone +447700900123")
        logger.warning("dob is 12/03/1985")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "4539148803436467" not in logged and "7700900" not in logged and "1985" not in logged
    assert "[card number]" in logged and "[phone ending 123]" in logged and "[date of birth]" in logged
