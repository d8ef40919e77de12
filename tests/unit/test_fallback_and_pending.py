import pytest

from frontdoor.dialogue.leave_taking import is_polite_close
from frontdoor.fallback import consecutive_fallbacks, consecutive_silences, topic_suggestions
from frontdoor.taxonomy import load_taxonomy


def test_suggestions_skip_fallback_and_dialogue_intents():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "greet", "confidence": 0.3},
        {"name": "fees", "confidence": 0.2},
        {"name": "fees", "confidence": 0.1},
        {"name": "exchange_rate", "confidence": 0.1},
        {"name": "wallet", "confidence": 0.05},
    ]
    names = [r.name for r in topic_suggestions(ranking, load_taxonomy())]
    assert names == ["fees", "exchange_rate"]


def test_suggestions_ignore_negligible_and_unknown_intents():
    ranking = [{"name": "fees", "confidence": 0.9}, {"name": "made_up", "confidence": 0.5},
               {"name": "wallet", "confidence": 0.001}, {"confidence": 0.4}]
    assert [r.name for r in topic_suggestions(ranking, load_taxonomy())] == ["fees"]


def test_consecutive_fallbacks_counts_only_the_latest_run():
    assert consecutive_fallbacks([]) == 0
    assert consecutive_fallbacks(["nlu_fallback", "fees"]) == 0
    assert consecutive_fallbacks(["fees", "nlu_fallback", "nlu_fallback"]) == 2
    assert consecutive_fallbacks(["nlu_fallback", "greet", "nlu_fallback"]) == 1


def test_an_off_topic_reply_after_a_miss_is_a_miss_but_off_topic_alone_is_not():
    assert consecutive_fallbacks(["nlu_fallback", "out_of_scope"]) == 2
    assert consecutive_fallbacks(["out_of_scope", "nlu_fallback"]) == 1
    assert consecutive_fallbacks(["out_of_scope", "out_of_scope"]) == 0
    assert consecutive_fallbacks(["fees", "nlu_fallback", "out_of_scope", "nlu_fallback"]) == 3


@pytest.mark.parametrize("text,leaves", [
    ("no thats all thank you", True), ("nope, thank you", True), ("no thanks thats everything", True),
    ("no, I'm good", True), ("no", False), ("not really", False), ("no it did not help", False),
    ("no, that is not what I asked", False),
])  # fmt: skip
def test_a_no_that_takes_leave(text: str, leaves: bool) -> None:
    assert is_polite_close(text) is leaves



def test_consecutive_silences_counts_only_the_latest_run():
    assert consecutive_silences([]) == 0
    assert consecutive_silences(["hi", "", " "]) == 2
    assert consecutive_silences(["", "hi"]) == 0


@pytest.mark.parametrize(
    ("reply", "rating"),
    [("4", 4), ("I'd give it a four", 4), ("5 stars", 5), ("4/5", 4), ("four out of five", 4), ("a solid 3", 3),
     ("10", None), ("no thanks", None), ("3 or 4", None), ("one hundred percent", None), ("", None), (None, None),
     ("x" * 1000, None)],
)
def test_a_rating_is_read_from_the_reply(reply, rating):
    from frontdoor.analytics.csat import parse_rating

    assert parse_rating(reply) == rating


def test_details_without_any_detail_count_as_not_understood() -> None:
    from actions.common import understood

    inform = {"intent": {"name": "inform"}, "entities": []}
    assert understood(inform, "the thing with the stuff from before") == "nlu_fallback"
    assert understood({**inform, "entities": [{"entity": "country", "value": "Ghana"}]}, "and Ghana?") == "inform"
    assert understood(inform, '/inform{"kb_article": "fees-by-amount"}') == "inform"
    assert understood({"intent": {"name": "fees"}, "entities": []}, "how much") == "fees"
    fallback = {"intent": {"name": "nlu_fallback"}, "entities": []}
    assert understood(fallback, "not comfortable sharing those details, sorry") == "deny", "a refusal is no miss"
    assert understood(inform, "SW1A 1AA") == understood(inform, "John Smith") == understood(inform, "ok") == "inform"
