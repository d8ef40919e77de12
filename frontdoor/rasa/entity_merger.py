"""Rasa graph component: one canonical entity per span (see ``frontdoor.nlu.entities``)."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from frontdoor.nlu.entities import merge_entities
from frontdoor.rasa.stateless import StatelessComponent


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class EntityMerger(StatelessComponent):
    """Runs last in the NLU pipeline, after every extractor and the synonym mapper."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if entities:
                message.set(ENTITIES, merge_entities(entities), add_to_output=True)
        return messages
