"""Parsing of typed and spoken identity details, over n-best lists, and hostile input."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.identity.names import parse_name
from frontdoor.spoken.dates import parse_date
from frontdoor.spoken.numbers import NumberChunk, chunk_numbers, number_tokens
from frontdoor.spoken.postcodes import format_postcode, is_postcode, parse_postcode, postcode_fragments
from frontdoor.spoken.spelling import spelled_letters, spelled_readings
from frontdoor.spoken.text import as_alternatives

TODAY = dt.date(2026, 11, 20)


def best_date(alternatives: object) -> dt.date | None:
    found = parse_date(alternatives, today=TODAY)
    return found[0].value if found else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the eleventh of august nineteen oh nine", dt.date(1909, 8, 11)),
        ("11/08/1909", dt.date(1909, 8, 11)),
        ("11.08.1909", dt.date(1909, 8, 11)),
        ("1909-08-11", dt.date(1909, 8, 11)),
        ("11081909", dt.date(1909, 8, 11)),
        ("11 Aug 1909", dt.date(1909, 8, 11)),
        ("August 11th, 1909", dt.date(1909, 8, 11)),
        ("27th of the 9th 1979", dt.date(1979, 9, 27)),
        ("twenty first of june two thousand and five", dt.date(2005, 6, 21)),
        ("August the twenty second nineteen sixty seven", dt.date(1967, 8, 22)),
        ("thirteen oktober 1912", dt.date(1912, 10, 13)),
        ("24 March 19-21", dt.date(1921, 3, 24)),
        ("my date of birth is the 3rd of April 1927", dt.date(1927, 4, 3)),
        ("12th of December 1980 to", dt.date(1982, 12, 12)),
        ("11 Aug 09", dt.date(2009, 8, 11)),
        ("11 Aug 32", dt.date(1932, 8, 11)),
    ],
)
def test_dates_typed_and_spoken(text: str, expected: dt.date) -> None:
    assert best_date(text) == expected


@pytest.mark.parametrize("text", ["", "10:00", "31 February 1980", "the 5th of March 2031", "hello", "99/99/9999"])
def test_impossible_or_incomplete_dates_give_nothing(text: str) -> None:
    assert best_date(text) is None


def test_date_nbest_agreement_wins_over_a_single_hypothesis() -> None:
    nbest = ["20 February 1963", "28th February 1963", "28th February 1963"]
    assert best_date(nbest) == dt.date(1963, 2, 28)
    assert best_date([("20 February 1963", 0.2), ("28th February 1963", 0.9)]) == dt.date(1963, 2, 28)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("W2 0AB", "W2 0AB"),
        ("w20ab", "W2 0AB"),
        ("w2 oab", "W2 0AB"),
        ("whiskey two oh alpha bravo", "W2 0AB"),
        ("W for William 2 0 A for Apple B for Bob", "W2 0AB"),
        ("sierra whiskey one alpha one alpha alpha", "SW1A 1AA"),
        ("S W 1 A 1 double A", "SW1A 1AA"),
        ("my postcode is e c one a one bee bee", "EC1A 1BB"),
        ("t for Tommy Q for Queen 6 all for Raja 4 Freddy Lima", "TQ6R 4FL"),
    ],
)
def test_postcodes_typed_spelled_and_nato(text: str, expected: str) -> None:
    found = parse_postcode(text)
    assert found, text
    assert format_postcode(found[0].value) == expected


def test_is_postcode_checks_the_uk_shape() -> None:
    assert is_postcode("sw1a 1aa") and is_postcode("M4 0QG")
    assert not is_postcode("SW1A") and not is_postcode("1234 567")


def test_partial_postcode_is_kept_as_a_fragment_only() -> None:
    assert parse_postcode("w3c") == []
    assert "W3C" in postcode_fragments(["w3c"])


@pytest.mark.parametrize("text", ["", "my postcode", "hello there", "12345678"])
def test_not_a_postcode(text: str) -> None:
    assert parse_postcode(text) == []


def test_names_with_noise_titles_and_variants() -> None:
    heard = parse_name(["and Emma Watkins", "Mrs Emma Watkins", "Emma Watkins"])
    assert heard[0].tokens == ("emma", "watkins")
    assert len(heard) == 1
    assert parse_name("my name is José Núñez")[0].tokens == ("jose", "nunez")


def test_spelled_name_becomes_one_letter_string() -> None:
    heard = parse_name("m a l Co l m b r o WN")
    assert heard[0].spelled and heard[0].joined == "malcolmbrown"
    assert spelled_letters("J for Juliet o e") == "joe"
    assert spelled_letters("double L") == "ll"


def test_spelling_readings_offer_ambiguous_oh() -> None:
    readings = spelled_readings("W two oh")
    assert "W20" in readings and "W2O" in readings


def chunks(text: str) -> list[tuple[str, bool]]:
    return [(c.digits, c.ordinal) for c in chunk_numbers(number_tokens(text)) if isinstance(c, NumberChunk)]


def test_number_chunks_cardinals_ordinals_and_repeats() -> None:
    assert chunks("two hundred and fifty") == [("250", False)]
    assert chunks("twenty first") == [("21", True)]
    assert chunks("nineteen oh nine") == [("19", False), ("0", False), ("9", False)]
    assert chunks("double eight 4") == [("88", False), ("4", False)]
    assert chunks("the 3rd of 1,200") == [("3", True), ("1200", False)]


def test_self_corrections_keep_the_last_value() -> None:
    assert best_date("the 3rd of May 1970, sorry, the 4th of May 1970") == dt.date(1970, 5, 4)


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", b"\xff\xfe\x00binary", 42, 3.5, {"a": 1}, ["\x00\x01"], "x" * 100_000, ["ok"] * 1000],
)
def test_hostile_input_never_crashes(value: object) -> None:
    assert isinstance(as_alternatives(value), list)
    assert isinstance(parse_date(value, today=TODAY), list)
    assert isinstance(parse_postcode(value), list)
    assert isinstance(parse_name(value), list)


def test_nbest_is_capped_and_scored_pairs_are_ordered() -> None:
    assert len(as_alternatives([f"alt {i}" for i in range(100)])) == 20
    assert as_alternatives([("low", 0.1), ("high", 0.9)]) == ["high", "low"]
