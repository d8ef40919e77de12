"""`rasa data validate --fail-on-warnings`, with one check made project-aware.

Rasa flags every response that no story or rule names, but most of ours are
sent by custom actions (``dispatcher.utter_message(response=...)``), which
Rasa cannot see. This runs the same checks as the CLI with warnings failing,
and accepts an "unused response" only when an action or the core provably
sends it; a response nobody sends still fails.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path
from typing import Any, Set

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

from frontdoor.paths import ROOT

_UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule")
_SENT = re.compile(r"\"(utter_[a-z0-9_]+)\"")
# Sent by Rasa's own default actions (action_default_fallback).
RASA_DEFAULT_RESPONSES = {"utter_default"}


def responses_sent_by_code(root: Path = ROOT) -> Set[str]:
    """Response names that action or core code passes to the dispatcher."""
    names: Set[str] = set(RASA_DEFAULT_RESPONSES)
    for folder in ("actions", "frontdoor"):
        for path in (root / folder).rglob("*.py"):
            names.update(_SENT.findall(path.read_text(encoding="utf-8")))
    return names


def form_questions(domain: Any) -> Set[str]:
    """``utter_ask_<slot>`` of every form's required slots: the form itself sends them."""
    return {f"utter_ask_{slot}" for form in domain.forms.values() for slot in form.get("required_slots", [])}


def validate(root: Path = ROOT) -> bool:
    importer = TrainingDataImporter.load_from_config(
        config_path=str(root / "config.yml"),
        domain_path=str(root / "domain.yml"),
        training_data_paths=[str(root / "data")],
    )
    validator = Validator.from_importer(importer)
    if importer.get_domain().is_empty():
        print("validate: the domain is empty")
        return False
    ok = all([
        validator.verify_domain_validity(),
        validator.verify_actions_in_stories_rules(),
        validator.verify_forms_in_stories_rules(),
        validator.verify_form_slots(),
        validator.verify_slot_mappings(),
        validator.verify_intents_in_stories(False),
        validator.verify_example_repetition_in_intents(False),
        validator.verify_story_structure(False),
    ])
    sent = responses_sent_by_code(root) | form_questions(importer.get_domain())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator.verify_utterances_in_stories(False)
    for warning in caught:
        match = _UNUSED.search(str(warning.message))
        if match and match.group(1) in sent:
            continue
        print(f"validate: {warning.message}")
        ok = False
    return ok


def main() -> None:
    if not validate():
        sys.exit("Project validation failed (warnings count as failures).")
    print("validate: Rasa data validation passed with no warnings")


if __name__ == "__main__":
    main()
