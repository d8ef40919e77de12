from pathlib import Path

from frontdoor.lint import check_nlu, check_responses, plain_text, run
from frontdoor.taxonomy import load_taxonomy


def test_plain_text_strips_annotations():
    assert plain_text('send [200](amount) [quid]{"entity": "currency", "value": "GBP"}') == "send 200 quid"


def test_project_passes_its_own_lints():
    assert [str(p) for p in run()] == []


def test_lint_finds_missing_intents_duplicates_and_voice(tmp_path: Path):
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: fees\n  examples: |\n    - how much\n'
        "- intent: exchange_rate\n  examples: |\n    - How much\n"
    )
    problems = [str(p) for p in check_nlu(load_taxonomy(), {"intents": ["fees"]}, [nlu])]
    assert any("'wallet' missing" in p for p in problems)
    assert any("fees: 1 distinct examples, need 30" in p for p in problems)
    assert any("'how much' is an example of ['exchange_rate', 'fees']" in p for p in problems)
    voice = check_responses({"responses": {
        "utter_a": [{"text": "hi"}],
        "utter_b": [{"text": "hi"}, {"text": "hi", "channel": "voice", "buttons": [{"title": "x"}]}],
    }})
    assert [p.message for p in voice] == [
        "utter_a has no `channel: voice` variant",
        "utter_b: a voice variant cannot have buttons",
    ]
