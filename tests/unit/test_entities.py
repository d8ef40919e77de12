import pytest

from frontdoor.nlu.entities import canonical_amount, canonical_reference, merge_entities


@pytest.mark.parametrize("text,expected", [
    ("zs40318822", "ZS40318822"), ("ZS 4031 8822", "ZS40318822"), ("ZS4031882", None),
    ("AB40318822", None), ("", None),
])
def test_reference(text, expected):
    assert canonical_reference(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("1,200", "1200"), ("200", "200"), ("£250.50", "250.50"), ("1.2k", "1200"),
    ("two hundred", None), ("12.345", None),
])
def test_amount(text, expected):
    assert canonical_amount(text) == expected


def test_merge_prefers_regex_on_overlap_and_keeps_other_types():
    entities = [
        {"entity": "country", "start": 10, "end": 15, "value": "Kenya", "extractor": "DIETClassifier"},
        {"entity": "country", "start": 10, "end": 15, "value": "Kenya", "extractor": "RegexEntityExtractor"},
        {"entity": "transfer_reference", "start": 20, "end": 30, "value": "zs40318822",
         "extractor": "DIETClassifier"},
        {"entity": "amount", "start": 0, "end": 5, "value": "1,200", "extractor": "DIETClassifier"},
        {"entity": "transfer_reference", "start": 40, "end": 44, "value": "ZS12",
         "extractor": "DIETClassifier"},
    ]
    merged = merge_entities(entities)
    assert [(e["entity"], e["value"], e["extractor"]) for e in merged] == [
        ("amount", "1200", "DIETClassifier"),
        ("country", "Kenya", "RegexEntityExtractor"),
        ("transfer_reference", "ZS40318822", "DIETClassifier"),
    ]


def test_merge_tolerates_missing_fields():
    assert merge_entities([{"entity": "person", "value": ""}, {"entity": "person", "value": "Ama"}]) == [
        {"entity": "person", "value": "Ama"}
    ]
