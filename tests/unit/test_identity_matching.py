"""Profile matching scores and the attempt-consumption policy used by the verifier and the EVI benchmark."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.bench_evi import listen
from frontdoor.identity.evidence import Evidence
from frontdoor.identity.matching import ACCEPT_THRESHOLD, DetailScores, Profile, combine
from frontdoor.identity.similarity import levenshtein, ratio

TERESA = Profile("en.GB.0", "Teresa", "Smith", dt.date(1909, 8, 11), "JE0X 5SB")


def score(postcode: object, name: object, dob: object) -> float:
    evidence = Evidence(today=dt.date(2026, 11, 20))
    evidence.add("postcode", postcode)
    evidence.add("name", name)
    evidence.add("dob", dob)
    return combine(evidence.scores(TERESA))


def test_exact_details_score_one() -> None:
    assert score("JE0X 5SB", "Teresa Smith", "11/08/1909") == 1.0


def test_one_misheard_detail_still_passes() -> None:
    assert score("JE0X 5SB", ["Theresa Smyth"], "11/08/1909") >= ACCEPT_THRESHOLD
    assert score("JE0X 5SD", "Teresa Smith", "11/08/1909") >= ACCEPT_THRESHOLD
    assert score("JE0X 5SB", "Teresa Smith", "11/08/1908") >= ACCEPT_THRESHOLD


def test_knowing_two_of_three_details_is_not_enough() -> None:
    assert score("JE0X 5SB", "Teresa Smith", "3 March 1975") < ACCEPT_THRESHOLD
    assert score("JE0X 5SB", "John Walker", "11/08/1909") < ACCEPT_THRESHOLD
    assert score("M4 0QG", "Teresa Smith", "11/08/1909") < ACCEPT_THRESHOLD
    assert score("JE0X 5SB", "Teresa Smith", None) < ACCEPT_THRESHOLD


def test_missing_details_count_as_zero() -> None:
    assert combine(DetailScores(None, None, None)) == 0.0
    assert Evidence().empty()


def test_evidence_rejects_unknown_slots() -> None:
    with pytest.raises(ValueError):
        Evidence().add("password", "hunter2")


def test_next_attempt_only_when_nothing_complete_was_understood() -> None:
    turns = {
        "postcode": [["my postcode"], ["juliet echo zero x-ray five sierra bravo"], ["JE0X 5SB"]],
        "name": [["Teresa Smith"], ["Teresa Smith"], ["t e r e s a"]],
        "dob": [[], ["11th of August 1909"], ["11th of August 1909"]],
    }
    evidence, used = listen(turns)
    assert used == 2 + 1 + 2
    assert combine(evidence.scores(TERESA)) == 1.0


def test_edit_distance() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert ratio("", "") == 0.0 and ratio("abc", "abc") == 1.0 and ratio("abcd", "abce") == 0.75
