"""The ONNX sentence encoder on the packaged weights: agreement with PyTorch, batching, clipping, odd input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from frontdoor.nlu import encoder
from frontdoor.nlu.onnx_export import export
from frontdoor.paths import ROOT

SENTENCES = [
    "how much does it cost to send 100 pounds to kenya",
    "cancel ZS40318822",
    "my mum has not got the money",
    "hi",
    "Où est mon argent ?",
    "uh yeah so the the transfer it says paid but nothing came " * 30,  # past 256 word pieces: truncated
]


@pytest.fixture(scope="module")
def torch_model():
    from frontdoor.nlu.finetune import load

    return load(encoder.model_dir())


@pytest.fixture(scope="module")
def torch_vectors(torch_model) -> np.ndarray:
    return torch_model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)


@pytest.fixture(scope="module")
def float32_export(torch_model, tmp_path_factory) -> encoder.OnnxEncoder:
    return encoder.OnnxEncoder(export(torch_model, tmp_path_factory.mktemp("onnx") / "fp32", quantise=False))


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_float32_export_matches_pytorch(float32_export, torch_vectors):
    vectors = float32_export.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), encoder.EMBEDDING_DIM) and vectors.dtype == np.float32
    assert cosines(vectors, torch_vectors).min() >= 0.9999


def test_served_encoder_stays_close_to_pytorch(torch_vectors):
    served = encoder.get_encoder()
    assert served.max_seq_length == 256  # sentence_bert_config.json of the package
    vectors = encoder.encode(SENTENCES)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert cosines(vectors, torch_vectors).min() >= (0.97 if encoder.QUANTISED else 0.9999)  # int8: 0.977 for "hi"
    # What retrieval needs: each sentence is still nearest to its own PyTorch vector.
    assert list((vectors @ torch_vectors.T).argmax(axis=1)) == list(range(len(SENTENCES)))


@pytest.mark.parametrize("runtime", ["float32", "served"])
def test_batches_of_mixed_lengths_give_the_vectors_of_single_calls(runtime, float32_export):
    """Padding must not leak into a vector; int8 (activation scales per batch) gets there by one text per run."""
    model = float32_export if runtime == "float32" else encoder.get_encoder()
    together = model.encode(SENTENCES, batch_size=4)
    alone = np.vstack([model.encode([s]) for s in SENTENCES])
    np.testing.assert_allclose(together, alone, atol=2e-5)


def test_a_big_batch_on_every_core_gives_the_same_vectors():
    texts = [f"send {n} pounds to kenya" for n in range(encoder.BATCH_THREADS_FROM)]
    big = encoder.encode(texts)
    np.testing.assert_allclose(big[[0, 7, 255]], encoder.encode([texts[0], texts[7], texts[255]]), atol=2e-5)


def test_empty_huge_and_odd_input():
    assert encoder.encode([]).shape == (0, encoder.EMBEDDING_DIM)
    huge = "money " * 20000
    vectors = encoder.encode(["", "   ", huge, huge[: encoder.MAX_CHARS], "\x00\xff😡", "\u202e\u200b"])
    assert vectors.shape == (6, encoder.EMBEDDING_DIM) and np.isfinite(vectors).all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)  # stripped, as sentence-transformers does
    np.testing.assert_allclose(vectors[2], vectors[3], atol=1e-6)  # clipped to MAX_CHARS


def test_the_export_records_the_model_sequence_length(torch_model, tmp_path):
    torch_model.max_seq_length = 16
    try:
        short = encoder.OnnxEncoder(export(torch_model, tmp_path / "short"))
    finally:
        torch_model.max_seq_length = 256
    assert json.loads((tmp_path / "short" / encoder.META_FILE).read_text())["max_seq_length"] == 16
    words = "where is my money it says paid but nothing came to my brother in kenya yesterday"
    np.testing.assert_allclose(short.encode([words]), short.encode([words + " and more words after"]), atol=1e-6)


def test_export_refuses_other_pooling(torch_model, tmp_path):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Pooling

    cls_pooled = SentenceTransformer(modules=[torch_model[0], Pooling(encoder.EMBEDDING_DIM, "cls")], device="cpu")
    with pytest.raises(ValueError, match="mean pooling"):
        export(cls_pooled, tmp_path / "cls")
    assert not (tmp_path / "cls").exists()


def test_an_export_of_another_format_is_refused(tmp_path):
    with pytest.raises(encoder.EncoderFormatError):
        encoder.OnnxEncoder(tmp_path)
    (tmp_path / encoder.META_FILE).write_text(json.dumps({"runtime": "onnx-fp32-0", "max_seq_length": 256}))
    with pytest.raises(encoder.EncoderFormatError, match="onnx-fp32-0"):
        encoder.OnnxEncoder(tmp_path)


def test_the_action_server_code_serves_knowledge_without_pytorch():
    """Registering every action, as ``python -m rasa_sdk`` does, and answering must not import torch."""
    encoder.ensure_base_export()
    probe = (
        "import sys\n"
        "from rasa_sdk.executor import ActionExecutor\n"
        "ActionExecutor().register_package('actions')\n"
        "from frontdoor.knowledge import get_knowledge_base\n"
        "assert get_knowledge_base().answer('how much to send 100 pounds to kenya').article_ids\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_base_export_is_keyed_by_the_weights_and_the_runtime():
    name = encoder.base_export_dir().name
    assert encoder.weights_fingerprint()[:16] in name and encoder.RUNTIME in name
    assert Path(encoder.get_encoder().directory) == encoder.base_export_dir()
