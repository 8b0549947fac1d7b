"""Lexical retrieval: a BM25 index (bm25s) over the claim texts, persisted beside the FAISS file.

Claim-matching studies find BM25 as strong as dense embeddings for matching restated claims
(names, numbers and rare words carry the match), so queries fuse both rankings (see `rrf`).
The BM25 index is rebuilt from the store at each build: bm25s indexes ~100k short texts in
seconds, far less than embedding them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

BM25_DIR = "bm25"
IDS_FILE = "claim_ids.npy"
RRF_K = 60  # the usual reciprocal-rank-fusion constant (Cormack et al. 2009)


def _tokenize(texts: Sequence[str]) -> Any:
    import bm25s

    return bm25s.tokenize(list(texts), stopwords="en", show_progress=False)


def write_bm25(directory: Path, claim_ids: Sequence[int], texts: Sequence[str]) -> list[Path]:
    """Index `texts` with BM25 and save under `directory/bm25/`; returns the files written."""
    import bm25s

    out = directory / BM25_DIR
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / IDS_FILE, np.asarray(claim_ids, dtype=np.int64))
    if texts:
        retriever = bm25s.BM25()
        retriever.index(_tokenize(texts), show_progress=False)
        retriever.save(str(out))
    return sorted(p for p in out.iterdir() if p.is_file())


class LexicalIndex:
    """A loaded BM25 index; `search` returns claim ids with BM25 scores."""

    def __init__(self, directory: Path) -> None:
        path = directory / BM25_DIR
        self.claim_ids = np.load(path / IDS_FILE) if (path / IDS_FILE).exists() else np.zeros(0, np.int64)
        self._retriever: Any = None
        if len(self.claim_ids):
            import bm25s

            self._retriever = bm25s.BM25.load(str(path), mmap=True)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The top `k` claims for `query` by BM25, as (claim id, score), best first."""
        if self._retriever is None or not query.strip():
            return []
        tokens = _tokenize([query])
        if not any(len(t) for t in getattr(tokens, "ids", [[1]])):
            return []
        k = min(k, len(self.claim_ids))
        try:
            docs, scores = self._retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        except (ValueError, IndexError):  # a query made only of unknown words
            return []
        return [(int(self.claim_ids[d]), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several rankings of ids; best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])
