"""The query-side BM25 reader against bm25s itself, and the import it keeps off the query path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claimcheck.lexical import BM25_DIR, LexicalIndex, _tokenize, write_bm25

TEXTS = [
    "Damascus is ready to negotiate with some 91 armed opposition groups.",
    "The talks in Astana start on January 23, the Kremlin said.",
    "Assad said the war in Syria has not yet been won.",
    "Rebels rejected the offer to negotiate in Astana.",
    "Turkey and Russia back opposing sides in the Syrian war.",
    "The the the and of",  # only stopwords: an empty document
]
QUERIES = [
    "Damascus will negotiate with 19 armed groups",
    "talks talks in Astana",  # a repeated word counts twice
    "Syria war won",
    "unknownword",
    "the and",
    "RUSSIA Turkey",
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bm25")
    write_bm25(directory, [100 + i for i in range(len(TEXTS))], TEXTS)
    return directory


def test_scores_equal_bm25s(index_dir: Path) -> None:
    import bm25s

    reference = bm25s.BM25.load(str(index_dir / BM25_DIR))
    lean = LexicalIndex(index_dir)
    for query in QUERIES:
        words = _tokenize([query])
        vocab = {i: w for w, i in words.vocab.items()}
        tokens = [vocab[i] for i in words.ids[0]]
        ours = lean.scores(query)
        known = [t for t in tokens if t in reference.vocab_dict]
        if not known:
            assert ours is None
            continue
        np.testing.assert_allclose(ours, reference.get_scores(known), rtol=1e-6)


def test_search_ranks_by_score(index_dir: Path) -> None:
    lean = LexicalIndex(index_dir)
    hits = lean.search("Astana talks negotiate", 3)
    assert [cid for cid, _ in hits][:2] == [101, 103]
    assert all(a[1] >= b[1] for a, b in zip(hits, hits[1:]))
    assert lean.search("unknownword", 3) == [] and lean.search("  ", 3) == []


def test_query_path_does_not_import_bm25s_or_scipy(index_dir: Path) -> None:
    code = (
        "import sys; from claimcheck.lexical import LexicalIndex; from pathlib import Path; "
        f"print(LexicalIndex(Path({str(index_dir)!r})).search('Astana talks', 2)); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('bm25s', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
