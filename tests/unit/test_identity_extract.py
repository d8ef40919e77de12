"""Several details in one message, in any order."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.identity.extract import extract_details

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "text",
    [
        "Teresa Smith, JE0X 5SB, born 11/08/1909",
        "my postcode is je0x5sb and I was born on 11 August 1909, my name is Teresa Smith",
        "11th of August 1909 JE0X 5SB Teresa Smith",
        "Hi, I'm Teresa Smith. DOB 1909-08-11. Postcode JE0X 5SB.",
    ],
)
def test_all_three_in_any_order(text: str) -> None:
    found = extract_details(text, today=TODAY)
    assert found.postcode == "JE0X5SB"
    assert found.dob == dt.date(1909, 8, 11)
    assert found.name is not None and found.name.lower() == "teresa smith"


def test_only_some_details() -> None:
    found = extract_details("postcode W2 0AB", today=TODAY)
    assert (found.postcode, found.dob, found.name) == ("W20AB", None, None)
    assert extract_details("born on 3 March 1975", today=TODAY).dob == dt.date(1975, 3, 3)


@pytest.mark.parametrize("value", [None, "", "hello", b"\xff\xfe", 7, ["", "   "], "x " * 10_000])
def test_nothing_found(value: object) -> None:
    found = extract_details(value, today=TODAY)
    assert found.postcode is None and found.dob is None
