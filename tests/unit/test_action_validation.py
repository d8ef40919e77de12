"""The action-response validator built once accepts and rejects what Rasa's own per-call check does."""

from __future__ import annotations

from typing import Any, Dict

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from frontdoor.rasa import action_validation

VALID: Dict[str, Any] = {
    "events": [
        {"event": "slot", "timestamp": None, "name": "pending_question", "value": "did_it_help"},
        {"event": "bot", "text": "hello", "data": {}},
        {"event": "followup", "name": "action_listen"},
    ],
    "responses": [{"text": "Fees start at 1.99 GBP.", "buttons": []}],
}
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "text"},
    {"events": [{"event": "slot", "name": 3, "value": 1}]},
]


def test_a_valid_response_passes_both_checks() -> None:
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())
    assert action_validation.validate_action_result(RemoteAction("action_x", None), VALID) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_response_fails_with_rasas_error_and_hint(result: Dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as ours:
        action_validation.validate_action_result(RemoteAction("action_x", None), result)
    assert ours.value.message.startswith(rasa_error.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_install_makes_remote_actions_use_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_validation.install()
    assert RemoteAction._validate_action_result is action_validation.validate_action_result
    assert RemoteAction("action_x", None)._validate_action_result(VALID) is True
    with pytest.raises(jsonschema.ValidationError):
        RemoteAction("action_x", None)._validate_action_result(INVALID[0])
