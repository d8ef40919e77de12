"""The MiniLM featurizer as a Rasa graph component: shapes, persistence, refusal, serving without PyTorch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from frontdoor.nlu import encoder
from frontdoor.paths import ROOT
from frontdoor.rasa.sentence_featurizer import EXPORT_DIR, METADATA_FILE, SentenceEncoderFeaturizer


@pytest.fixture()
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture()
def context() -> ExecutionContext:
    return ExecutionContext(graph_schema=None, node_name="minilm_node")  # type: ignore[arg-type]


def config() -> dict:
    return {**SentenceEncoderFeaturizer.get_default_config()}


def test_features_shape_and_values(storage, context):
    resource = Resource("minilm")
    featurizer = SentenceEncoderFeaturizer.create(config(), storage, resource, context)
    messages = [Message(data={TEXT: "where is my money"}), Message(data={TEXT: "hello"}), Message(data={})]
    featurizer.process(messages)
    sequence, sentence = messages[0].get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, encoder.EMBEDDING_DIM)
    assert [f.origin for f in messages[0].features] == ["minilm"]
    assert np.isclose(np.linalg.norm(sentence.features), 1.0, atol=1e-4)
    other = messages[1].get_dense_features(TEXT)[1].features
    assert not np.allclose(sentence.features, other)
    assert messages[2].get_dense_features(TEXT) == (None, None)


def test_persist_load_round_trip_gives_identical_features(storage, context):
    resource = Resource("minilm")
    trained = SentenceEncoderFeaturizer.create(config(), storage, resource, context)
    trained.train(TrainingData([Message(data={TEXT: "hi", "intent": "greet"})]))
    loaded = SentenceEncoderFeaturizer.load(config(), storage, resource, context)
    assert loaded.trained_with == trained.trained_with
    assert loaded.trained_with["dim"] == 384
    first, second = Message(data={TEXT: "cancel ZS40318822"}), Message(data={TEXT: "cancel ZS40318822"})
    trained.process([first])
    loaded.process([second])
    np.testing.assert_allclose(
        first.get_dense_features(TEXT)[1].features, second.get_dense_features(TEXT)[1].features, atol=1e-6
    )


def test_load_refuses_a_model_trained_with_other_weights(storage, context):
    resource = Resource("minilm")
    with storage.write_to(resource) as directory:
        (directory / METADATA_FILE).write_text(json.dumps({"weights_sha256": "0" * 64}))
    with pytest.raises(RasaException, match="different sentence-encoder weights"):
        SentenceEncoderFeaturizer.load(config(), storage, resource, context)


def test_load_refuses_a_model_stored_in_another_format(storage, context):
    resource = Resource("minilm")
    with storage.write_to(resource) as directory:  # as the PyTorch-serving code stored a model
        (directory / METADATA_FILE).write_text(json.dumps({"weights_sha256": encoder.weights_fingerprint()}))
    with pytest.raises(RasaException, match="retrain"):
        SentenceEncoderFeaturizer.load(config(), storage, resource, context)


def test_the_fingerprint_names_the_stored_format():
    assert SentenceEncoderFeaturizer.fingerprint_addon(config()) == encoder.RUNTIME


SERVE_WITHOUT_TORCH = """
import sys
from pathlib import Path
from frontdoor.rasa.serve import forbid_torch
forbid_torch()
import spacy  # thinc imports torch when it can: it must cope
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from frontdoor.rasa.sentence_featurizer import SentenceEncoderFeaturizer
featurizer = SentenceEncoderFeaturizer.load(
    SentenceEncoderFeaturizer.get_default_config(), LocalModelStorage(Path(sys.argv[1])), Resource("minilm"),
    ExecutionContext(graph_schema=None, node_name="minilm_node"),
)
message = Message(data={"text": "cancel ZS40318822"})
featurizer.process([message])
print(",".join(f"{x:.6f}" for x in message.get_dense_features("text")[1].features[0]))
"""


def test_a_trained_model_is_served_with_pytorch_unavailable(storage, context, tmp_path):
    resource = Resource("minilm")
    trained = SentenceEncoderFeaturizer.create(config(), storage, resource, context)
    trained.train(TrainingData([Message(data={TEXT: "hi", "intent": "greet"})]))
    with storage.read_from(resource) as directory:
        assert (directory / EXPORT_DIR / encoder.MODEL_FILE).is_file()
        assert not list(directory.rglob("*.safetensors"))
    done = subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_TORCH, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    served = np.array([float(x) for x in done.stdout.strip().splitlines()[-1].split(",")])
    message = Message(data={TEXT: "cancel ZS40318822"})
    trained.process([message])
    np.testing.assert_allclose(served, message.get_dense_features(TEXT)[1].features[0], atol=1e-5)


def test_huge_and_junk_text_is_encoded_without_error(storage, context):
    featurizer = SentenceEncoderFeaturizer.create(config(), storage, Resource("minilm"), context)
    messages = [Message(data={TEXT: "money " * 20000}), Message(data={TEXT: "\x00\xff😡"})]
    featurizer.process(messages)
    assert all(m.get_dense_features(TEXT)[1].features.shape == (1, 384) for m in messages)


def test_bad_config_is_rejected(storage, context):
    with pytest.raises(RasaException):
        SentenceEncoderFeaturizer.create({**config(), "batch_size": 0}, storage, Resource("m"), context)


TUNING_EXAMPLES = {
    "cancel_transfer": [
        "cancel my transfer", "please stop the money I sent", "I want to cancel ZS40318822",
        "um cancel the transfer to my brother", "can you stop the payment", "dont send it cancel",
    ],
    "transfer_not_received": [
        "my mum has not got the money", "where is my money", "the transfer never arrived",
        "recipient still waiting for the cash", "it says paid but nothing came", "money not received yet",
    ],
}


def tuning_data() -> TrainingData:
    return TrainingData(
        [Message(data={TEXT: text, "intent": intent}) for intent, texts in TUNING_EXAMPLES.items() for text in texts]
    )


def separation(vectors: np.ndarray, labels: list) -> float:
    """Mean same-intent cosine minus mean cross-intent cosine."""
    similarity = vectors @ vectors.T
    codes = np.array([sorted(set(labels)).index(label) for label in labels])
    same = codes[:, None] == codes[None, :]
    cross = ~same
    np.fill_diagonal(same, False)
    return float(similarity[same].mean() - similarity[cross].mean())


def test_fine_tuning_separates_intents_and_survives_persistence(storage, context):
    tuning = {**config(), "fine_tune": {"epochs": 4, "batch_size": 4, "learning_rate": 1e-4}}
    resource = Resource("minilm")
    trained = SentenceEncoderFeaturizer.create(tuning, storage, resource, context)
    trained.train(tuning_data())
    assert trained.trained_with["fine_tuned"] is True
    assert trained.trained_with["fine_tune"]["epochs"] == 4
    loaded = SentenceEncoderFeaturizer.load(tuning, storage, resource, context)

    texts = [t for texts in TUNING_EXAMPLES.values() for t in texts]
    labels = [intent for intent, texts in TUNING_EXAMPLES.items() for _ in texts]
    messages = [Message(data={TEXT: t}) for t in texts]
    loaded.process(messages)
    tuned = np.vstack([m.get_dense_features(TEXT)[1].features for m in messages])
    assert np.allclose(np.linalg.norm(tuned, axis=1), 1.0, atol=1e-3)
    assert separation(tuned, labels) > separation(encoder.encode(texts), labels)

    again = [Message(data={TEXT: "where is my money"})]
    trained.process(again)
    np.testing.assert_allclose(again[0].get_dense_features(TEXT)[1].features, tuned[7:8], atol=1e-5)


def test_fine_tuning_needs_two_intents(storage, context):
    tuning = {**config(), "fine_tune": {"epochs": 1}}
    featurizer = SentenceEncoderFeaturizer.create(tuning, storage, Resource("minilm"), context)
    featurizer.train(TrainingData([Message(data={TEXT: "hi", "intent": "greet"})]))
    assert featurizer.trained_with["fine_tuned"] is False


@pytest.mark.parametrize(
    "fine_tune", [{"epochs": -1}, {"learning_rate": 2}, {"batch_size": 0}, {"epochs": 1, "warmup": 3}, "three"]
)
def test_bad_fine_tune_settings_are_rejected(storage, context, fine_tune):
    with pytest.raises(RasaException, match="fine_tune|SentenceEncoderFeaturizer"):
        SentenceEncoderFeaturizer.create({**config(), "fine_tune": fine_tune}, storage, Resource("m"), context)
