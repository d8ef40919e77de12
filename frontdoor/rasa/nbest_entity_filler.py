"""Rasa graph component: entities the top transcript lacks, from lower n-best hypotheses and DTMF digits.

Runs after ``EntityMerger`` (see ``frontdoor.spoken.alternatives``). Only
voice messages carry ``metadata.alternatives`` / ``metadata.dtmf``; anything
else passes untouched.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, METADATA
from rasa.shared.nlu.training_data.message import Message

from frontdoor.rasa.transcript_normaliser import is_voice
from frontdoor.spoken.alternatives import fill_from_alternatives


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class NBestEntityFiller(GraphComponent):
    """Adds references, postcodes, dates, amounts and currencies heard only in other hypotheses or keyed in."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NBestEntityFiller:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not is_voice(message):
                continue
            metadata = message.get(METADATA)
            entities = list(message.get(ENTITIES) or [])
            added = fill_from_alternatives(entities, metadata.get("alternatives"), metadata.get("dtmf"))
            if added:
                message.set(ENTITIES, entities + added, add_to_output=True)
        return messages
