"""Fine-tuning settings and batching (the training itself: tests/components)."""

from __future__ import annotations

import random

import pytest

from frontdoor.nlu.finetune import FineTuning, _length_batches, fine_tune


def test_settings_default_to_no_fine_tuning():
    assert FineTuning.from_config(None).enabled is False
    assert FineTuning.from_config({}).epochs == 0


def test_settings_are_read_and_typed():
    settings = FineTuning.from_config({"epochs": "3", "learning_rate": "5e-5", "batch_size": 16})
    assert (settings.epochs, settings.learning_rate, settings.batch_size) == (3, 5e-5, 16)
    assert settings.enabled


@pytest.mark.parametrize(
    "values",
    [{"epochs": -1}, {"batch_size": 0}, {"max_tokens": 2}, {"learning_rate": 0}, {"scale": 0}, {"frozen_layers": -1},
     {"epoch": 3}, ["epochs", 3], "3"],
)
def test_bad_settings_are_refused(values):
    with pytest.raises(ValueError):
        FineTuning.from_config(values)  # type: ignore[arg-type]


def test_length_batches_cover_every_text_once_with_similar_lengths():
    texts = ["x" * n for n in range(1, 101)]
    batches = _length_batches(texts, 10, random.Random(1))
    assert sorted(i for batch in batches for i in batch) == list(range(100))
    assert all(len(batch) == 10 for batch in batches)
    assert all(max(batch) - min(batch) < 10 for batch in batches)
    assert batches != sorted(batches)


def test_fine_tune_refuses_unusable_data():
    settings = FineTuning(epochs=1)
    with pytest.raises(ValueError):
        fine_tune([], [], settings)
    with pytest.raises(ValueError):
        fine_tune(["a", "b"], ["x"], settings)
    with pytest.raises(ValueError):
        fine_tune(["a", "b"], ["x", "x"], settings)


def test_freezing_keeps_word_embeddings_and_the_lower_layers_fixed():
    from frontdoor.nlu import encoder
    from frontdoor.nlu.finetune import _freeze, load

    transformer = load(encoder.model_dir())[0].auto_model
    _freeze(transformer, 2)
    trains = [any(p.requires_grad for p in layer.parameters()) for layer in transformer.encoder.layer]
    assert trains == [False, False, True, True, True, True]
    assert not any(p.requires_grad for p in transformer.embeddings.parameters())

    fresh = load(encoder.model_dir())[0].auto_model
    _freeze(fresh, 0)
    assert not fresh.embeddings.word_embeddings.weight.requires_grad
    assert fresh.embeddings.position_embeddings.weight.requires_grad
    assert all(p.requires_grad for p in fresh.encoder.parameters())
