"""Collecting identity details across turns: typed, spoken, several at once, and what does not count."""

from __future__ import annotations

import datetime as dt

from frontdoor.identity.collect import answers_from, collect_details

TODAY = dt.date(2026, 12, 1)


def test_all_three_in_one_typed_message() -> None:
    given = collect_details("name", ["I'm Katie Marshall, born 27/9/1979, postcode W2 0AB"], TODAY)
    assert given == {"name": "Katie Marshall", "dob": "27/9/1979", "postcode": "W20AB"}


def test_a_date_is_kept_as_written_so_an_ambiguous_order_stays_ambiguous() -> None:
    assert collect_details("dob", ["it's 03/04/1985"], TODAY) == {"dob": "03/04/1985"}


def test_the_requested_detail_keeps_every_spoken_alternative() -> None:
    heard = ["whiskey two oh alpha bravo", "whisky to oh alpha bravo"]
    assert collect_details("postcode", heard, TODAY) == {"postcode": heard}
    spoken = ["the twenty seventh of september nineteen seventy nine"]
    assert collect_details("dob", spoken, TODAY) == {"dob": spoken}


def test_a_detail_given_out_of_order_is_kept() -> None:
    assert collect_details("name", ["my postcode is W2 0AB"], TODAY) == {"postcode": "W20AB"}


def test_nothing_understood_gives_nothing() -> None:
    assert collect_details("dob", ["i don't know"], TODAY) == {}
    assert collect_details("postcode", ["", "   "], TODAY) == {}
    assert collect_details("name", [], TODAY) == {}
    assert collect_details(None, ["where is my transfer"], TODAY) == {}


def test_hostile_input_does_not_crash() -> None:
    for text in ["\x00\x01binary", "x" * 20_000, "'; DROP TABLE customers; --", "<script>alert(1)</script>", "🙂🙂"]:
        assert isinstance(collect_details("name", [text], TODAY), dict)


def test_answers_from_collected_details() -> None:
    answers = answers_from({"name": "Katie Marshall", "dob": "1979-09-27"})
    assert (answers.name, answers.dob, answers.postcode) == ("Katie Marshall", "1979-09-27", None)
