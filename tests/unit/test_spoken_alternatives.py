"""Entities from lower n-best hypotheses and keypad digits, only where the message has none."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from frontdoor.spoken.alternatives import (
    EXTRACTOR,
    dtmf_digits,
    fill_from_alternatives,
    reconcile_with_transcript,
    scored_alternatives,
)
from frontdoor.spoken.normalise import normalise_transcript

TODAY = dt.date(2026, 11, 20)


def alts(*pairs: tuple[str, float | None]) -> list[dict]:
    return [{"transcript": t, "confidence": c} for t, c in pairs]


def values(added: list[dict]) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in added}


def test_reference_heard_only_in_the_second_hypothesis():
    nbest = alts(("where is said as for oh three one double eight two two", 0.81),
                 ("where is zed ess four oh three one double eight two two", 0.42))
    added = fill_from_alternatives([], nbest, today=TODAY)
    assert added == [{
        "entity": "transfer_reference", "value": "ZS40318822", "extractor": EXTRACTOR, "confidence_entity": 0.42,
        "source": "alternative:1", "text": "zed ess four oh three one double eight two two",
    }]


def test_an_entity_the_message_already_has_is_not_added_again():
    existing = [{"entity": "transfer_reference", "value": "ZS11111111", "start": 0, "end": 10}]
    nbest = alts(("ZS11111111", 0.9), ("zed ess four oh three one double eight two two", 0.4))
    assert fill_from_alternatives(existing, nbest, today=TODAY) == []


def test_the_best_ranked_alternative_wins_and_each_type_is_added_once():
    nbest = alts(("my date of birth is", 0.9), ("the eleventh of august nineteen oh nine", 0.5),
                 ("the twelfth of august nineteen oh nine", 0.4))
    added = fill_from_alternatives([], nbest, today=TODAY)
    assert values(added) == {"date": "1909-08-11"}
    assert added[0]["source"] == "alternative:1"


def test_postcode_amount_and_currency():
    nbest = alts(("it's whisky to oh", 0.7), ("whiskey two oh alpha bravo", 0.5),
                 ("two hundred pounds", 0.3))
    assert values(fill_from_alternatives([], nbest, today=TODAY)) == {
        "postcode": "W20AB", "amount": "200", "currency": "GBP",
    }


def test_top_transcript_values_the_extractors_cannot_find_are_added_too():
    added = fill_from_alternatives([], alts(("my postcode is whiskey two oh alpha bravo", 0.9)), today=TODAY)
    assert values(added) == {"postcode": "W20AB"}
    assert added[0]["source"] == "alternative:0"


def test_missing_confidence_falls_back_to_the_rank_prior():
    nbest = alts(("hello", None), ("zed ess four oh three one double eight two two", None))
    assert fill_from_alternatives([], nbest, today=TODAY)[0]["confidence_entity"] == pytest.approx(1 / 1.15, 1e-3)


@pytest.mark.parametrize(
    "dtmf, expected",
    [
        ("40318822", {"transfer_reference": "ZS40318822"}),
        ("11081909", {"transfer_reference": "ZS11081909", "date": "1909-08-11"}),
        ("110809", {"date": "2009-08-11"}),
        ("4031*8822#", {"transfer_reference": "ZS40318822"}),
        ("1234", {}),
        ("", {}),
        (None, {}),
        (40318822, {}),
        ("9" * 40, {}),
    ],
)
def test_dtmf_digits(dtmf, expected):
    assert values(fill_from_alternatives([], [], dtmf, today=TODAY)) == expected


def test_dtmf_does_not_override_a_spoken_reference():
    nbest = alts(("zed ess four oh three one double eight two two", 0.9))
    added = fill_from_alternatives([], nbest, "12345678", today=TODAY)
    assert values(added)["transfer_reference"] == "ZS40318822"
    dtmf_entities = [e for e in added if e["source"] == "dtmf"]
    assert [e["entity"] for e in dtmf_entities] == []
    assert dtmf_digits("12*34#") == "1234"


@pytest.mark.parametrize(
    "junk",
    [None, "zed ess", 42, {"transcript": "x"}, [None, 3, "text", {"transcript": None}, {"transcript": 5},
                                                  {"transcript": "hi", "confidence": "high"},
                                                  {"transcript": "hi", "confidence": True},
                                                  {"transcript": "hi", "confidence": float("nan")}],
     [{"transcript": "zed " * 600, "confidence": 0.5}] * 25],
)
def test_junk_alternatives_never_raise(junk):
    assert isinstance(fill_from_alternatives([None, "x"], junk, {"bad": 1}, today=TODAY), list)  # type: ignore[list-item]


def test_scored_alternatives_keeps_order_and_caps_the_list():
    raw = alts(*[(f"hypothesis {i}", 0.5) for i in range(30)])
    scored = scored_alternatives(raw)
    assert len(scored) == 20
    assert scored[0] == ("hypothesis 0", 0.5)


def test_a_hostile_turn_is_cheap():
    nbest = alts(*[(("zed ess w2 " * 300)[:1999], 0.5)] * 20)
    started = time.perf_counter()
    fill_from_alternatives([], nbest, today=TODAY)
    assert time.perf_counter() - started < 1.0


def reconciled(text: str, entities: list[dict]) -> list[tuple]:
    spans = normalise_transcript(text, today=TODAY)
    out = reconcile_with_transcript(entities, spans.spans, 0.8)
    return [(e["entity"], e["value"], e["extractor"], spans.text[e["start"]:e["end"]]) for e in out]


def test_parsed_values_win_over_diet_on_their_spans():
    text = "my date of birth is the eleventh of august nineteen oh nine"
    assert normalise_transcript(text, today=TODAY).text == "my date of birth is 11 August 1909"
    diet = {"entity": "amount", "value": "11 August 1909", "start": 20, "end": 34, "extractor": "DIETClassifier"}
    assert reconciled(text, [diet]) == [("date", "1909-08-11", EXTRACTOR, "11 August 1909")]


def test_deterministic_entities_are_kept_and_not_duplicated():
    text = "i sent two hundred pounds to kenia"  # -> "i sent 200 GBP to Kenya"
    regex_currency = {"entity": "currency", "value": "GBP", "start": 11, "end": 14, "extractor": "RegexEntityExtractor"}
    diet_amount = {"entity": "amount", "value": "200", "start": 7, "end": 10, "extractor": "DIETClassifier"}
    diet_person = {"entity": "person", "value": "i", "start": 0, "end": 1, "extractor": "DIETClassifier"}
    assert reconciled(text, [diet_person, diet_amount, regex_currency]) == [
        ("person", "i", "DIETClassifier", "i"),
        ("amount", "200", EXTRACTOR, "200"),
        ("currency", "GBP", "RegexEntityExtractor", "GBP"),
        ("country", "Kenya", EXTRACTOR, "Kenya"),
    ]


def test_reconcile_tolerates_odd_entities():
    odd = [{"entity": "amount", "extractor": "DIETClassifier"}, {"entity": "x", "start": "a", "end": None}, "junk"]
    assert len(reconcile_with_transcript(odd, normalise_transcript("two hundred pounds").spans)) == 4
