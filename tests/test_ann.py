"""Vector index types: chosen by size, convertible both ways, IVF nprobe calibrated for recall."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from claimcheck import ann
from claimcheck.errors import BadInput

CENTERS = np.random.default_rng(0).normal(size=(200, 64)).astype(np.float32)


def _clustered(n: int, seed: int) -> np.ndarray:
    """Unit vectors around shared cluster centres (held-out queries come from the same mix)."""
    rng = np.random.default_rng(seed)
    x = CENTERS[rng.integers(0, 200, n)] + 0.8 * rng.normal(size=(n, 64)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_choose_type_by_size() -> None:
    assert ann.choose_type(10) == "flat"
    assert ann.choose_type(ann.FLAT_LIMIT) == "ivf-sq8"
    assert ann.choose_type(10, "ivf-sq8") == "ivf-sq8"
    with pytest.raises(BadInput, match="unknown index type 'hnsw'"):
        ann.choose_type(10, "hnsw")


def test_ivf_recall_on_held_out_queries_and_round_trip(tmp_path: Path) -> None:
    vectors = _clustered(30_000, seed=1)
    ids = np.arange(100, 30_100, dtype=np.int64)
    flat = ann.new_flat(64)
    flat.add_with_ids(vectors, ids)
    ivf = ann.convert(flat, "ivf-sq8")
    assert ann.index_type_of(ivf) == "ivf-sq8" and ivf.ntotal == 30_000
    path = tmp_path / "v.faiss"
    faiss.write_index(ivf, str(path))
    loaded = ann.read(path, mmap=True)
    assert faiss.extract_index_ivf(loaded).nprobe == ivf.nprobe  # the calibrated value is kept
    queries = _clustered(300, seed=2)
    _, exact = flat.search(queries, 10)
    _, found = loaded.search(queries, 10)
    recall = np.mean([len(set(e) & set(f)) / 10 for e, f in zip(exact, found)])
    assert recall >= 0.95
    back = ann.convert(ivf, "flat")
    assert ann.index_type_of(back) == "flat" and back.ntotal == 30_000
