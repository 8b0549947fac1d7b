"""Scale benchmark: synthetic 100k and 1M claim indexes built from real sentences (issue 8, item 4).

Embedding a million texts on 2 CPU cores takes hours, so the claims are synthesised:

1. Base set (real text, real vectors): up to `--base` sentences taken round-robin from fnc1
   article bodies, BASIL paragraphs, climate-fever claims and evidence, MRPC and STS-news
   sentence pairs (split into sentences, 6..60 words, de-duplicated, shuffled with a fixed seed).
   They are embedded with the packaged ONNX embedder (`claimcheck.settings.load_embedder`) and
   that throughput is MEASURED (sentences per second, wall and CPU).
2. Claims 1..base of every index are the base sentences themselves, with their real vectors.
3. Every further claim recombines two random base sentences A and B: the text is the first half
   of A's words followed by the second half of B's words; the vector is
   normalise(v_A + v_B + e), e ~ N(0, 0.01^2 I) (384 dims, |e| ~ 0.2), so it lies between its two
   sources like a real paraphrase-ish sentence would. Held-out query claims (never indexed) are
   made the same way from fresh random pairs.
4. Claims are grouped 20 to a synthetic document whose text is the claims joined; documents
   rotate over 8 source names so that cross-matching finds cross-source pairs.
5. The index is written in the real format by driving `claimcheck.index.IndexWriter` directly
   (Store.add_document / add_claims with real Document / Claim dataclasses, writer.add_vectors,
   writer.commit), so `claimcheck query --index DIR` works on it. The type (flat or IVF-SQ8) is
   whatever the writer chooses at commit (`claimcheck.ann.choose_type`), read back from the manifest.

Reported per size: build time split (embedding extrapolated from the base-set throughput to n —
not measured at n; synthesis, store, vectors and commit measured), files on disk, build peak RSS
(each size built in its own subprocess), cold `claimcheck query` whole-process latency (median of
5 after one untimed run that warms the page cache), warm per-claim latency in batch mode
((batch total - cold median) / 50), the peak RSS of query processes, recall@10 of IVF-SQ8 against
exact search on 500 held-out query vectors with an nprobe sweep, and, at 100k, cross-matching time
(candidate_pairs + relate_candidates) over a random sample of claims, extrapolated per claim.

Synthetic vectors are averages of two real ones, so they are more clustered than real claim
vectors; recall figures are indicative, timings and sizes are what they are.

    python bench/bench_scale.py                          # 100k
    python bench/bench_scale.py --sizes 100000,1000000 --base 10000

Writes bench/results/scale.json and prints a table. Skips cleanly when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from common import cli_env

RESULTS = REPO / "bench" / "results"
DEFAULT_DATA = (REPO.parent / "shared" / "data") if (REPO.parent / "shared" / "data").is_dir() \
    else Path("/work/shared/data")
DEFAULT_WORK = Path(os.environ.get("CLAIMCHECK_SCALE_WORK", "/tmp/claimcheck-scale"))
SEED = 1234
NOISE = 0.01
CLAIMS_PER_DOC = 20
SOURCES = ("fnc1", "fox", "nyt", "hpo", "climate-fever", "wiki", "mrpc", "sts-news")
RECALL_K = 10
NPROBES = (16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048)
SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[A-Z\"“])")


# --- real sentences ---------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    out = []
    for s in SENT_SPLIT.split(" ".join(text.split())):
        words = s.split()
        if 6 <= len(words) <= 60:
            out.append(s.strip())
    return out


def read_sentences(data: Path) -> dict[str, list[str]]:
    """Real sentences per corpus, in file order."""
    pools: dict[str, list[str]] = {}
    csv.field_size_limit(1 << 24)
    fnc = data / "fnc1" / "bodies.csv"
    if fnc.is_file():
        with fnc.open(encoding="utf-8", errors="replace") as fh:
            pools["fnc1"] = [s for row in csv.DictReader(fh) for s in _sentences(row.get("articleBody", ""))]
    basil = data / "basil" / "articles.jsonl"
    if basil.is_file():
        with basil.open(encoding="utf-8") as fh:
            pools["basil"] = [s for line in fh if line.strip()
                              for p in json.loads(line).get("paragraphs") or [] for s in _sentences(p)]
    climate = data / "climate-fever" / "claims.jsonl"
    if climate.is_file():
        out = []
        with climate.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    out += _sentences(row.get("claim", ""))
                    out += [s for e in row.get("evidences") or [] for s in _sentences(e.get("evidence", ""))]
        pools["climate-fever"] = out
    mrpc = data / "mrpc" / "train.txt"
    if mrpc.is_file():
        with mrpc.open(encoding="utf-8-sig", errors="replace") as fh:
            pools["mrpc"] = [s for line in list(fh)[1:] for col in line.rstrip("\n").split("\t")[3:5]
                             for s in _sentences(col)]
    sts = data / "sts-news" / "dev.tsv"
    if sts.is_file():
        with sts.open(encoding="utf-8", errors="replace") as fh:
            pools["sts-news"] = [s for line in list(fh)[1:] for col in line.rstrip("\n").split("\t")[5:7]
                                 for s in _sentences(col)]
    return {k: v for k, v in pools.items() if v}


def pick_base(pools: dict[str, list[str]], n: int) -> list[str]:
    """Up to n distinct sentences, round-robin over the corpora, shuffled with a fixed seed."""
    rng = random.Random(SEED)
    shuffled = {k: rng.sample(v, len(v)) for k, v in pools.items()}
    seen: set[str] = set()
    out: list[str] = []
    cursors = dict.fromkeys(shuffled, 0)
    while len(out) < n and any(cursors[k] < len(v) for k, v in shuffled.items()):
        for k, v in shuffled.items():
            if cursors[k] < len(v) and len(out) < n:
                s = v[cursors[k]]
                cursors[k] += 1
                if s not in seen:
                    seen.add(s)
                    out.append(s)
    return out


def embed_base(data: Path, work: Path, n: int) -> dict[str, Any]:
    """Embed the base set (cached in `work`), returning its measured throughput."""
    meta_path = work / f"base-{n}.json"
    if meta_path.is_file() and (work / f"base-{n}.npy").is_file():
        return json.loads(meta_path.read_text())
    from claimcheck.settings import Settings, load_embedder

    texts = pick_base(read_sentences(data), n)
    tick, cpu = time.monotonic(), time.process_time()
    embedder = load_embedder(Settings().models_dir)
    load_s = time.monotonic() - tick
    tick, cpu = time.monotonic(), time.process_time()
    vectors = embedder.embed(texts).astype(np.float32)
    wall, cpu_s = time.monotonic() - tick, time.process_time() - cpu
    np.save(work / f"base-{n}.npy", vectors)
    (work / f"base-{n}.txt.json").write_text(json.dumps(texts))
    meta = {
        "sentences": len(texts), "embedder": embedder.model_id, "backend": type(embedder).__name__,
        "load_s": round(load_s, 3), "embed_s": round(wall, 3), "embed_cpu_s": round(cpu_s, 3),
        "sentences_per_s": round(len(texts) / wall, 1), "sentences_per_cpu_s": round(len(texts) / cpu_s, 1),
        "mean_words": round(sum(len(t.split()) for t in texts) / len(texts), 1),
        "load_average": os.getloadavg(),
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return meta


# --- synthesis -----------------------------------------------------------------------------------


def synthesise(texts: list[str], vectors: np.ndarray, n: int, rng: np.random.Generator,
               real_first: bool = True) -> tuple[list[str], np.ndarray]:
    """n claims: the base sentences first (when real_first), then recombined pairs (see module doc)."""
    base = min(len(texts), n) if real_first else 0
    out_texts = list(texts[:base])
    out_vecs = np.empty((n, vectors.shape[1]), np.float32)
    out_vecs[:base] = vectors[:base]
    words = [t.split() for t in texts]
    chunk = 100_000
    for start in range(base, n, chunk):
        m = min(chunk, n - start)
        a = rng.integers(0, len(texts), m)
        b = rng.integers(0, len(texts), m)
        b = np.where(a == b, (b + 1) % len(texts), b)
        v = vectors[a] + vectors[b] + rng.normal(0.0, NOISE, (m, vectors.shape[1])).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out_vecs[start:start + m] = v
        for i, j in zip(a.tolist(), b.tolist()):
            wa, wb = words[i], words[j]
            out_texts.append(" ".join(wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2:]))
    return out_texts, out_vecs


def load_base(work: Path, base: int) -> tuple[list[str], np.ndarray]:
    return json.loads((work / f"base-{base}.txt.json").read_text()), np.load(work / f"base-{base}.npy")


def held_out(work: Path, base: int, count: int) -> tuple[list[str], np.ndarray]:
    texts, vectors = load_base(work, base)
    return synthesise(texts, vectors, count, np.random.default_rng(SEED + 7), real_first=False)


def held_out_real(data: Path, work: Path, base: int, count: int) -> np.ndarray:
    """Vectors of `count` real sentences that are not in the base set (embedded once, cached)."""
    path = work / f"heldout-real-{base}-{count}.npy"
    if not path.is_file():
        from claimcheck.settings import Settings, load_embedder

        texts = pick_base(read_sentences(data), base + count)[base:]
        np.save(path, load_embedder(Settings().models_dir).embed(texts).astype(np.float32))
    return np.load(path)


# --- build (child process) -----------------------------------------------------------------------


def build_index(work: Path, base: int, n: int, index_type: str = "auto") -> dict[str, Any]:
    """Write an n-claim index through IndexWriter; returns timings (run in its own process)."""
    import inspect

    from claimcheck import ann
    from claimcheck.embed import EMBEDDER_ID
    from claimcheck.index import MANIFEST, IndexWriter, build_lock, current_version_dir
    from claimcheck.types import Claim, Document

    index_dir = work / f"index-{n}"
    shutil.rmtree(index_dir, ignore_errors=True)
    timings: dict[str, float] = {}
    tick = time.monotonic()
    texts, vectors = load_base(work, base)
    claims_text, claim_vecs = synthesise(texts, vectors, n, np.random.default_rng(SEED))
    np.save(work / f"vectors-{n}.npy", claim_vecs)  # exact ground truth for the recall step
    timings["synthesise"] = time.monotonic() - tick

    added_at = "2026-01-01T00:00:00+00:00"
    with build_lock(index_dir):
        if "index_type" in inspect.signature(IndexWriter).parameters:
            writer = IndexWriter(index_dir, claim_vecs.shape[1], index_type=index_type)
        else:
            writer = IndexWriter(index_dir, claim_vecs.shape[1])
        try:
            tick = time.monotonic()
            store = writer.store
            for d0 in range(0, n, CLAIMS_PER_DOC):
                members = range(d0, min(n, d0 + CLAIMS_PER_DOC))
                body = " ".join(claims_text[i] for i in members)
                digest = hashlib.sha256(body.encode()).hexdigest()
                doc_no = d0 // CLAIMS_PER_DOC
                source = SOURCES[doc_no % len(SOURCES)]
                doc = Document(doc_id=f"{digest[:12]}{doc_no:08x}"[:20], location=f"synthetic/{doc_no}",
                               source=source, title=None, url=None,
                               published=f"20{10 + doc_no % 15:02d}-{1 + doc_no % 12:02d}-{1 + doc_no % 28:02d}",
                               text=body, content_hash=digest)
                store.add_document(doc, added_at)
                rows, offset = [], 0
                for i in members:
                    t = claims_text[i]
                    rows.append((i + 1, Claim(text=t, sentence=t, start=offset, end=offset + len(t),
                                              original=t, doc_id=doc.doc_id, source=source)))
                    offset += len(t) + 1
                store.add_claims(rows)
            timings["store"] = time.monotonic() - tick
            tick = time.monotonic()
            for start in range(0, n, 100_000):
                stop = min(n, start + 100_000)
                writer.add_vectors(list(range(start + 1, stop + 1)), claim_vecs[start:stop])
            del claim_vecs
            timings["add_vectors"] = time.monotonic() - tick
            tick = time.monotonic()
            kwargs: dict[str, Any] = {
                "embedder": {"id": EMBEDDER_ID, "dimension": 384, "normalised": True, "backend": "OnnxEmbedder"},
                "extractor": {"version": "synthetic", "min_checkworthiness": None},
                "relation_engine": {"synthetic": True},
                "settings": {"bench": "bench_scale", "synthesis": f"pairs of base-{base}, noise {NOISE}"},
            }
            converted_by = "IndexWriter.commit"
            if "choose_type" not in inspect.getsource(IndexWriter.commit):
                # A writer that does not yet choose the type by size: convert as it will (ann), so
                # the figures are those of the chosen type; the manifest then still says flat-ip.
                writer.vectors = ann.convert(writer.vectors, ann.choose_type(n, index_type))
                converted_by = "bench (IndexWriter.commit does not call ann.choose_type yet)"
                timings["convert_by_bench"] = time.monotonic() - tick
            manifest = writer.commit(**kwargs)
            timings["commit"] = time.monotonic() - tick
        except BaseException:
            writer.abort()
            raise
    version = current_version_dir(index_dir)
    files = {str(p.relative_to(version)): p.stat().st_size for p in sorted(version.rglob("*")) if p.is_file()}
    written = json.loads((version / MANIFEST).read_text())
    return {
        "n": n, "timings_s": {k: round(v, 2) for k, v in timings.items()},
        "index_type": written.get("index_type", manifest.index_type), "converted_by": converted_by,
        "vectors_type": ann.index_type_of(ann.read(version / "vectors.faiss", mmap=True)),
        "requested_type": index_type, "expected_type": ann.choose_type(n, index_type),
        "files_bytes": files, "total_bytes": sum(files.values()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average": os.getloadavg(), "index_dir": str(index_dir),
    }


# --- recall (child process) ----------------------------------------------------------------------


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact top-k claim ids (row i of `vectors` is claim i + 1) by inner product."""
    n = len(vectors)
    best_s = np.empty((len(queries), 0), np.float32)
    best_i = np.zeros((len(queries), 0), np.int64)
    for start in range(0, n, 200_000):
        block = (np.asarray(vectors[start:start + 200_000]) @ queries.T).T  # (q, b)
        ids = np.broadcast_to(np.arange(start, start + block.shape[1]) + 1, block.shape)
        best_s, best_i = np.hstack([best_s, block]), np.hstack([best_i, ids])
        keep = np.argsort(-best_s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i


def sweep_nprobe(index: Any, queries: np.ndarray, truth: np.ndarray) -> list[dict[str, Any]]:
    """recall@10 and single-thread ms per query for each nprobe up to nlist (all cells)."""
    import faiss

    ivf = faiss.extract_index_ivf(index)
    out = []
    # nprobe = nlist scans every cell: what is left below 1.0 there is the 8-bit codes' error.
    for nprobe in [p for p in NPROBES if p < ivf.nlist] + [ivf.nlist]:
        ivf.nprobe = nprobe
        tick = time.monotonic()
        _, ids = index.search(np.ascontiguousarray(queries), RECALL_K)
        per_query_ms = (time.monotonic() - tick) / len(queries) * 1000
        hits = sum(len(set(ids[r].tolist()) & set(truth[r].tolist())) for r in range(len(queries)))
        out.append({"nprobe": nprobe, "recall_at_10": round(hits / (len(queries) * RECALL_K), 4),
                    "ms_per_query_1thread": round(per_query_ms, 3)})
    return out


def flat_sq8(vectors: np.ndarray, query_sets: dict[str, np.ndarray], truth: dict[str, np.ndarray]) -> dict[str, Any]:
    """An alternative to IVF: a brute-force scan over 8-bit codes (same 384 bytes a claim, no cells)."""
    import faiss

    n, dimension = vectors.shape
    tick = time.monotonic()
    index = faiss.IndexIDMap2(faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_8bit,
                                                         faiss.METRIC_INNER_PRODUCT))
    sample = np.random.default_rng(SEED).choice(n, size=min(n, 100_000), replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
    for start in range(0, n, 200_000):
        block = np.ascontiguousarray(vectors[start:start + 200_000], dtype=np.float32)
        index.add_with_ids(block, np.arange(start + 1, start + 1 + len(block), dtype=np.int64))
    out: dict[str, Any] = {"build_s": round(time.monotonic() - tick, 1)}
    for name, qv in query_sets.items():
        tick = time.monotonic()
        _, ids = index.search(np.ascontiguousarray(qv[:100]), RECALL_K)
        ms = (time.monotonic() - tick) / 100 * 1000
        _, ids = index.search(np.ascontiguousarray(qv), RECALL_K) if len(qv) > 100 else (None, ids)
        hits = sum(len(set(ids[r].tolist()) & set(truth[name][r].tolist())) for r in range(len(qv)))
        out[name] = {"recall_at_10": round(hits / (len(qv) * RECALL_K), 4), "ms_per_query_1thread": round(ms, 2)}
    return out


def recall(data: Path, work: Path, base: int, n: int, queries: int) -> dict[str, Any]:
    """recall@10 of IVF-SQ8 against exact search, nprobe sweep, on two held-out query sets:
    synthetic (recombined pairs, like most indexed claims) and real sentences not in the index."""
    import faiss

    from claimcheck import ann
    from claimcheck.index import VECTORS, current_version_dir

    faiss.omp_set_num_threads(1)  # per-query latency as a query process sees it
    query_sets = {"synthetic": held_out(work, base, queries)[1], "real": held_out_real(data, work, base, queries)}
    vectors = np.load(work / f"vectors-{n}.npy", mmap_mode="r")
    tick = time.monotonic()
    truth = {name: exact_top(vectors, qv, RECALL_K) for name, qv in query_sets.items()}
    exact_s = time.monotonic() - tick
    path = current_version_dir(work / f"index-{n}") / VECTORS
    index = ann.read(path, mmap=True)
    source = "index file"
    build_s = None
    if ann.index_type_of(index) != "ivf-sq8":
        tick = time.monotonic()
        index = ann.build_ivf(np.arange(1, n + 1, dtype=np.int64), np.asarray(vectors))
        build_s = round(time.monotonic() - tick, 1)
        source = "ann.build_ivf on the same vectors (the index file is flat)"
    out: dict[str, Any] = {"n": n, "queries": queries, "nlist": faiss.extract_index_ivf(index).nlist,
                           "ivf_source": source, "ivf_build_s": build_s, "exact_search_s": round(exact_s, 2),
                           "default_nprobe": ann.DEFAULT_NPROBE}
    # The same IVF recipe on real vectors only (the base set), so the synthesis is out of the picture.
    base_vectors = load_base(work, base)[1]
    tick = time.monotonic()
    base_index = ann.build_ivf(np.arange(1, len(base_vectors) + 1, dtype=np.int64), base_vectors)
    out["real_only_base_index"] = {
        "n": len(base_vectors), "nlist": faiss.extract_index_ivf(base_index).nlist,
        "build_s": round(time.monotonic() - tick, 1),
        "sweep": sweep_nprobe(base_index, query_sets["real"], exact_top(base_vectors, query_sets["real"], RECALL_K)),
    }
    out["flat_sq8_alternative"] = flat_sq8(vectors, query_sets, truth)
    for name, qv in query_sets.items():
        sweep = sweep_nprobe(index, qv, truth[name])
        at_default = [s["recall_at_10"] for s in sweep if s["nprobe"] == ann.DEFAULT_NPROBE]
        out[name] = {
            "recall_at_default": at_default[0] if at_default else None,
            "nprobe_for_0.95": next((s["nprobe"] for s in sweep if s["recall_at_10"] >= 0.95), None),
            "recall_all_cells": sweep[-1]["recall_at_10"], "sweep": sweep,
        }
    return out


# --- cross-matching (child process) --------------------------------------------------------------


def crossmatch(work: Path, n: int, sample: int) -> dict[str, Any]:
    """candidate_pairs + relate_candidates for a random sample of claims, on a copy of the store."""
    import tempfile

    from claimcheck import ann
    from claimcheck.crossmatch import MatchSettings, candidate_pairs, relate_candidates
    from claimcheck.index import STORE, VECTORS, current_version_dir
    from claimcheck.settings import Resources, Settings
    from claimcheck.store import Store

    version = current_version_dir(work / f"index-{n}")
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        shutil.copy(version / STORE, Path(tmp) / STORE)
        store = Store(Path(tmp) / STORE)
        index = ann.read(version / VECTORS, mmap=True)
        ids = np.random.default_rng(SEED + 3).choice(np.arange(1, n + 1), size=min(sample, n), replace=False)
        ids = [int(i) for i in sorted(ids)]
        vectors = np.vstack([index.reconstruct(i) for i in ids])
        resources = Resources(Settings(index_dir=work / f"index-{n}"))
        tick = time.monotonic()
        engine = resources.engine
        engine.relate_pairs([("warm up", "warm up")], similarities=[1.0])
        load_s = time.monotonic() - tick
        tick = time.monotonic()
        pairs = candidate_pairs(store, index.search, ids, vectors, MatchSettings())
        pairs_s = time.monotonic() - tick
        tick = time.monotonic()
        stored = relate_candidates(store, engine, pairs)
        relate_s = time.monotonic() - tick
        store.db.commit()
        store.close()
    per_claim_ms = (pairs_s + relate_s) / len(ids) * 1000
    return {
        "n": n, "sample_claims": len(ids), "pairs": len(pairs), "relations_stored": stored,
        "engine": engine.describe() if hasattr(engine, "describe") else type(engine).__name__,
        "engine_load_s": round(load_s, 2), "candidate_pairs_s": round(pairs_s, 2),
        "relate_candidates_s": round(relate_s, 2), "per_claim_ms": round(per_claim_ms, 2),
        "pairs_per_claim": round(len(pairs) / len(ids), 2),
        "extrapolated_all_claims_s": round(per_claim_ms * n / 1000, 1),
        "load_average": os.getloadavg(),
    }


# --- CLI timings (parent) ------------------------------------------------------------------------


def run_timed(cmd: list[str], stdin: Path | None = None) -> tuple[float, float, int, str]:
    """(wall s, peak RSS MB, exit code, stderr tail) of one whole process."""
    tick = time.monotonic()
    with open(os.devnull, "wb") as devnull:
        fin = stdin.open("rb") if stdin else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, stdin=fin, stdout=devnull, stderr=subprocess.PIPE, cwd=REPO, env=cli_env())
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
        if stdin:
            fin.close()  # type: ignore[union-attr]
    wall = time.monotonic() - tick
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, err[-400:]


def cli_latency(work: Path, base: int, n: int, cold_runs: int, batch: int) -> dict[str, Any]:
    cli = shutil.which("claimcheck") or str(Path(sys.executable).parent / "claimcheck")
    index_dir = work / f"index-{n}"
    texts, _ = held_out(work, base, max(batch, cold_runs) + 1)
    run_timed([cli, "query", texts[0], "--index", str(index_dir), "--json"])  # warm the page cache
    cold, rss, errors = [], [], []
    for i in range(cold_runs):
        wall, peak, rc, err = run_timed([cli, "query", texts[i + 1], "--index", str(index_dir), "--json"])
        cold.append(wall)
        rss.append(peak)
        if rc:
            errors.append(err)
    claims_file = work / f"claims-{n}.txt"
    claims_file.write_text("\n".join(texts[1:batch + 1]) + "\n")
    batch_wall, batch_rss, rc, err = run_timed([cli, "query", "--file", str(claims_file), "--index",
                                                str(index_dir), "--jsonl"])
    if rc:
        errors.append(err)
    cold_median = statistics.median(cold)
    return {
        "cold_runs_s": [round(x, 3) for x in cold], "cold_median_s": round(cold_median, 3),
        "cold_peak_rss_mb": round(max(rss), 1), "batch_claims": batch, "batch_total_s": round(batch_wall, 3),
        "warm_per_claim_ms": round((batch_wall - cold_median) / batch * 1000, 1),
        "batch_peak_rss_mb": round(batch_rss, 1), "errors": errors, "load_average": os.getloadavg(),
    }


# --- orchestration -------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    work, base, n = Path(args.work), args.base, args.child_n
    if args.child == "build":
        out = build_index(work, base, n, args.index_type)
    elif args.child == "recall":
        out = recall(Path(args.data), work, base, n, args.recall_queries)
    else:
        out = crossmatch(work, n, args.crossmatch_sample)
    out["child_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


def in_child(args: argparse.Namespace, kind: str, n: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--work", str(args.work), "--base", str(args.base), "--data", str(args.data),
           "--index-type", args.index_type,
           "--recall-queries", str(args.recall_queries), "--crossmatch-sample", str(args.crossmatch_sample),
           "--child", kind, "--child-n", str(n)]
    tick = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = round(time.monotonic() - tick, 1)
    return out


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {msg}", file=sys.stderr, flush=True)


def mb(x: float | None) -> str:
    return "-" if x is None else f"{x / 1e6:,.0f} MB" if x >= 1e6 else f"{x / 1e3:,.0f} kB"


def table(result: dict[str, Any]) -> str:
    base = result["base"]
    lines = [(f"base set: {base['sentences']} real sentences, {base['sentences_per_s']} sentences/s "
              f"({base['sentences_per_cpu_s']}/CPU-s), load {base['load_average'][0]:.1f} at embedding")]
    for size in result["sizes"]:
        b, q, r, x = size.get("build", {}), size.get("query", {}), size.get("recall", {}), size.get("crossmatch")
        if "error" in b:
            lines.append(f"n={size['n']:,}: build failed: {b['error']}")
            continue
        t = b["timings_s"]
        lines += [
            (f"--- n = {size['n']:,} claims  (manifest index_type {b['index_type']}, vectors file "
             f"{b.get('vectors_type')}, choose_type says {b['expected_type']}; converted by {b.get('converted_by')})"),
            (f"build: synthesise {t['synthesise']} s, store {t['store']} s, add_vectors {t['add_vectors']} s, "
             f"commit {t['commit']} s; embedding extrapolated {size['embed_extrapolated_s']:,.0f} s "
             f"({size['embed_extrapolated_s'] / 3600:.1f} h); build peak RSS {b['peak_rss_mb']:,.0f} MB"),
            ("disk: " + ", ".join(f"{k} {mb(v)}" for k, v in b["files_bytes"].items() if v > 1e5)
             + f"; total {mb(b['total_bytes'])}"),
        ]
        if q:
            lines.append(f"query: cold median {q['cold_median_s']} s (runs {q['cold_runs_s']}), peak RSS "
                         f"{q['cold_peak_rss_mb']:,.0f} MB; batch {q['batch_claims']} claims {q['batch_total_s']} s"
                         f" -> warm {q['warm_per_claim_ms']} ms/claim, peak RSS {q['batch_peak_rss_mb']:,.0f} MB"
                         + (f"; ERRORS {q['errors']}" if q.get("errors") else ""))
        for name in ("synthetic", "real"):
            if name in r:
                lines.append(f"recall@10, {r['queries']} {name} held-out queries (nlist {r['nlist']}, {r['ivf_source']}): "
                             + ", ".join(f"nprobe {s['nprobe']}: {s['recall_at_10']} ({s['ms_per_query_1thread']} ms)"
                                         for s in r[name]["sweep"])
                             + f"; nprobe for >= 0.95: {r[name]['nprobe_for_0.95']}")
        if "flat_sq8_alternative" in r:
            f = r["flat_sq8_alternative"]
            lines.append("flat SQ8 scan (alternative, no cells): " + ", ".join(
                f"{name} recall@10 {f[name]['recall_at_10']} ({f[name]['ms_per_query_1thread']} ms)"
                for name in ("synthetic", "real")))
        if "real_only_base_index" in r:
            b0 = r["real_only_base_index"]
            lines.append(f"same IVF recipe on the {b0['n']:,} real base vectors only (nlist {b0['nlist']}), real queries: "
                         + ", ".join(f"nprobe {s['nprobe']}: {s['recall_at_10']}" for s in b0["sweep"]))
        if x and "per_claim_ms" in x:
            lines.append(f"cross-match: {x['sample_claims']} sampled claims -> {x['pairs']} pairs; candidate_pairs "
                         f"{x['candidate_pairs_s']} s + relate {x['relate_candidates_s']} s = {x['per_claim_ms']} ms/claim;"
                         f" extrapolated to all {x['n']:,}: {x['extrapolated_all_claims_s']:,.0f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated claim counts (e.g. 100000,1000000)")
    parser.add_argument("--base", type=int, default=10_000, help="real sentences embedded (the base set)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where the indexes are written")
    parser.add_argument("--index-type", default="auto", help="auto, flat or ivf-sq8 (as `claimcheck build --index-type`)")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--recall-queries", type=int, default=500)
    parser.add_argument("--crossmatch-sample", type=int, default=1000)
    parser.add_argument("--crossmatch-at", type=int, default=100_000)
    parser.add_argument("--skip", default="", help="comma-separated steps to skip: query,recall,crossmatch")
    parser.add_argument("--reuse", action="store_true",
                        help="load saved step results (and indexes) from --work instead of re-running them")
    parser.add_argument("--rerun", default="", help="with --reuse: steps to run again anyway (e.g. query)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json")
    parser.add_argument("--child", choices=("build", "recall", "crossmatch"), help=argparse.SUPPRESS)
    parser.add_argument("--child-n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not args.data.is_dir():
        print(f"skipped: no data at {args.data}", file=sys.stderr)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    log(f"embedding the base set ({args.base} sentences)")
    base = embed_base(args.data, args.work, args.base)
    log(f"base: {base['sentences']} sentences at {base['sentences_per_s']}/s")
    result: dict[str, Any] = {
        "benchmark": "scale", "when": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {"cpus": os.cpu_count(), "load_average_start": os.getloadavg()},
        "synthesis": (f"first {base['sentences']} claims: real sentences with their real ONNX vectors; the rest: "
                      f"first half of sentence A's words + second half of B's, vector normalise(v_A + v_B + "
                      f"N(0, {NOISE}^2 I)); {CLAIMS_PER_DOC} claims per synthetic document, {len(SOURCES)} sources; "
                      "embedding time at n is extrapolated from the base-set throughput, not measured"),
        "base": base, "sizes": [],
    }
    rerun = set(filter(None, args.rerun.split(",")))
    for n in [int(s) for s in args.sizes.split(",") if s]:
        size: dict[str, Any] = {"n": n, "embed_extrapolated_s": round(n / base["sentences_per_s"], 1)}
        result["sizes"].append(size)

        def step(name: str, run: Any, n: int = n, size: dict[str, Any] = size) -> dict[str, Any] | None:
            """Run one step (or, with --reuse, load its saved result), saving it under --work."""
            saved = args.work / f"{name}-{n}.json"
            if name in skip:
                return None
            if args.reuse and name not in rerun and saved.is_file():
                size[name] = {**json.loads(saved.read_text()), "reused_from": str(saved)}
            else:
                log(f"n={n}: {name}")
                size[name] = run()
                if "error" not in size[name]:
                    saved.write_text(json.dumps(size[name], indent=2))
            log(f"n={n}: {name} done: {size[name].get('error', 'ok')}")
            return size[name]

        built = step("build", partial(in_child, args, "build", n))
        if built is None or "error" in built:
            continue
        step("query", partial(cli_latency, args.work, args.base, n, args.cold_runs, args.batch))
        step("recall", partial(in_child, args, "recall", n))
        if n == args.crossmatch_at:
            step("crossmatch", partial(in_child, args, "crossmatch", n))
        result["machine"]["load_average_end"] = os.getloadavg()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\nwritten {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
