"""Benchmark: build throughput vs bare embedding, and whole-process query latency.

Prints, and writes to bench/results/build_query.json:

(a) build throughput in claims/s (models already loaded, so model start-up is not counted; the
    per-stage split is printed, and extraction's part of the wall time: busy, of the CPU time, and
    attributable, i.e. saved by a second build whose claims were extracted beforehand) next to the bare embedding throughput on the same claim texts of
    the same model and backend the build uses (the ONNX export through `OnnxEmbedder.embed`), as
    a ratio — once for indexing alone (the build's wall time without cross-matching: read,
    extract, embed, store, commit; extraction and embedding overlap, so the stage times add up to
    more than the wall time) and once end to end with cross-matching. Bare
    `SentenceTransformer.encode` is printed beside it for reference;
(b) whole-process `claimcheck query` latency (median of N runs) on the seeds index and on a
    larger index built from climate-fever evidence sentences and fnc1 bodies in ../shared/data
    (skipped when that folder is absent).

Usage: python bench/bench_build_query.py [--runs 5] [--large-limit 400] [--build-pairs 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from common import cli_env

SHARED = Path(os.environ.get("CLAIMCHECK_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "bench" / "results"


def bare_encode_rate(texts: list[str], backend: str = "onnx") -> float:
    """Claims/s of bare encoding of the texts (model loaded beforehand): the build's own ONNX
    embedder, or sentence-transformers (`backend="st"`)."""
    if backend == "st":
        from claimcheck.embed import SentenceTransformerEmbedder

        model = SentenceTransformerEmbedder()
    else:
        from claimcheck.settings import Settings, load_embedder

        model = load_embedder(Settings().models_dir)
    model.embed(texts[:32])  # warm-up
    start = time.perf_counter()
    model.embed(texts)
    return len(texts) / (time.perf_counter() - start)


class _Recorded:
    """The real extractor, keeping what it extracts per document for `_Replayed`."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.min_checkworthiness = getattr(real, "min_checkworthiness", None)
        self.claims: dict[str, list] = {}  # type: ignore[type-arg]

    def extract_many(self, documents):  # type: ignore[no-untyped-def]
        for doc, claims in self.real.extract_many(documents):  # type: ignore[attr-defined]
            self.claims[doc.doc_id] = claims
            yield doc, claims


class _Replayed:
    """Extraction done before the clock: hands back the claims `_Recorded` kept."""

    def __init__(self, recorded: _Recorded) -> None:
        self.min_checkworthiness = recorded.min_checkworthiness
        self.claims = recorded.claims

    def extract_many(self, documents):  # type: ignore[no-untyped-def]
        for doc in documents:
            yield doc, self.claims[doc.doc_id]


def timed_build(corpus: Path, index: Path, pairs: int = 1) -> dict[str, object]:
    """Build `corpus` into `index` with models loaded first; returns the report's figures.

    The same corpus is then built again into a fresh index with its claims already extracted
    (replayed from the first build): the wall time the second build saves is the part of the
    build's wall time that extraction accounts for, overlap with embedding included. With
    `pairs` > 1 the (real, replayed) pair of builds is repeated, interleaved, into fresh indexes
    and the share comes from the two medians: a difference of two single builds moves by 0.1
    on a noisy machine.
    """
    from claimcheck.build import build
    from claimcheck.settings import Resources, Settings

    settings = Settings(index_dir=index)
    resources = Resources(settings)
    resources.embedder.embed(["warm up"])
    list(resources.extractor.extract_many([]))
    resources.engine.relate("warm up", "warm up")
    _load_spacy(resources)
    real = resources.extractor
    full_seconds: list[float] = []
    replay_seconds: list[float] = []
    report = None
    for n in range(pairs):
        here = index if n == 0 else index.with_name(f"{index.name}-{n}")
        run_settings = Settings(index_dir=here)
        run = Resources(run_settings)
        recorded = _Recorded(real)
        run._embedder, run._engine, run._extractor = resources.embedder, resources.engine, recorded
        built = build([corpus], run_settings, resources=run)
        report = report or built
        full_seconds.append(built.seconds)
        replay_settings = Settings(index_dir=here.with_name(here.name + "-replayed"))
        replay = Resources(replay_settings)
        replay._embedder, replay._engine, replay._extractor = resources.embedder, resources.engine, _Replayed(recorded)
        replayed = build([corpus], replay_settings, resources=replay)
        assert replayed.claims_added == built.claims_added, (replayed.claims_added, built.claims_added)
        replay_seconds.append(replayed.seconds)
    assert report is not None
    claims = report.claims_added
    timings = report.timings
    indexing = report.seconds - timings["crossmatch"]
    full, without = statistics.median(full_seconds), statistics.median(replay_seconds)
    return {
        "documents": report.documents_added, "claims": claims, "seconds": report.seconds,
        "timings": timings, "relations": report.relations_added,
        "indexing_claims_per_s": claims / indexing if indexing else 0.0,
        # Extraction's part of the build: of its wall time (extraction runs on the main thread
        # while the previous batch embeds) and of the process's CPU time.
        "extract_share_wall": timings["extract"] / report.seconds if report.seconds else 0.0,
        "extract_share_cpu": timings["extract_cpu"] / timings["cpu_total"] if timings.get("cpu_total") else 0.0,
        "build_seconds_runs": [round(x, 2) for x in full_seconds],
        "replayed_seconds_runs": [round(x, 2) for x in replay_seconds],
        "seconds_median": full,
        "seconds_without_extraction": without,
        "extract_share_attributable": 1 - without / full if full else 0.0,
        "end_to_end_claims_per_s": claims / report.seconds if report.seconds else 0.0,
        "texts": [c.text for c in _claims(index)],
    }


def _load_spacy(resources: object) -> None:
    """Extract one tiny document so spaCy is loaded before the clock starts."""
    from claimcheck.ingest import make_document

    list(resources.extractor.extract_many([make_document("Warm up. The sky is blue.", "-", "warm")]))  # type: ignore[attr-defined]


def _claims(index: Path) -> list:  # type: ignore[type-arg]
    from claimcheck.index import OpenIndex

    with OpenIndex(index) as open_index:
        return list(open_index.store.iter_claims())


def query_latency(index: Path, claim: str, runs: int) -> float:
    """Median wall seconds of a whole `claimcheck query` process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "claimcheck", "query", claim, "--index", str(index), "--json"],
                       check=True, capture_output=True, env=cli_env())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def large_corpus(dest: Path, limit: int) -> Path | None:
    """Write fnc1 bodies and climate-fever evidence (grouped by article) as .txt files."""
    if not SHARED.is_dir():
        return None
    dest.mkdir(parents=True, exist_ok=True)
    with (SHARED / "fnc1" / "bodies.csv").open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            if n >= limit:
                break
            (dest / f"fnc1-{row['Body ID']}.txt").write_text(row["articleBody"], encoding="utf-8")
    by_article: dict[str, list[str]] = {}
    with (SHARED / "climate-fever" / "claims.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for ev in json.loads(line)["evidences"]:
                by_article.setdefault(ev["article"], []).append(ev["evidence"])
    for n, (article, sentences) in enumerate(sorted(by_article.items())):
        if n >= limit:
            break
        safe = "".join(ch if ch.isalnum() else "_" for ch in article)[:60]
        (dest / f"wiki-{safe}.txt").write_text("\n".join(dict.fromkeys(sentences)), encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large-limit", type=int, default=400, help="files per source in the large corpus")
    parser.add_argument("--build-pairs", type=int, default=3,
                        help="(real, replayed) build pairs on the large corpus; the extraction share "
                             "uses their medians")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    results: dict[str, object] = {}
    try:
        corpora = {"seeds": REPO / "seeds"}
        large = large_corpus(work / "large", args.large_limit)
        if large is not None:
            corpora["large"] = large
        for name, corpus in corpora.items():
            index = work / f"ix-{name}"
            figures = timed_build(corpus, index, args.build_pairs if name == "large" else 1)
            texts = figures.pop("texts")
            bare = bare_encode_rate(texts)  # type: ignore[arg-type]
            figures["bare_encode_claims_per_s"] = bare
            figures["bare_st_encode_claims_per_s"] = bare_encode_rate(texts, "st")  # type: ignore[arg-type]
            figures["indexing_ratio"] = figures["indexing_claims_per_s"] / bare  # type: ignore[operator]
            figures["end_to_end_ratio"] = figures["end_to_end_claims_per_s"] / bare  # type: ignore[operator]
            figures["query_latency_s"] = query_latency(
                index, "Damascus is ready to negotiate with some 19 armed opposition groups", args.runs)
            results[name] = figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "build_query.json").write_text(json.dumps(results, indent=2))
    print(f"{'corpus':<8}{'docs':>6}{'claims':>8}{'index c/s':>11}{'e2e c/s':>9}{'bare c/s':>10}"
          f"{'idx ratio':>10}{'e2e ratio':>10}{'query s':>9}{'bare ST c/s':>12}")
    for name, f in results.items():
        print(f"{name:<8}{f['documents']:>6}{f['claims']:>8}{f['indexing_claims_per_s']:>11.1f}"  # type: ignore[index]
              f"{f['end_to_end_claims_per_s']:>9.1f}{f['bare_encode_claims_per_s']:>10.1f}"  # type: ignore[index]
              f"{f['indexing_ratio']:>10.2f}{f['end_to_end_ratio']:>10.2f}{f['query_latency_s']:>9.2f}"  # type: ignore[index]
              f"{f['bare_st_encode_claims_per_s']:>12.1f}")  # type: ignore[index]
        print(f"         stages (s): {f['timings']}")  # type: ignore[index]
        print(f"         extraction share: {f['extract_share_wall']:.2f} of wall time busy, "  # type: ignore[index]
              f"{f['extract_share_cpu']:.2f} of CPU time, {f['extract_share_attributable']:.2f} of wall time "  # type: ignore[index]
              f"attributable (median build {f['seconds_median']:.1f} s of {f['build_seconds_runs']}, "  # type: ignore[index]
              f"{f['seconds_without_extraction']:.1f} s of {f['replayed_seconds_runs']} "  # type: ignore[index]
              "with claims extracted beforehand)")


if __name__ == "__main__":
    main()
