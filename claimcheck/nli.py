"""NLI: how a premise relates to a hypothesis (entailment / neutral / contradiction).

Runs claimcheck's own cross-encoder (all-MiniLM-L6-v2 fine-tuned on NLI data by
`scripts/train_nli.py`, shipped as int8 ONNX in `claimcheck/models/nli/`) through onnxruntime and
tokenizers only: no torch on this path, so `compare` and `query` start fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from claimcheck.errors import ModelMismatch, ModelMissing

# The one place the label order lives; checked against config.json's id2label at load time.
NLI_LABELS = ("entailment", "neutral", "contradiction")
MODEL_FILES = ("model.onnx", "tokenizer.json", "config.json")


class NLIModel(Protocol):
    """Anything that scores (premise, hypothesis) pairs as one row of probabilities per pair, in
    NLI_LABELS order (or in the order of its own `labels` attribute, when it has one)."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


def default_model_dir() -> Path:
    """Where the committed NLI model lives inside the package."""
    return Path(__file__).resolve().parent / "models" / "nli"


def read_config(model_dir: Path) -> dict:
    """Read `config.json` and check its label order against `NLI_LABELS`.

    Args:
        model_dir: directory holding model.onnx, tokenizer.json and config.json.

    Returns:
        The config as a dict.

    Raises:
        ModelMissing: the directory or one of the three files is absent or unreadable.
        ModelMismatch: the model's id2label disagrees with `NLI_LABELS`.
    """
    missing = [name for name in MODEL_FILES if not (model_dir / name).is_file()]
    if missing:
        raise ModelMissing(
            f"NLI model files missing in {model_dir}: {', '.join(missing)}; "
            "reinstall claimcheck or re-run `python scripts/train_nli.py`"
        )
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelMissing(
            f"unreadable {model_dir / 'config.json'} ({exc}); reinstall claimcheck"
        ) from exc
    id2label = config.get("id2label") or {}
    found = tuple(id2label.get(str(i)) for i in range(len(id2label)))
    if found != NLI_LABELS:
        raise ModelMismatch(
            f"the NLI model in {model_dir} has labels {found}, this code expects {NLI_LABELS}; "
            "use the model shipped with this version of claimcheck"
        )
    return config


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum for stability."""
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


# What a user can do about a damaged or incomplete model folder.
REINSTALL_ADVICE = "reinstall claimcheck (the model ships with it), or relate without it with --no-nli"


class OnnxNLIModel:
    """The committed int8 NLI cross-encoder through onnxruntime + tokenizers.

    The int8 activations have scales fixed at export (static quantisation, see
    `scripts/train_nli.py`), so a pair's probabilities are the same whatever else is in its
    batch. The earlier dynamically quantised model took one scale per batch: batch 32 vs
    batch 1 moved a pair's probabilities by up to 0.57 and changed 8 of 400 SICK labels.
    """

    def __init__(
        self, model_dir: Path | None = None, max_length: int = 128, threads: int = 2, *, spin: bool = False
    ) -> None:
        """Load the model.

        Args:
            model_dir: directory of the model; `default_model_dir()` when None.
            max_length: tokens per pair after truncation (premise cut first); 128, the length
                the model was trained at. At 256 climate-fever verification ran 13.1 claims/s,
                at 128 15.5-15.8, with the same verdict macro-F1 (0.377) and relation figures
                within 0.3 points (bench/eval_relations.py --max-length 128).
            threads: onnxruntime intra-op threads.
            spin: let idle onnxruntime threads busy-wait for work. Off by default: the model
                reads beside Python work (the conflict signals of a batch, extraction in a
                build), which spinning threads starve. 300 climate-fever queries in batch mode:
                20.1 claims/s against 19.1 with spinning (medians of six interleaved runs) and
                27-28 CPU-s against 29-33; the model alone on 2,500 SICK pairs, 597-644 pairs/s
                against 641-705.

        Raises:
            ModelMissing: files are absent.
            ModelMismatch: the label order disagrees with `NLI_LABELS`.
        """
        import onnxruntime

        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        self.config = read_config(self.model_dir)
        self.max_length = max_length
        # Two tokenizers because truncation is per tokenizer: cut the premise only, and fall back
        # to cutting both when the hypothesis alone is longer than max_length (rare: that one is
        # read from disk on first use, which keeps 15 ms off a cold query).
        self._tok = self._tokenizer("only_first")
        self._tok_both: Any = None
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        try:
            self._session = onnxruntime.InferenceSession(
                str(self.model_dir / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors for a bad file
            raise self._damaged("model.onnx", exc) from exc
        self._inputs = {i.name for i in self._session.get_inputs()}

    def _tokenizer(self, strategy: str) -> Any:
        """The model's tokenizer, unpadded, truncating at `max_length` with `strategy`."""
        from tokenizers import Tokenizer

        try:
            tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises a bare Exception on a bad file
            raise self._damaged("tokenizer.json", exc) from exc
        tok.no_padding()
        tok.enable_truncation(max_length=self.max_length, strategy=strategy)
        return tok

    def _damaged(self, name: str, exc: BaseException) -> ModelMismatch:
        return ModelMismatch(f"cannot load the NLI model's {self.model_dir / name} "
                             f"({str(exc).splitlines()[0][:200]}); {REINSTALL_ADVICE}")

    def _both_truncated(self) -> Any:
        if self._tok_both is None:
            self._tok_both = self._tokenizer("longest_first")
        return self._tok_both

    def _encode(self, pairs: Sequence[tuple[str, str]]) -> list:
        """Tokenise pairs, premise truncated first."""
        try:
            return self._tok.encode_batch([(p, h) for p, h in pairs])
        except Exception:  # noqa: BLE001 - tokenizers raises a bare Exception on a too-long hypothesis
            out = []
            for p, h in pairs:
                try:
                    out.append(self._tok.encode(p, h))
                except Exception:  # noqa: BLE001
                    out.append(self._both_truncated().encode(p, h))
            return out

    def predict(self, pairs: Sequence[tuple[str, str]], batch_size: int = 16) -> np.ndarray:
        """Probabilities of each label for (premise, hypothesis) pairs.

        Args:
            pairs: (premise, hypothesis) tuples.
            batch_size: pairs per onnxruntime call; pairs are sorted by length first so padding
                stays small. 16: on the pairs of 300 climate-fever queries (63 tokens on
                average) batches of 8, 12 and 16 took 10.6-10.8 s and 32 took 12.9 s (medians
                of four interleaved runs); on SICK's short pairs 8 to 32 run alike.

        Returns:
            float32 array of shape (len(pairs), 3), rows summing to 1, columns in `NLI_LABELS` order.
        """
        if not pairs:
            return np.zeros((0, len(NLI_LABELS)), dtype=np.float32)
        encodings = self._encode(pairs)
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        probs = np.zeros((len(encodings), len(NLI_LABELS)), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in idx)
            feeds = {
                name: np.zeros((len(idx), width), dtype=np.int64)
                for name in ("input_ids", "attention_mask", "token_type_ids")
            }
            for row, i in enumerate(idx):
                enc = encodings[i]
                n = len(enc.ids)
                feeds["input_ids"][row, :n] = enc.ids
                feeds["attention_mask"][row, :n] = 1
                feeds["token_type_ids"][row, :n] = enc.type_ids
            feeds = {k: v for k, v in feeds.items() if k in self._inputs}
            logits = self._session.run(None, feeds)[0]
            if not np.isfinite(logits).all():
                raise self._damaged("model.onnx", ValueError("it gives non-finite scores"))
            probs[idx] = _softmax(logits.astype(np.float32))
        return probs
