"""Lexical retrieval: a BM25 index (bm25s) over the claim texts, persisted beside the FAISS file.

Claim-matching studies find BM25 as strong as dense embeddings for matching restated claims
(names, numbers and rare words carry the match), so queries fuse both rankings (see `rrf`).
The BM25 index is rebuilt from the store at each build: bm25s indexes ~100k short texts in
seconds, far less than embedding them.

Queries do not import bm25s: it imports scipy.sparse, about 0.2 s of a cold query. bm25s stores
the finished BM25 weight of every (token, claim) as a CSC matrix (three .npy arrays) and its
vocabulary as JSON; scoring a query is summing the columns of its tokens. `LexicalIndex` does
exactly that with numpy on memory-mapped arrays, tokenizing the query with the pattern and
stopwords bm25s used at build time (saved beside the index as `tokenizer.json`). A test checks
the scores against bm25s's own `retrieve`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BM25_DIR = "bm25"
IDS_FILE = "claim_ids.npy"
TOKENIZER_FILE = "tokenizer.json"
RRF_K = 60  # the usual reciprocal-rank-fusion constant (Cormack et al. 2009)


STOPWORDS = "en"


def _tokenize(texts: Sequence[str]) -> Any:
    import bm25s

    return bm25s.tokenize(list(texts), stopwords=STOPWORDS, show_progress=False)


def _tokenizer_spec() -> dict[str, Any]:
    """The pattern, case folding and stopwords `bm25s.tokenize` applies (read from bm25s)."""
    import inspect

    import bm25s
    from bm25s.tokenization import _infer_stopwords

    params = inspect.signature(bm25s.tokenize).parameters
    return {"token_pattern": params["token_pattern"].default, "lower": params["lower"].default,
            "stopwords": sorted(_infer_stopwords(STOPWORDS)), "bm25s": bm25s.__version__}


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
        (out / TOKENIZER_FILE).write_text(json.dumps(_tokenizer_spec()), encoding="utf-8")
    return sorted(p for p in out.iterdir() if p.is_file())


@dataclass(frozen=True)
class _SavedBM25:
    """What a query needs of a saved bm25s index: its tokenizer and its CSC weight matrix."""

    pattern: re.Pattern[str]
    lower: bool
    stopwords: frozenset[str]
    vocab: dict[str, int]
    num_docs: int
    dtype: np.dtype
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


class LexicalIndex:
    """A loaded BM25 index; `search` returns claim ids with BM25 scores."""

    def __init__(self, directory: Path) -> None:
        path = directory / BM25_DIR
        self.claim_ids = np.load(path / IDS_FILE) if (path / IDS_FILE).exists() else np.zeros(0, np.int64)
        self._retriever: Any = None
        self._lean: _SavedBM25 | None = None
        if not len(self.claim_ids):
            return
        if (path / TOKENIZER_FILE).exists():
            spec = json.loads((path / TOKENIZER_FILE).read_text(encoding="utf-8"))
            vocab = json.loads((path / "vocab.index.json").read_text(encoding="utf-8"))
            params = json.loads((path / "params.index.json").read_text(encoding="utf-8"))
            arrays = [np.load(path / f"{name}.csc.index.npy", mmap_mode="r")
                      for name in ("data", "indices", "indptr")]
            self._lean = _SavedBM25(re.compile(spec["token_pattern"]), bool(spec["lower"]),
                                    frozenset(spec["stopwords"]), vocab, int(params["num_docs"]),
                                    np.dtype(params.get("dtype", "float32")), *arrays)
        else:  # written before tokenizer.json existed: let bm25s read it
            import bm25s

            self._retriever = bm25s.BM25.load(str(path), mmap=True)

    def scores(self, query: str) -> np.ndarray | None:
        """BM25 score of every indexed claim for `query` (None when no query word is indexed)."""
        if self._lean is None:
            return None
        bm = self._lean
        words = bm.pattern.findall(query.lower() if bm.lower else query)
        ids = [bm.vocab[w] for w in words if w not in bm.stopwords and w in bm.vocab]
        if not ids:
            return None
        out = np.zeros(bm.num_docs, dtype=bm.dtype)
        for token in ids:  # repeated words count again, as in bm25s
            start, end = int(bm.indptr[token]), int(bm.indptr[token + 1])
            np.add.at(out, bm.indices[start:end], bm.data[start:end])
        return out

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The top `k` claims for `query` by BM25, as (claim id, score), best first."""
        if not query.strip() or not len(self.claim_ids):
            return []
        k = min(k, len(self.claim_ids))
        if self._lean is not None:
            scores = self.scores(query)
            if scores is None:
                return []
            top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
            top = top[np.lexsort((top, -scores[top]))]
            return [(int(self.claim_ids[d]), float(scores[d])) for d in top if scores[d] > 0]
        tokens = _tokenize([query])
        if not any(len(t) for t in getattr(tokens, "ids", [[1]])):
            return []
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
