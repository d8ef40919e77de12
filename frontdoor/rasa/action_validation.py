"""Rasa's check of the action server's response, with the validator built once instead of at every call.

Rasa 3.6 checks each response with ``jsonschema.validate``, which first re-validates the large, constant events
schema against its metaschema: about 20 ms of CPU per action call on this machine, 40 ms of a knowledge turn
(``make profile-turn``). The validator built once accepts and rejects exactly the same responses in 1 ms.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import Validator
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: Dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result``: True, or the same ``ValidationError`` with Rasa's hint."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action endpoint "
        f"is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Make every ``RemoteAction`` in this process use the validator built once."""
    response_validator()
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
