"""Fine-tune the packaged MiniLM on the assistant's own intents.

Frozen all-MiniLM-L6-v2 embeddings are trained for general similarity, so
"my card has not arrived" and "my card arrived broken" sit close together.
A few supervised passes over the NLU examples (a cosine classifier on the
pooled, normalised embedding) pull the intents apart; DIET then reads the
tuned embedding as its dense sentence feature. Training starts from the
packaged weights every time and needs no network.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Mapping, Sequence

from frontdoor.nlu import encoder

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


@dataclass(frozen=True)
class FineTuning:
    """Settings of one fine-tuning run (config.yml: the featurizer's ``fine_tune``)."""

    epochs: int = 0
    learning_rate: float = 1e-4
    batch_size: int = 32
    max_tokens: int = 64
    scale: float = 20.0
    frozen_layers: int = 0
    seed: int = 7

    @classmethod
    def from_config(cls, values: Mapping[str, Any] | None) -> FineTuning:
        if values is None:
            values = {}
        if not isinstance(values, Mapping):
            raise ValueError("fine_tune must be a mapping of settings")
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown fine_tune settings: {', '.join(sorted(unknown))}")
        settings = cls(
            epochs=int(values.get("epochs", cls.epochs)),
            learning_rate=float(values.get("learning_rate", cls.learning_rate)),
            batch_size=int(values.get("batch_size", cls.batch_size)),
            max_tokens=int(values.get("max_tokens", cls.max_tokens)),
            scale=float(values.get("scale", cls.scale)),
            frozen_layers=int(values.get("frozen_layers", cls.frozen_layers)),
            seed=int(values.get("seed", cls.seed)),
        )
        if settings.epochs < 0 or settings.batch_size < 1 or settings.max_tokens < 8:
            raise ValueError("fine_tune needs epochs >= 0, batch_size >= 1 and max_tokens >= 8")
        if settings.frozen_layers < 0:
            raise ValueError("fine_tune needs frozen_layers >= 0")
        if not 0 < settings.learning_rate < 1 or settings.scale <= 0:
            raise ValueError("fine_tune needs 0 < learning_rate < 1 and scale > 0")
        return settings

    @property
    def enabled(self) -> bool:
        return self.epochs > 0


def _length_batches(texts: Sequence[str], size: int, rng: random.Random) -> List[List[int]]:
    """Batches of similar length (little padding), in random order."""
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), rng.random()))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def _freeze(transformer: Any, layers: int) -> None:
    """Word embeddings never train (most of the weights, little gain); lower layers on request.

    Frozen lower layers need no backward pass, which is what makes a 10,000
    example fine-tune fit a 2-core training budget.
    """
    transformer.embeddings.word_embeddings.weight.requires_grad_(False)
    if layers:
        transformer.embeddings.requires_grad_(False)
        for layer in transformer.encoder.layer[:layers]:
            layer.requires_grad_(False)


def fine_tune(texts: Sequence[str], labels: Sequence[str], settings: FineTuning) -> SentenceTransformer:
    """A copy of the packaged encoder trained on ``(text, label)`` pairs, in eval mode.

    The caller exports it (``frontdoor.nlu.onnx_export``): serving never runs
    the PyTorch model.
    """
    if len(texts) != len(labels) or not texts:
        raise ValueError("fine_tune needs one label per text and at least one text")
    if len(set(labels)) < 2:
        raise ValueError("fine_tune needs at least two labels")
    import torch

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rng = random.Random(settings.seed)
    torch.manual_seed(settings.seed)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    try:
        model = load(encoder.model_dir())
        model.max_seq_length = settings.max_tokens
        clipped = [t[: encoder.MAX_CHARS] for t in texts]
        names = sorted(set(labels))
        targets = torch.tensor([names.index(label) for label in labels])
        _freeze(model[0].auto_model, settings.frozen_layers)
        with torch.no_grad():
            start = torch.as_tensor(
                model.encode(
                    clipped, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )
            centroids = torch.stack([start[targets == i].mean(0) for i in range(len(names))])
        head = torch.nn.Parameter(torch.nn.functional.normalize(centroids, dim=-1))
        trainable = [p for p in model.parameters() if p.requires_grad] + [head]
        optimiser = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=0.01)
        steps = settings.epochs * len(_length_batches(clipped, settings.batch_size, rng))
        warmup = max(1, steps // 10)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps)
        )
        model.train()
        for _ in range(settings.epochs):
            for batch in _length_batches(clipped, settings.batch_size, rng):
                features = model.tokenize([clipped[i] for i in batch])
                embedded = model(features)["sentence_embedding"]
                logits = embedded @ torch.nn.functional.normalize(head, dim=-1).T
                loss = torch.nn.functional.cross_entropy(logits * settings.scale, targets[batch])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
        model.eval()
    finally:
        torch.set_num_threads(previous_threads)
    return model


def load(path: Path) -> SentenceTransformer:
    """A sentence-transformers model from a local directory, on the CPU, in float32 (to train or export)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu").float()
