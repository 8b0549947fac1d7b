"""Helpers shared by the evaluation harnesses in bench/: temporary indexes, metrics, tables, results.

Nothing here is part of the library; the harnesses read the shared data in place
(../shared/data) and write their figures as JSON under bench/results/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Before numpy loads, as the command line does.
from claimcheck.settings import one_blas_thread

one_blas_thread()

from claimcheck.build import BuildReport, build
from claimcheck.crossmatch import MatchSettings
from claimcheck.index import current_version_dir
from claimcheck.settings import Resources, Settings
from claimcheck.types import Claim, Document

RESULTS = REPO / "bench" / "results"
DEFAULT_DATA = (REPO.parent / "shared" / "data") if (REPO.parent / "shared" / "data").is_dir() \
    else Path("/work/shared/data")
# Share the ONNX embedder export with indexes/ so temporary indexes do not re-export it (torch).
MODEL_CACHE = REPO / "indexes" / ".models"
NO_CROSSMATCH = MatchSettings(neighbours=1, min_similarity=2.0)  # verification needs no pairs


_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
        "-COLON-": ":", "``": '"', "''": '"'}
_PTB_SPACES = [(re.compile(r" ([,.;:!?%)\]}])"), r"\1"), (re.compile(r"([(\[{$]) "), r"\1"),
               (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1")]


def cli_env() -> dict[str, str]:
    """The environment for timing whole `claimcheck` processes: as on a user's machine, Python
    keeps the compiled bytecode of the package (this sandbox sets PYTHONDONTWRITEBYTECODE, which
    makes every process recompile claimcheck's modules, ~0.03 s of a cold query)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def detokenize_ptb(text: str) -> str:
    """Undo the Penn-Treebank tokenisation of FEVER-derived sets ("Roth -LRB- born 1961 -RRB- ,"
    -> "Roth (born 1961),"): text as a reader would give it, not the data set's escapes."""
    words = [_PTB.get(w, w) for w in text.split()]
    out = " ".join(words)
    for pattern, repl in _PTB_SPACES:
        out = pattern.sub(repl, out)
    return out.strip()


class OneClaimExtractor:
    """Stand-in for claimcheck.extract.Extractor: each document is exactly one claim.

    Sentence-level corpora (an evidence sentence, a headline) must not be split or dropped by the
    claim extractor, or the gold labels no longer point at anything; the Extractor has no such
    mode, so evaluation builds pass this one through `Resources._extractor`.
    """

    min_checkworthiness = 0.0

    def extract_many(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Claim]]]:
        for doc in documents:
            yield doc, [Claim(text=doc.text, sentence=doc.text, start=0, end=len(doc.text),
                              original=doc.text, doc_id=doc.doc_id, source=doc.source)]

    def extract(self, document: Document) -> list[Claim]:
        return next(self.extract_many([document]))[1]


def settings_for(index_dir: Path, use_nli: bool = True) -> Settings:
    """Settings for a temporary index that shares the repository's embedder export."""
    cache = MODEL_CACHE if MODEL_CACHE.is_dir() else None
    return Settings(index_dir=index_dir, model_cache=cache, use_nli=use_nli)


def resources_for(settings: Settings, one_claim: bool) -> Resources:
    resources = Resources(settings)
    if one_claim:
        resources._extractor = OneClaimExtractor()
    return resources


def nli_status(resources: Resources) -> str | None:
    """The NLI model id the relation engine uses, or None (similarity + conflict signals only)."""
    engine = resources.engine
    nli = engine.nli
    if nli is None:
        return None
    return str(getattr(nli, "model_id", None) or type(nli).__name__)


@dataclass
class Built:
    """A finished evaluation build."""

    report: BuildReport
    seconds: float
    line_to_doc: dict[int, str]  # 1-based JSONL line -> doc_id (identical texts share one doc_id)
    doc_source: dict[str, str]  # doc_id -> the source the index kept for it

    @property
    def claims_per_second(self) -> float:
        return self.report.claims_added / self.seconds if self.seconds else 0.0


def build_rows(rows: Sequence[dict[str, Any]], workdir: Path, name: str, resources: Resources,
               match: MatchSettings = NO_CROSSMATCH, reuse: bool = False) -> Built:
    """Write `rows` (fields text, source, title?, date?) to a JSONL file and build an index of it.

    Args:
        reuse: When the index was already built from identical rows in `workdir`, use it as is
            (only for indexes whose build does not depend on the relation engine).

    Returns:
        The build report (None-valued timing when reused), its wall time, and where each row ended up.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"{name}.jsonl"
    content = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    index_dir = Path(resources.settings.index_dir)
    if reuse and data.exists() and data.read_text(encoding="utf-8") == content and index_dir.is_dir():
        print(f"  reusing the index {index_dir} (same rows)", file=sys.stderr)
        line_to_doc, doc_source = read_locations(index_dir)
        db = sqlite3.connect(f"file:{current_version_dir(index_dir) / 'store.sqlite'}?mode=ro", uri=True)
        claims, docs = (db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("claims", "documents"))
        db.close()
        report = BuildReport(str(index_dir), 0, docs, 0, claims, 0, (), {"documents": docs, "claims": claims})
        return Built(report, 0.0, line_to_doc, doc_source)
    data.write_text(content, encoding="utf-8")
    started = time.monotonic()
    report = build([data], resources.settings, resources=resources, match=match, dedupe=False,
                   text_field="text", source_field="source", title_field="title", date_field="date")
    seconds = time.monotonic() - started
    if report.problems:
        print(f"  {len(report.problems)} rows skipped, e.g. {report.problems[0]}", file=sys.stderr)
    line_to_doc, doc_source = read_locations(Path(resources.settings.index_dir))
    return Built(report, seconds, line_to_doc, doc_source)


def read_locations(index_dir: Path) -> tuple[dict[int, str], dict[str, str]]:
    """(JSONL line -> doc_id, doc_id -> source) from a built index's store."""
    db = sqlite3.connect(f"file:{current_version_dir(index_dir) / 'store.sqlite'}?mode=ro", uri=True)
    try:
        line_to_doc = {}
        for location, doc_id in db.execute("SELECT location, doc_id FROM locations"):
            tail = location.rsplit(":", 1)[-1]
            if tail.isdigit():
                line_to_doc[int(tail)] = doc_id
        doc_source = dict(db.execute("SELECT doc_id, source FROM documents"))
    finally:
        db.close()
    return line_to_doc, doc_source


# --- metrics ----------------------------------------------------------------------------------


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """confusion[gold][pred] counts."""
    out = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        out.setdefault(g, {q: 0 for q in labels}).setdefault(p, 0)
        out[g][p] += 1
    return out


def per_class_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    out = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[label] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                      "support": tp + fn}
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    scores = per_class_f1(gold, pred, labels)
    return round(sum(s["f1"] for s in scores.values()) / len(labels), 4)


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """FNC-1 weighted score as a share of the best possible (0.25 for related vs unrelated right,
    0.75 more for the exact stance of a related pair)."""
    got = best = 0.0
    for g, p in zip(gold, pred):
        best += 0.25 if g == "unrelated" else 1.0
        if (g == "unrelated") == (p == "unrelated"):
            got += 0.25
            if g != "unrelated" and g == p:
                got += 0.75
    return round(got / best, 4) if best else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4) if gold else 0.0


def ece(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict[str, Any]:
    """Expected calibration error over equal-width confidence bins, with the reliability table."""
    n = len(confidences)
    table = []
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo <= c < hi) or (b == bins - 1 and c == 1.0)]
        if not idx:
            continue
        conf = sum(confidences[i] for i in idx) / len(idx)
        acc = sum(correct[i] for i in idx) / len(idx)
        total += len(idx) / n * abs(conf - acc)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(idx), "confidence": round(conf, 3),
                      "accuracy": round(acc, 3)})
    return {"ece": round(total, 4) if n else None, "bins": table}


# --- output -----------------------------------------------------------------------------------


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    rows = [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    print("  " + "  ".join("-" * w for w in widths))
    for r in rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)))


def print_confusion(title: str, matrix: dict[str, dict[str, int]], labels: Sequence[str]) -> None:
    print_table(title + " (rows gold, columns predicted)", ["gold \\ pred", *labels],
                [[g, *(matrix.get(g, {}).get(p, 0) for p in labels)] for g in labels])


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def write_results(name: str, data: dict[str, Any], path: Path | None = None) -> Path:
    """Write `data` to `path`, by default bench/results/<name>-<UTC time>.json; returns the path
    (pass it back to rewrite the same file as more sets finish)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = path or RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
