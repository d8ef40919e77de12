"""Rasa graph component: entities checked against the normaliser's values, then filled from lower n-best
hypotheses and DTMF digits.

Runs after ``EntityMerger`` (see ``frontdoor.spoken.alternatives``). Only
voice messages change; anything else passes untouched.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, METADATA
from rasa.shared.nlu.training_data.message import Message

from frontdoor.rasa.stateless import StatelessComponent
from frontdoor.rasa.transcript_normaliser import ORIGINAL_TEXT, VOICE_SPANS, is_voice
from frontdoor.spoken.alternatives import fill_from_alternatives, reconcile_with_transcript, scored_alternatives


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class NBestEntityFiller(StatelessComponent):
    """Drops entities the parsed values contradict; adds references, postcodes, dates, amounts and currencies
    parsed from the transcript, heard only in other hypotheses, or keyed in."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not is_voice(message):
                continue
            metadata = message.get(METADATA)
            before = list(message.get(ENTITIES) or [])
            original = message.get(ORIGINAL_TEXT)
            alternatives = metadata.get("alternatives")
            top = [confidence for text, confidence in scored_alternatives(alternatives) if text == original]
            entities = reconcile_with_transcript(before, message.get(VOICE_SPANS) or (), top[0] if top else 1.0)
            entities += fill_from_alternatives(entities, alternatives, metadata.get("dtmf"), skip=original)
            if entities != before:
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
