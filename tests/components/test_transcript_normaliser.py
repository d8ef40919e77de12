"""The voice components as Rasa graph components: voice messages rewritten, chat and training data untouched."""

from __future__ import annotations

import copy

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from frontdoor.rasa.nbest_entity_filler import NBestEntityFiller
from frontdoor.rasa.transcript_normaliser import ORIGINAL_TEXT, TranscriptNormaliser
from frontdoor.voice import Alternative, VoiceTurn

SPOKEN = "um the reference is zed ess four oh three one double eight two two"


def context() -> ExecutionContext:
    return ExecutionContext(graph_schema=None, node_name="voice_node")  # type: ignore[arg-type]


def normaliser(tmp_path) -> TranscriptNormaliser:
    return TranscriptNormaliser.create({}, LocalModelStorage(tmp_path), Resource("n"), context())


def filler(tmp_path) -> NBestEntityFiller:
    return NBestEntityFiller.create({}, LocalModelStorage(tmp_path), Resource("f"), context())


def voice_message(*transcripts: str, dtmf: str | None = None) -> Message:
    turn = VoiceTurn("call-1", tuple(Alternative(t, 0.9 - 0.3 * i) for i, t in enumerate(transcripts)), dtmf)
    return Message(data={TEXT: turn.text, METADATA: turn.nlu_metadata()})


def test_voice_message_text_is_rewritten_and_the_original_kept(tmp_path):
    message = voice_message(SPOKEN)
    normaliser(tmp_path).process([message])
    assert message.get(TEXT) == "the reference is ZS40318822"
    assert message.get(ORIGINAL_TEXT) == SPOKEN
    assert message.as_dict(only_output_properties=True)[ORIGINAL_TEXT] == SPOKEN


def test_chat_and_metadata_free_messages_are_untouched(tmp_path):
    chat = Message(data={TEXT: SPOKEN, METADATA: {"channel": "rest"}})
    bare = Message(data={TEXT: SPOKEN})
    odd = Message(data={TEXT: SPOKEN, METADATA: ["voice"]})
    empty = Message(data={TEXT: "", METADATA: {"channel": "voice"}})
    normaliser(tmp_path).process([chat, bare, odd, empty])
    assert [m.get(TEXT) for m in (chat, bare, odd)] == [SPOKEN] * 3
    assert all(m.get(ORIGINAL_TEXT) is None for m in (chat, bare, odd, empty))


def test_training_data_is_returned_unchanged(tmp_path):
    examples = [Message(data={TEXT: SPOKEN, "intent": "transfer_status"}),
                Message(data={TEXT: "a hundred quid to kenia", "intent": "fees", METADATA: {"channel": "voice"}})]
    before = copy.deepcopy([m.data for m in examples])
    data = TrainingData(examples)
    assert normaliser(tmp_path).process_training_data(data) is data
    assert [m.data for m in data.training_examples] == before


def test_filler_adds_a_reference_from_a_lower_alternative(tmp_path):
    message = voice_message("where is said as for oh three one double eight two two",
                            "where is zed ess four oh three one double eight two two")
    message.set(ENTITIES, [{"entity": "country", "value": "Kenya", "start": 0, "end": 5,
                            "extractor": "RegexEntityExtractor"}])
    filler(tmp_path).process([message])
    entities = message.get(ENTITIES)
    assert [e["entity"] for e in entities] == ["country", "transfer_reference"]
    added = entities[1]
    assert (added["value"], added["extractor"], added["source"]) == ("ZS40318822", "NBestEntityFiller",
                                                                      "alternative:1")
    assert 0 < added["confidence_entity"] <= 1
    assert "entities" in message.as_dict(only_output_properties=True)


def test_filler_uses_dtmf_digits(tmp_path):
    message = voice_message(dtmf="40318822")
    filler(tmp_path).process([message])
    assert [(e["entity"], e["value"], e["source"]) for e in message.get(ENTITIES)] == [
        ("transfer_reference", "ZS40318822", "dtmf"),
    ]


def test_filler_leaves_chat_messages_and_existing_entities_alone(tmp_path):
    chat = Message(data={TEXT: "hi", METADATA: {"alternatives": [{"transcript": SPOKEN, "confidence": 0.9}]}})
    has_reference = voice_message("ZS11111111", SPOKEN)
    reference = {"entity": "transfer_reference", "value": "ZS11111111", "start": 0, "end": 10}
    has_reference.set(ENTITIES, [reference])
    junk = Message(data={TEXT: "x", METADATA: {"channel": "voice", "alternatives": "junk", "dtmf": 5}})
    filler(tmp_path).process([chat, has_reference, junk])
    assert chat.get(ENTITIES) is None
    assert has_reference.get(ENTITIES) == [reference]
    assert not junk.get(ENTITIES)


def test_both_components_together_fix_a_date_diet_took_for_an_amount(tmp_path):
    message = voice_message("my date of birth is the eleventh of august nineteen oh nine")
    normaliser(tmp_path).process([message])
    assert message.get(TEXT) == "my date of birth is 11 August 1909"
    message.set(ENTITIES, [{"entity": "amount", "value": "11 August 1909", "start": 20, "end": 34,
                            "extractor": "DIETClassifier", "confidence_entity": 0.7}])
    filler(tmp_path).process([message])
    assert [(e["entity"], e["value"], e["start"], e["end"], e["source"], e["confidence_entity"])
            for e in message.get(ENTITIES)] == [("date", "1909-08-11", 20, 34, "transcript", 0.9)]
