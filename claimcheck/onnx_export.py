"""Export the packaged all-MiniLM-L6-v2 to ONNX, so the query path can embed without torch.

Build path only: this module imports torch and transformers. The exported graph takes
`input_ids`, `attention_mask` and `token_type_ids` (int64, dynamic batch and sequence axes) and
returns `sentence_embedding` (float32, (batch, 384)): the transformer, masked mean pooling and L2
normalisation all run inside the graph, so the query side only tokenises and calls onnxruntime.

An export directory holds `model.onnx` (the graph) with its weights in `model.onnx.data`, the `tokenizer.json` it was exported with, and
`embedder.json` (model id, dimension, pooling, max length, checksums). `OnnxEmbedder` in
`claimcheck.embed` loads such a directory.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from claimcheck.embed import (
    DIMENSION,
    EMBEDDER_ID,
    INT8_SUFFIX,
    MANIFEST_NAME,
    MAX_LENGTH,
    MODEL_DATA_FILE,
    MODEL_FILE,
    MODEL_FILE_INT8,
    ONNX_FORMAT_VERSION,
    TOKENIZER_FILE,
    export_fingerprint,
    packaged_model_dir,
    sha256_file,
)

OPSET = 17
INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUT_NAME = "sentence_embedding"


def _pooled_model(source: Path):  # -> torch.nn.Module; torch is imported lazily
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    hf_logging.disable_progress_bar()  # stderr belongs to the build's own progress bar
    # Eager attention traces to plain MatMul/Softmax, which onnxruntime fuses on CPU; the SDPA
    # path adds shape-dependent branches the TorchScript tracer would freeze.
    bert = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class MeanPooledBert(torch.nn.Module):
        """BERT + masked mean pooling + L2 normalisation: sentence-transformers' three modules."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return MeanPooledBert().eval()


def _export_graph(source: Path, onnx_path: Path) -> None:
    import warnings

    import torch

    model = _pooled_model(source)
    # Two rows of different lengths, one padded: the trace sees a real mask.
    input_ids = torch.tensor([[101, 7592, 2088, 102, 0], [101, 7592, 2088, 2003, 102]])
    attention_mask = (input_ids != 0).long()
    token_type_ids = torch.zeros_like(input_ids)
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    axes[OUTPUT_NAME] = {0: "batch"}
    with warnings.catch_warnings(), torch.no_grad():
        # The legacy exporter warns that it is legacy and that masking code is traced; the
        # equivalence test in tests/test_embed.py is what guards the result.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (input_ids, attention_mask, token_type_ids),
            str(onnx_path),
            dynamo=False,  # the dynamo exporter needs onnxscript, which is not a dependency
            input_names=INPUT_NAMES,
            output_names=[OUTPUT_NAME],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )
    _split_weights(onnx_path, MODEL_DATA_FILE)


def _split_weights(onnx_path: Path, data_name: str) -> None:
    """Move the weights out of the graph file into `data_name` beside it.

    onnxruntime maps an external weights file into memory instead of parsing 90 MB of protobuf:
    opening the session took 0.09 s instead of 0.18 s on this 2-core machine, a third of a cold
    query's model loading. The vectors are the same (the same tensors, stored elsewhere).
    """
    import onnx

    model = onnx.load(str(onnx_path))
    onnx.save_model(model, str(onnx_path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data_name, size_threshold=1024)


def quantize_embedder_onnx(export_dir: Path) -> Path:
    """Write `model.int8.onnx` beside `model.onnx`: dynamic int8 quantisation of the weights.

    Not used for index vectors: its cosine with the reference model is below 0.999 (see the
    `OnnxEmbedder` docstring). Kept for measuring and for callers that accept the drift.

    Args:
        export_dir: a directory written by `export_embedder_onnx`.

    Returns:
        The path of the quantised model.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    export_dir = Path(export_dir)
    target = export_dir / MODEL_FILE_INT8
    partial = export_dir / (MODEL_FILE_INT8 + ".partial")
    # Only the weight MatMuls, per output channel: quantising the embedding Gather as well, or
    # per tensor, drops the mean cosine with fp32 from ~0.993 to ~0.96 on news sentences.
    quantize_dynamic(
        export_dir / MODEL_FILE,
        partial,
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
    )
    os.replace(partial, target)
    manifest_path = export_dir / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text())
    manifest["int8"] = {
        "file": MODEL_FILE_INT8,
        "sha256": sha256_file(target),
        "model_id": EMBEDDER_ID + INT8_SUFFIX,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def export_embedder_onnx(dest: Path, *, int8: bool = False) -> Path:
    """Export the packaged all-MiniLM-L6-v2 to an fp32 ONNX directory at `dest`.

    The directory is assembled beside `dest` and renamed into place, so a reader never sees a
    half-written export; an existing `dest` is replaced.

    Args:
        dest: the directory to create, e.g. `indexes/.models/minilm-l6-v2`.
        int8: also write the dynamically quantised `model.int8.onnx`.

    Returns:
        The path of `model.onnx` inside `dest`.
    """
    import torch

    dest = Path(dest)
    source = packaged_model_dir()
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(dest)
    # Not mkdtemp: its owner-only mode would stick to the export; mkdir honours the umask.
    work = dest.parent / f".{dest.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    work.mkdir()
    try:
        _export_graph(source, work / MODEL_FILE)
        shutil.copyfile(source / TOKENIZER_FILE, work / TOKENIZER_FILE)
        manifest = {
            "format_version": ONNX_FORMAT_VERSION,
            "model_id": EMBEDDER_ID,
            "dimension": DIMENSION,
            "max_length": MAX_LENGTH,
            "pooling": "mean",
            "normalised": True,
            "precision": "fp32",
            "file": MODEL_FILE,
            "sha256": sha256_file(work / MODEL_FILE),
            "data_file": MODEL_DATA_FILE,
            "data_sha256": sha256_file(work / MODEL_DATA_FILE),
            "tokenizer_sha256": sha256_file(work / TOKENIZER_FILE),
            "source_sha256": sha256_file(source / "model.safetensors"),
            "stat": export_fingerprint(work / MODEL_FILE, source / "model.safetensors", work / MODEL_DATA_FILE),
            "inputs": INPUT_NAMES,
            "output": OUTPUT_NAME,
            "opset": OPSET,
            "exported_with": {"torch": torch.__version__.split("+")[0]},
        }
        (work / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
        if int8:
            quantize_embedder_onnx(work)
        # The exporter writes the weights owner-only; give every file the mode the umask gives a
        # new file (the manifest's), so a cache shared by several users stays readable to them.
        mode = (work / MANIFEST_NAME).stat().st_mode & 0o777
        for path in work.iterdir():
            path.chmod(mode)
        _swap_into_place(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dest / MODEL_FILE


def _remove_abandoned(dest: Path) -> None:
    """Remove the work folders (`.NAME.PID.*`, `.NAME.old.PID`) of exports whose process is gone:
    one killed outright (SIGTERM, a power cut) cannot clean up after itself."""
    for folder in dest.parent.glob(f".{dest.name}.*"):
        pid = next((int(part) for part in folder.name.split(".") if part.isdigit()), None)
        if pid is None or pid == os.getpid() or not folder.is_dir():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:  # gone; a live process of another user raises PermissionError
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def _swap_into_place(work: Path, dest: Path) -> None:
    # Directories cannot be swapped atomically, so the old one is renamed aside first: `dest` is
    # absent for two renames' time rather than for a whole rmtree, and never half-written.
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old.{os.getpid()}")
        os.replace(dest, old)
    os.replace(work, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
