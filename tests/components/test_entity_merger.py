from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from frontdoor.rasa.entity_merger import EntityMerger


def test_merger_component_rewrites_entities_in_place():
    message = Message(data={TEXT: "send 1,200 to kenya", ENTITIES: [
        {"entity": "amount", "start": 5, "end": 10, "value": "1,200", "extractor": "DIETClassifier"},
        {"entity": "country", "start": 14, "end": 19, "value": "Kenya", "extractor": "DIETClassifier"},
        {"entity": "country", "start": 14, "end": 19, "value": "Kenya", "extractor": "RegexEntityExtractor"},
    ]})
    EntityMerger().process([message, Message(data={TEXT: "hi"})])
    assert [(e["entity"], e["value"], e["extractor"]) for e in message.get(ENTITIES)] == [
        ("amount", "1200", "DIETClassifier"), ("country", "Kenya", "RegexEntityExtractor"),
    ]
