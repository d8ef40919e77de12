"""Export a MiniLM sentence-transformers model to ONNX for ``frontdoor.nlu.encoder``.

Export time only (``make kb`` for the packaged weights, ``rasa train`` for the
fine-tuned copy): PyTorch is imported inside the functions. An export is a
directory of ``model.onnx`` (BERT up to its last hidden state, int8 weights
when ``QUANTISED``), ``tokenizer.json`` and ``encoder.json`` (runtime format,
``max_seq_length``, dimension); the runtime pools and normalises.

    python -m frontdoor.nlu.onnx_export --out DIR   # the packaged weights
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Optional

from frontdoor.nlu import encoder

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

OPSET = 14


def export(model: SentenceTransformer, out_dir: Path, quantise: bool = encoder.QUANTISED) -> Path:
    """Write ``model`` (Transformer, mean Pooling, optional Normalize) as an export directory ``out_dir``.

    Written next to ``out_dir`` and renamed into place, so a concurrent reader
    sees no export or a whole one; if another process got there first, its
    export stays.
    """
    import torch

    modules = list(model)
    transformer, pooling = modules[0], modules[1]
    names = [type(m).__name__ for m in modules]
    if names[:2] != ["Transformer", "Pooling"] or set(names[2:]) - {"Normalize"}:
        raise ValueError(f"expected Transformer, Pooling[, Normalize], got {names}")
    if pooling.get_pooling_mode_str() != "mean":
        raise ValueError(f"expected mean pooling, got {pooling.get_pooling_mode_str()}")

    class LastHidden(torch.nn.Module):
        """BERT with token types fixed to 0, as sentence-transformers feeds single sentences."""

        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}-"))
    try:
        wrapper = LastHidden(transformer.auto_model).float().eval()
        sample = transformer.tokenizer(["an example sentence", "hi"], padding=True, return_tensors="pt")
        fp32 = temp / ("float32.onnx" if quantise else encoder.MODEL_FILE)
        with torch.no_grad():
            torch.onnx.export(
                wrapper,
                (sample["input_ids"], sample["attention_mask"]),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    "last_hidden_state": {0: "batch", 1: "tokens"},
                },
                opset_version=OPSET,
                do_constant_folding=True,
            )
        if quantise:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            # Per output channel: per-tensor scales moved the vectors 2-3 times as far (mean cosine to float32 0.985).
            quantize_dynamic(fp32, temp / encoder.MODEL_FILE, weight_type=QuantType.QUInt8, per_channel=True)
            fp32.unlink()
        transformer.tokenizer.backend_tokenizer.save(str(temp / encoder.TOKENIZER_FILE))
        meta = {
            "runtime": encoder.runtime_name(quantise),
            "max_seq_length": int(model.max_seq_length),
            "dim": int(model.get_sentence_embedding_dimension() or encoder.EMBEDDING_DIM),
        }
        (temp / encoder.META_FILE).write_text(json.dumps(meta))
        for path in [temp, *temp.iterdir()]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)  # mkdtemp makes it private
        try:
            os.replace(temp, out_dir)
        except OSError:
            if not (out_dir / encoder.META_FILE).is_file():
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return out_dir


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m frontdoor.nlu.onnx_export", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="export directory to create")
    args = parser.parse_args(argv)
    from frontdoor.nlu.finetune import load

    export(load(encoder.model_dir()), args.out)


if __name__ == "__main__":
    main()
