"""Rasa graph component: voice transcripts normalised before tokenisation (see ``frontdoor.spoken.normalise``).

First in the pipeline, so every tokenizer, featurizer and extractor reads the
rewritten text. Only messages whose ``metadata.channel`` is ``voice`` change
(the voice channel sets it); chat messages and training data pass untouched,
so the trained model is the same with or without this component. The caller's
words stay available as ``original_text`` in the parse result for logging.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from frontdoor.rasa.stateless import StatelessComponent
from frontdoor.spoken.normalise import normalise_transcript

ORIGINAL_TEXT = "original_text"
VOICE_SPANS = "voice_spans"
"""The values the normaliser parsed (offsets in the rewritten text), for ``NBestEntityFiller``; not output."""
VOICE_CHANNEL = "voice"


def is_voice(message: Message) -> bool:
    metadata = message.get(METADATA)
    return isinstance(metadata, dict) and metadata.get("channel") == VOICE_CHANNEL


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class TranscriptNormaliser(StatelessComponent):
    """Rewrites ``text`` of voice messages; adds no features (registered as a featurizer to run before them)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or not isinstance(text, str) or not is_voice(message):
                continue
            normalised = normalise_transcript(text)
            message.set(ORIGINAL_TEXT, text, add_to_output=True)
            if normalised.text and normalised.text != text:
                message.set(TEXT, normalised.text)
            message.set(VOICE_SPANS, normalised.spans if normalised.text else ())
        return messages
