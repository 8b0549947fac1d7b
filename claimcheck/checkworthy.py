"""Check-worthiness: how much a sentence reads like a checkable factual claim (0..1).

A logistic regression over hashed word and character n-grams plus a few dense cues (numbers,
capitalised names, first person, modal verbs, opinion markers). It is trained by
`scripts/train_checkworthy.py` with scikit-learn; the learned weights live in
`claimcheck/models/checkworthy/weights.npz` and are applied here with numpy alone, so the runtime
needs neither scikit-learn nor torch. The featuriser below is shared by training and runtime,
which is what keeps the two in step.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models" / "checkworthy"
# 2**18 buckets: few collisions for ~8k training sentences, and about 1 MB of float32 weights.
N_BUCKETS = 1 << 18
FEATURES_VERSION = "cw-features-1"

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’.,][a-z0-9]+)*|[$%?!]", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(r"\d")
_CAP_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours"})
_SECOND_PERSON = frozenset({"you", "your", "yours"})
_MODALS = frozenset({"will", "would", "should", "could", "might", "may", "must", "shall", "can"})
_OPINION = frozenset(
    {"think", "believe", "feel", "hope", "wish", "want", "love", "hate", "great", "wonderful",
     "terrible", "thank", "thanks", "welcome", "proud", "agree", "disagree", "honor"}
)
_NUMBER_WORDS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred",
     "thousand", "million", "billion", "trillion", "percent", "half", "twice", "dozen"}
)
_DENSE_NAMES = (
    "bias", "has_digit", "n_digits", "has_percent_or_money", "number_word", "n_caps",
    "first_person", "second_person", "modal", "opinion", "question", "n_tokens", "short",
)


def _bucket(feature: str) -> int:
    """Stable across processes and platforms (unlike Python's salted `hash`)."""
    return zlib.crc32(feature.encode("utf-8")) & (N_BUCKETS - 1)


def _tokens(text: str) -> list[str]:
    """Lower-cased word tokens with every digit folded to 0, so "91" and "19" share a feature."""
    return [_DIGIT_RE.sub("0", t.lower()) for t in _WORD_RE.findall(text)]


def dense_features(text: str, tokens: list[str]) -> np.ndarray:
    """Hand-made cues that n-grams see only sparsely; same order as `_DENSE_NAMES`."""
    words = set(tokens)
    n_digits = len(_NUMBER_RE.findall(text))
    return np.array(
        [
            1.0,
            float(n_digits > 0),
            min(n_digits, 8) / 8.0,
            float("%" in text or "$" in text or "percent" in words),
            float(bool(words & _NUMBER_WORDS)),
            min(len(_CAP_RE.findall(text)), 6) / 6.0,
            float(bool(words & _FIRST_PERSON)),
            float(bool(words & _SECOND_PERSON)),
            float(bool(words & _MODALS)),
            float(bool(words & _OPINION)),
            float(text.rstrip().endswith("?")),
            min(len(tokens), 40) / 40.0,
            float(len(tokens) < 6),
        ],
        dtype=np.float32,
    )


@lru_cache(maxsize=1 << 16)
def _word_buckets(tok: str) -> tuple[int, ...]:
    """Buckets of one word's unigram and its char 3-5 grams (words repeat: computed once each)."""
    padded = f" {tok} "
    grams = [f"w:{tok}"]
    for n in (3, 4, 5):
        grams += [f"c:{padded[i:i + n]}" for i in range(max(len(padded) - n + 1, 0))]
    return tuple(_bucket(g) for g in grams)


def hashed_features(tokens: list[str]) -> dict[int, float]:
    """Word 1-2 grams and char 3-5 grams (within words) hashed into buckets, L2-normalised."""
    counts = Counter(_bucket(f"b:{a} {b}") for a, b in pairwise(tokens))
    for tok in tokens:
        counts.update(_word_buckets(tok))
    # Sublinear counts then unit length: long sentences must not win on length alone.
    weights = {i: 1.0 + math.log(c) for i, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {i: w / norm for i, w in weights.items()}


def featurize(text: str) -> tuple[dict[int, float], np.ndarray]:
    """The sparse hashed part and the dense part of one sentence's features."""
    tokens = _tokens(text)
    return hashed_features(tokens), dense_features(text, tokens)


@dataclass(frozen=True)
class CheckworthyModel:
    """Learned weights of the logistic regression."""

    hashed: np.ndarray
    dense: np.ndarray
    intercept: float
    threshold: float

    def score(self, text: str) -> float:
        """Probability that `text` is a check-worthy factual claim.

        Args:
            text: One sentence or claim.

        Returns:
            A float in [0, 1].
        """
        sparse, dense = featurize(text)
        z = self.intercept + float(dense @ self.dense)
        if sparse:
            idx = np.fromiter(sparse.keys(), dtype=np.int64, count=len(sparse))
            vals = np.fromiter(sparse.values(), dtype=np.float32, count=len(sparse))
            z += float(self.hashed[idx] @ vals)
        return 1.0 / (1.0 + math.exp(-max(z, -500.0)))  # no overflow on an extreme text

    def score_many(self, texts: list[str]) -> list[float]:
        """Scores for several texts, in order."""
        return [self.score(t) for t in texts]


def save_model(model: CheckworthyModel, directory: Path, meta: dict[str, object]) -> None:
    """Write weights (npz) and metadata (json) to `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        directory / "weights.npz",
        hashed=model.hashed.astype(np.float32),
        dense=model.dense.astype(np.float32),
        intercept=np.array([model.intercept], dtype=np.float32),
        threshold=np.array([model.threshold], dtype=np.float32),
    )
    meta = {**meta, "features_version": FEATURES_VERSION, "n_buckets": N_BUCKETS,
            "dense_features": list(_DENSE_NAMES)}
    (directory / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_model(directory: Path = MODEL_DIR) -> CheckworthyModel:
    """Load the committed weights once per process.

    Raises:
        FileNotFoundError: When the weights are missing (run scripts/train_checkworthy.py).
    """
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("features_version") != FEATURES_VERSION or meta.get("n_buckets") != N_BUCKETS:
        raise ValueError("check-worthiness weights do not match this featuriser; retrain them")
    with np.load(directory / "weights.npz") as data:
        return CheckworthyModel(
            hashed=data["hashed"].astype(np.float32),
            dense=data["dense"].astype(np.float32),
            intercept=float(data["intercept"][0]),
            threshold=float(data["threshold"][0]),
        )


def checkworthiness(text: str) -> float:
    """Convenience: score one text with the committed model."""
    return load_model().score(text)
