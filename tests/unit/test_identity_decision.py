"""The per-detail, per-channel identity rule (docs/identity.md): every informed-impostor class fails,
the variation genuine customers show passes, on chat and on voice."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.bench_evi import listen
from frontdoor.identity.decision import PASS_MARK, Decision, Profile
from frontdoor.identity.evidence import Evidence
from frontdoor.identity.similarity import levenshtein, ratio
from frontdoor.spoken.dates import written_dates

TERESA = Profile("en.GB.0", "Teresa", "Smith", dt.date(1909, 8, 11), "JE0X 5SB")
ANNE = Profile("en.GB.9", "Anne-Marie", "O'Brien", dt.date(1985, 3, 4), "W2 0AB")
TODAY = dt.date(2026, 11, 20)


def decide(channel: str, name: object, dob: object, postcode: object, profile: Profile = TERESA) -> Decision:
    evidence = Evidence(today=TODAY, channel=channel)
    evidence.add("postcode", postcode)
    evidence.add("name", name)
    evidence.add("dob", dob)
    return evidence.decide(profile)


def chat(name: object, dob: object, postcode: object, profile: Profile = TERESA) -> bool:
    return decide("chat", name, dob, postcode, profile).passed


def voice(name: object, dob: object, postcode: object, profile: Profile = TERESA) -> bool:
    return decide("voice", name, dob, postcode, profile).passed


# --- chat -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dob", ["11/08/1909", "11/8/1909", "1909-08-11", "11 Aug 1909", "11th August 1909", "August 11th 1909",
            "August 11, 1909", "11.08.1909", "11-08-1909", "11 of august 1909", "11081909"],
)  # fmt: skip
def test_chat_accepts_every_common_written_form_of_the_exact_date(dob: str) -> None:
    assert chat("Teresa Smith", dob, "JE0X 5SB")


@pytest.mark.parametrize(
    "name", ["teresa smith", "TERESA SMITH", "Teresa Anne Smith", "Teresa Anne Marie Smith", "Teressa Smith",
             "Teresa Smiht", "Tersa Smith"],
)  # fmt: skip
def test_chat_tolerates_case_middle_names_and_one_typo(name: str) -> None:
    assert chat(name, "11/08/1909", "JE0X 5SB")


@pytest.mark.parametrize("name", ["anne marie obrien", "Anne Marie O Brien", "Anne-Marie O'Brien", "Ànne-Marie OBrien"])
def test_chat_tolerates_accents_hyphens_and_apostrophes(name: str) -> None:
    assert chat(name, "04/03/1985", "w20ab", ANNE)


@pytest.mark.parametrize("postcode", ["je0x5sb", "JE0X  5SB", "je0x 5sb", "JE0X-5SB"])
def test_chat_postcode_ignores_spaces_and_case(postcode: str) -> None:
    assert chat("Teresa Smith", "11/08/1909", postcode)


def test_chat_informed_impostors_fail() -> None:
    assert not chat("Teresa Smith", "11/08/1950", "JE0X 5SB")  # 1: name + postcode, guessed date
    assert not chat("Teresa Smith", "11 August", "JE0X 5SB")  # 2: birthday without a year
    assert not chat("Teresa Smith", "11/08/1971", "JE0X 5SB")  # 2: birthday with a guessed year
    assert not chat("Teresa Smith", "11/08/1908", "JE0X 5SB")  # 3: year off by one
    assert not chat("Teresa Smith", "11/08/1910", "JE0X 5SB")
    assert not chat("Teresa Smith", "11/08/1909", "JE0X 5SD")  # 4: district + a wrong inward code
    assert not chat("Teresa Smith", "11/08/1909", "JE0X")  # 4: district only
    assert not chat("Tom Smith", "02/02/1935", "JE0X 5SB")  # 5: a relative
    assert not chat("John Walker", "03/03/1975", "M4 0QG")  # 6: another customer


def test_chat_never_tolerates_a_different_first_or_last_name() -> None:
    assert not chat("Theresa Smith", "11/08/1909", "JE0X 5SB", ANNE)
    assert not chat("Anne Smith", "04/03/1985", "W2 0AB", ANNE)  # another surname
    assert not chat("Marie O'Brien", "04/03/1985", "W2 0AB", ANNE)  # another first name
    assert not chat("Teresa", "11/08/1909", "JE0X 5SB")  # first name only
    assert not chat("Smith Teresa", "11/08/1909", "JE0X 5SB")
    assert not chat("Teressa Smiht", "11/08/1909", "JE0X 5SB")  # two typos


def test_a_short_name_part_gets_no_typo() -> None:
    tom = Profile("x", "Tom", "Lee", dt.date(1990, 1, 1), "E1 6AN")
    assert chat("Tom Lee", "01/01/1990", "E1 6AN", tom)
    assert not chat("Tim Lee", "01/01/1990", "E1 6AN", tom)
    assert not chat("Tom Lea", "01/01/1990", "E1 6AN", tom)


def test_chat_postcode_must_be_exact_and_single() -> None:
    assert not chat("Teresa Smith", "11/08/1909", "JEOX 5SB")  # letter O for zero is another postcode
    assert not chat("Teresa Smith", "11/08/1909", "JE0X 5SB or JE0X 5SD")


def test_ambiguous_day_month_order_passes_only_on_one_of_its_readings() -> None:
    assert written_dates("03/04/1985") == {dt.date(1985, 4, 3), dt.date(1985, 3, 4)}
    assert written_dates("13/04/1985") == {dt.date(1985, 4, 13)}
    assert chat("Anne-Marie O'Brien", "04/03/1985", "W2 0AB", ANNE)
    assert chat("Anne-Marie O'Brien", "03/04/1985", "W2 0AB", ANNE)  # month first: both valid dates
    assert not chat("Anne-Marie O'Brien", "05/03/1985", "W2 0AB", ANNE)
    assert chat("Teresa Smith", "08/11/1909", "JE0X 5SB")  # month first (US order): both readings are dates
    assert not chat("Teresa Smith", "11/13/1909", "JE0X 5SB")


def test_chat_reads_only_what_was_typed_not_speech_alternatives() -> None:
    alternatives = ["11/08/1908", "11/08/1909"]
    assert not chat("Teresa Smith", alternatives, "JE0X 5SB")


# --- voice ------------------------------------------------------------------------------------------


def test_voice_tolerates_recognition_errors() -> None:
    nato = ["juliet echo zero x-ray five sierra bravo"]
    assert voice(["theresa smyth"], ["the eleventh of august nineteen oh nine"], nato)
    assert voice(["t e r e s a smith", "teresa smith"], ["eleven eight nineteen oh nine"], ["j e zero x five s b"])
    assert voice(["teresa smith"], ["11/08/1909"], ["j e zero x five s dee"])  # E-set: "bee"/"dee"
    assert voice(["teresa smith"], ["the eleventh of august nineteen ninety"], ["JE0X 5SB"])  # "oh nine"/"ninety"


def test_voice_named_date_confusions_pass() -> None:
    fifteen = Profile("x", "Teresa", "Smith", dt.date(1915, 6, 13), "JE0X 5SB")
    assert voice("teresa smith", ["the thirteenth of june nineteen fifty"], "JE0X 5SB", fifteen)  # fifteen/fifty
    assert voice("teresa smith", ["the thirtieth of june nineteen fifteen"], "JE0X 5SB", fifteen)  # 13th/30th
    assert voice("teresa smith", ["the thirteenth of july nineteen fifteen"], "JE0X 5SB", fifteen)  # June/July


def test_voice_informed_impostors_fail() -> None:
    assert not voice("teresa smith", "the eleventh of august nineteen fifty", "JE0X 5SB")
    assert not voice("teresa smith", "the eleventh of august", "JE0X 5SB")
    assert not voice("teresa smith", "the eleventh of august nineteen oh eight", "JE0X 5SB")
    assert not voice("teresa smith", "the eleventh of august nineteen ten", "JE0X 5SB")
    assert not voice("teresa smith", "the eleventh of august nineteen oh nine", "j e zero x")  # district only
    assert not voice("teresa smith", "the eleventh of august nineteen oh nine", "j e zero x nine are aitch")
    assert not voice("tom smith", "the second of february nineteen thirty five", "JE0X 5SB")  # relative
    assert not voice("john walker", "the third of march nineteen seventy five", "M4 0QG")


def test_voice_right_surname_never_carries_another_first_name() -> None:
    assert not voice("sarah smith", "the eleventh of august nineteen oh nine", "JE0X 5SB")
    assert not voice("smith", "the eleventh of august nineteen oh nine", "JE0X 5SB")


def test_each_detail_has_its_own_floor() -> None:
    decision = decide("voice", "teresa smith", "the eleventh of august nineteen oh nine", "JE0X 9RH")
    assert decision.matched("name") and decision.matched("dob") and not decision.matched("postcode")
    assert not decision.passed and decision.score < PASS_MARK


def test_nothing_given_is_no_match() -> None:
    assert Decision(None, None, None).score == 0.0 and Decision(None, None, None).matched("dob") is None
    assert Evidence().empty()


def test_evidence_rejects_unknown_slots_and_channels() -> None:
    with pytest.raises(ValueError):
        Evidence().add("password", "hunter2")
    with pytest.raises(ValueError):
        Evidence(channel="fax")


def test_next_attempt_only_when_nothing_complete_was_understood() -> None:
    turns = {
        "postcode": [["my postcode"], ["juliet echo zero x-ray five sierra bravo"], ["JE0X 5SB"]],
        "name": [["Teresa Smith"], ["Teresa Smith"], ["t e r e s a"]],
        "dob": [[], ["11th of August 1909"], ["11th of August 1909"]],
    }
    evidence, used = listen(turns)
    assert used == 2 + 1 + 2
    assert evidence.decide(TERESA).score == 1.0


def test_edit_distance() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert ratio("", "") == 0.0 and ratio("abc", "abc") == 1.0 and ratio("abcd", "abce") == 0.75
