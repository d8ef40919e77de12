"""The voice components inside a trained Rasa graph: metadata reaches them, the rewrite precedes tokenisation.

A tiny NLU model without TensorFlow components (seconds to train) with the two voice components
around a minimal pipeline; messages go through ``MessageProcessor.parse_message``
exactly as the voice channel's ``UserMessage`` does.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from frontdoor.paths import ROOT
from frontdoor.voice import Alternative, VoiceTurn

CONFIG = """\
recipe: default.v1
language: en
assistant_id: voice-pipeline-test
pipeline:
  - name: frontdoor.rasa.transcript_normaliser.TranscriptNormaliser
  - name: WhitespaceTokenizer
  - name: KeywordIntentClassifier
  - name: RegexEntityExtractor
    use_regexes: true
  - name: frontdoor.rasa.entity_merger.EntityMerger
  - name: frontdoor.rasa.nbest_entity_filler.NBestEntityFiller
"""
NLU = """\
version: "3.1"
nlu:
- regex: transfer_reference
  examples: |
    - (?i)\\bzs\\d{8}\\b
- intent: transfer_status
  examples: |
    - where is my transfer [ZS40318822](transfer_reference)
    - track [ZS12345678](transfer_reference) please
    - what is the status of my money
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory):
    from rasa.core.agent import Agent

    work = tmp_path_factory.mktemp("voice-pipeline")
    (work / "config.yml").write_text(CONFIG)
    (work / "nlu.yml").write_text(NLU)
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(work / "cache"), "RASA_TELEMETRY_ENABLED": "false"}
    rasa = Path(sys.executable).parent / "rasa"
    subprocess.run(
        [str(rasa), "train", "nlu", "--config", str(work / "config.yml"), "--nlu", str(work / "nlu.yml"),
         "--out", str(work), "--fixed-model-name", "voice"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    return Agent.load(str(work / "voice.tar.gz"))


def parse(agent, text: str, metadata: dict | None = None) -> dict:
    from rasa.core.channels.channel import UserMessage

    return asyncio.run(agent.processor.parse_message(UserMessage(text, metadata=metadata)))


SPOKEN = "um where is my transfer zed ess four oh three one double eight two two"


def test_voice_message_is_normalised_before_tokenisation(agent):
    turn = VoiceTurn("call", (Alternative(SPOKEN, 0.9), Alternative("where is my transfer", 0.5)))
    result = parse(agent, turn.text, turn.nlu_metadata())
    assert result["text"] == "where is my transfer ZS40318822"
    assert result["original_text"] == SPOKEN
    references = [e for e in result["entities"] if e["entity"] == "transfer_reference"]
    assert [e["value"] for e in references] == ["ZS40318822"]
    assert result["text"][references[0]["start"] : references[0]["end"]] == "ZS40318822"
    assert result["text_tokens"][-1] == (21, 31)
    assert result["intent"]["name"] == "transfer_status"


def test_chat_message_is_not_touched(agent):
    result = parse(agent, SPOKEN)
    assert result["text"] == SPOKEN
    assert "original_text" not in result
    assert result["entities"] == []


def test_lower_alternative_and_dtmf_fill_entities(agent):
    turn = VoiceTurn("call", (Alternative("where is it", 0.9),
                              Alternative("where is zed ess one two three four five six seven eight", 0.3)))
    entities = parse(agent, turn.text, turn.nlu_metadata())["entities"]
    assert [(e["value"], e["extractor"], e["source"]) for e in entities] == [
        ("ZS12345678", "NBestEntityFiller", "alternative:1"),
    ]
    keyed = VoiceTurn("call", (), "40318822")
    entities = parse(agent, keyed.text, keyed.nlu_metadata())["entities"]
    assert [(e["value"], e["source"]) for e in entities] == [("ZS40318822", "dtmf")]
