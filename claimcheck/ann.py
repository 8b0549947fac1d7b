"""Vector index types, chosen by size: exact inner product when small, IVF + 8-bit codes when large.

- `flat`: exact inner-product search (IndexIDMap2 over IndexFlatIP). Exact, 1.5 KB a claim; up to
  `FLAT_LIMIT` claims a brute-force scan is a few milliseconds.
- `ivf-sq8`: inverted lists (k-means cells, nlist ~ 4·sqrt(n)) with 8-bit scalar-quantised vectors:
  384 bytes a claim, so a million claims need ~0.4 GB instead of 1.5 GB, and the file is memory-mapped
  at query time, so a cold process does not read it whole. `nprobe` is calibrated when the index
  is built: the smallest setting whose recall@10 against exact search, on a sample of the index's
  own vectors, reaches RECALL_TARGET; it is stored in the file. A fixed nprobe does not work:
  with nlist ~ 4·sqrt(n), the share of cells probed shrinks as the index grows (bench/bench_scale.py
  measured recall@10 0.78 at 1M claims with nprobe 48).

Both keep claim ids as FAISS ids and support add, remove and reconstruct, so incremental builds
and cross-matching work the same on either.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from claimcheck.errors import BadInput

FLAT_LIMIT = 200_000
INDEX_TYPES = ("auto", "flat", "ivf-sq8")
DEFAULT_NPROBE = 48
# Measured on neighbours other than the query itself; aimed above 0.95 because unseen queries do
# a little worse than index members (0.944 vs 0.954 at 1M claims in bench/bench_scale.py).
RECALL_TARGET = 0.97
NPROBE_STEPS = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048)


def choose_type(n: int, requested: str = "auto") -> str:
    """The index type for `n` vectors: the requested one, or by size when `auto`."""
    if requested not in INDEX_TYPES:
        raise BadInput(f"unknown index type {requested!r}; choose one of {', '.join(INDEX_TYPES)}")
    if requested != "auto":
        return requested
    return "flat" if n < FLAT_LIMIT else "ivf-sq8"


def index_type_of(index: Any) -> str:
    import faiss

    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
    return "ivf-sq8" if isinstance(inner, faiss.IndexIVF) or isinstance(index, faiss.IndexIVF) else "flat"


def new_flat(dimension: int) -> Any:
    import faiss

    return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))


def all_vectors(index: Any) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of every vector stored in a flat or IVF index."""
    import faiss

    if index.ntotal == 0:
        return np.zeros(0, np.int64), np.zeros((0, index.d), np.float32)
    if isinstance(index, faiss.IndexIDMap2):
        ids = faiss.vector_to_array(index.id_map).astype(np.int64)
        return ids, index.index.reconstruct_n(0, index.ntotal)
    ivf = faiss.extract_index_ivf(index)
    ids = []
    for cell in range(ivf.nlist):
        size = ivf.invlists.list_size(cell)
        if size:
            ids.append(faiss.rev_swig_ptr(ivf.invlists.get_ids(cell), size).copy())
    id_array = np.concatenate(ids).astype(np.int64)
    return id_array, np.vstack([index.reconstruct(int(i)) for i in id_array])


def build_ivf(ids: np.ndarray, vectors: np.ndarray, seed: int = 1234) -> Any:
    """Train and fill an IVF-SQ8 inner-product index on the given vectors."""
    import faiss

    n, dimension = vectors.shape
    if n == 0:
        raise BadInput("an ivf-sq8 index is trained on the claims it holds, and there are none; use flat")
    # k-means wants some 39 points a cell; a small index (asked for by --index-type) gets fewer cells.
    nlist = max(1, min(max(16, int(4 * math.sqrt(n))), n // 39))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit,
                                          faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(n, size=min(n, 64 * nlist), replace=False)]
    index.cp.seed = seed
    index.cp.min_points_per_centroid = 1  # no warning for the small index above
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    index.nprobe = calibrate_nprobe(index, ids, vectors, seed=seed)
    return index


def calibrate_nprobe(index: Any, ids: np.ndarray, vectors: np.ndarray, sample: int = 256,
                     seed: int = 1234) -> int:
    """The smallest nprobe whose recall@10 against exact search reaches RECALL_TARGET.

    Args:
        index: A filled IVF index.
        ids: The ids of `vectors`, row for row.
        vectors: Every vector in the index (exact search runs over them).
        sample: How many of them serve as queries.
        seed: Sampling seed.

    Returns:
        The nprobe to store with the index.
    """
    import faiss

    rng = np.random.default_rng(seed)
    rows = rng.choice(len(vectors), size=min(sample, len(vectors)), replace=False)
    queries = np.ascontiguousarray(vectors[rows], dtype=np.float32)
    # Each query is an index member and would find itself; its own id is dropped from both
    # result lists, so recall is measured on its true neighbours, as for an unseen query.
    k = min(11, len(vectors))
    _, exact_rows = faiss.knn(queries, np.ascontiguousarray(vectors, dtype=np.float32), k,
                              metric=faiss.METRIC_INNER_PRODUCT)
    own = ids[rows]
    exact = [set(ids[r].tolist()) - {int(o)} for r, o in zip(exact_rows, own)]
    for nprobe in (*[s for s in NPROBE_STEPS if s < index.nlist], index.nlist):
        index.nprobe = nprobe
        _, found = index.search(queries, k)
        recall = float(np.mean([
            len(e & (set(f.tolist()) - {int(o)})) / max(1, len(e)) for e, f, o in zip(exact, found, own)
        ]))
        if recall >= RECALL_TARGET:
            return nprobe
    return index.nlist


def convert(index: Any, target: str) -> Any:
    """Return `index` as the `target` type (rebuilding when the type changes)."""
    if index_type_of(index) == target:
        return index
    ids, vectors = all_vectors(index)
    if target == "flat":
        flat = new_flat(index.d)
        if len(ids):
            flat.add_with_ids(vectors, ids)
        return flat
    return build_ivf(ids, vectors)


def read(path: Path, mmap: bool = False, flat: bool = False) -> Any:
    """Read a FAISS file, read-only and memory-mapped when `mmap` so a cold query does not copy
    the whole file first: IVF inverted lists are mapped (a query reads only the cells it
    probes), and a flat index's vectors are mapped (`flat=True`; reading 100k vectors took
    0.46 s, mapping them 0.04 s, with identical search results)."""
    import faiss

    flags = 0
    if mmap:
        flags = (faiss.IO_FLAG_MMAP_IFC if flat else faiss.IO_FLAG_MMAP) | faiss.IO_FLAG_READ_ONLY
    return faiss.read_index(str(path), flags)  # an IVF file carries its calibrated nprobe
