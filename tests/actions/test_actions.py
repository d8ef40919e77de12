"""Actions run on trackers recorded from real conversations (tests/actions/record.py).

The executor is rasa_sdk's own, so this is the action server's code path
without the HTTP hop; the e2e tests cover the hop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from frontdoor.paths import ROOT

TRACKERS = Path(__file__).parent / "trackers"


@pytest.fixture(scope="module")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


async def run(executor: ActionExecutor, domain: Dict[str, Any], action: str, tracker: str) -> Dict[str, Any]:
    payload = {
        "next_action": action,
        "sender_id": tracker,
        "tracker": json.loads((TRACKERS / f"{tracker}.json").read_text()),
        "domain": domain,
        "version": "3.6.2",
    }
    result = await executor.run(payload)
    assert result is not None
    return result


def slot_sets(result: Dict[str, Any]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in result["events"] if e["event"] == "slot"}


async def test_unbuilt_reason_names_the_topic_and_offers_an_agent(executor, domain):
    result = await run(executor, domain, "action_handle_reason", "fees_question")
    [response] = result["responses"]
    assert response["response"] == "utter_not_available_yet"
    assert response["topic"] == "fees"
    assert slot_sets(result) == {"pending_question": "agent"}


async def test_handoff_reason_says_how_to_reach_an_agent(executor, domain):
    result = await run(executor, domain, "action_handle_reason", "request_human")
    assert [r["response"] for r in result["responses"]] == ["utter_agent_not_connected_yet"]
    assert slot_sets(result) == {"pending_question": None}


async def test_first_fallback_offers_the_two_likeliest_topics(executor, domain):
    tracker = json.loads((TRACKERS / "unclear_once.json").read_text())
    assert tracker["latest_message"]["intent"]["name"] == "nlu_fallback"
    result = await run(executor, domain, "action_clarify_topics", "unclear_once")
    [response] = result["responses"]
    assert response["response"] == "utter_clarify_topics"
    ranked = [e["name"] for e in tracker["latest_message"]["intent_ranking"]
              if e["name"] not in ("nlu_fallback", "greet", "goodbye", "affirm", "deny", "thank",
                                   "bot_challenge", "inform", "out_of_scope")]
    assert [response["intent_a"], response["intent_b"]] == ranked[:2]
    assert response["topic_a"] and response["topic_b"]
    assert slot_sets(result) == {"pending_question": "topics"}


async def test_second_fallback_in_a_row_offers_an_agent(executor, domain):
    result = await run(executor, domain, "action_clarify_topics", "unclear_twice")
    assert [r["response"] for r in result["responses"]] == ["utter_offer_agent"]
    assert slot_sets(result) == {"pending_question": "agent"}


async def test_empty_message_is_asked_again(executor, domain):
    result = await run(executor, domain, "action_clarify_topics", "empty_message")
    assert [r["response"] for r in result["responses"]] == ["utter_empty_message"]


async def test_yes_to_a_pending_agent_offer(executor, domain):
    tracker = json.loads((TRACKERS / "fees_question.json").read_text())
    tracker["slots"]["pending_question"] = "agent"
    tracker["latest_message"]["intent"] = {"name": "affirm", "confidence": 1.0}
    (TRACKERS / "_tmp_affirm.json").write_text(json.dumps(tracker))
    try:
        result = await run(executor, domain, "action_answer_pending", "_tmp_affirm")
    finally:
        (TRACKERS / "_tmp_affirm.json").unlink()
    assert [r["response"] for r in result["responses"]] == ["utter_agent_not_connected_yet"]
    assert slot_sets(result) == {"pending_question": None}
