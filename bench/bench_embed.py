"""Embedding benchmark: sentence-transformers (torch) against the ONNX query-path embedder.

Reads real sentences (claims and evidence) from ../shared/data/climate-fever/claims.jsonl, and
reports, for each backend, throughput in sentences per second (median of --repeats, the backends
interleaved so background load hits them alike), the ratio to sentence-transformers, the cosine
with the sentence-transformers vectors, the latency of one short sentence (median of 50), and the
cold-start cost of the ONNX path in fresh processes. Prints a table and writes
bench/results/embed-<UTC time>.json.

    python bench/bench_embed.py [--n 2000] [--repeats 3] [--threads 2] [--no-int8]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np

from claimcheck.embed import OnnxEmbedder, SentenceTransformerEmbedder, ensure_onnx_embedder

SHARED_DATA = Path(os.environ.get("CLAIMCHECK_SHARED_DATA", REPO.parent / "shared" / "data"))
CLIMATE_FEVER = SHARED_DATA / "climate-fever" / "claims.jsonl"
RESULTS = REPO / "bench" / "results"
SHORT = "Damascus refuses to negotiate with armed opposition groups."


def load_sentences(n: int) -> list[str]:
    """The first n distinct claim and evidence sentences of climate-fever, in file order."""
    seen: dict[str, None] = {}
    with open(CLIMATE_FEVER, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for text in [record["claim"], *(e["evidence"] for e in record["evidences"])]:
                seen.setdefault(text.strip(), None)
            if len(seen) >= n:
                break
    return [text for text in seen if text][:n]


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def timed_cpu(fn, *args) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds of this process (all threads), and the result.

    CPU time is the steadier figure on a shared machine: other processes' load stretches wall
    time but not the work done here (busy-waiting threads still count as work).
    """
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def fresh_process(code: str, runs: int) -> dict[str, float]:
    """Median wall and CPU (user + system) seconds of `python -c code` in new processes."""
    env = os.environ | {"PYTHONPATH": str(REPO)}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=REPO)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(statistics.median(walls), 3),
        "cpu_s": round(statistics.median(cpus), 3),
    }


def cold_start(model_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    """Whole-process seconds: bare python, the import, the load, the first embedding."""
    load = f"from pathlib import Path; e = OnnxEmbedder(Path({str(model_dir)!r}))"
    return {
        "python_bare_s": fresh_process("pass", runs),
        "import_embed_module_s": fresh_process("from claimcheck.embed import OnnxEmbedder", runs),
        "import_onnxruntime_tokenizers_s": fresh_process(
            "from claimcheck.embed import OnnxEmbedder; import onnxruntime, tokenizers", runs
        ),
        "load_onnx_embedder_s": fresh_process(
            f"from claimcheck.embed import OnnxEmbedder; {load}", runs
        ),
        "first_onnx_embedding_s": fresh_process(
            f"from claimcheck.embed import OnnxEmbedder; {load}; e.embed([{SHORT!r}])", runs
        ),
        "first_st_embedding_s": fresh_process(
            "from claimcheck.embed import SentenceTransformerEmbedder; "
            f"SentenceTransformerEmbedder().embed([{SHORT!r}])",
            max(1, runs // 2),
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="sentences to embed")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per backend")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="torch and onnxruntime threads")
    parser.add_argument("--no-int8", action="store_true", help="skip the int8 ONNX model")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per figure")
    parser.add_argument("--latency-runs", type=int, default=50, help="single-sentence calls")
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=RESULTS / "models" / "minilm-l6-v2",
        help="where to export the ONNX model (reused when current)",
    )
    args = parser.parse_args()
    if not CLIMATE_FEVER.is_file():
        print(f"skipped: {CLIMATE_FEVER} is absent", file=sys.stderr)
        return 0

    import torch

    torch.set_num_threads(args.threads)
    texts = load_sentences(args.n)
    model_dir = ensure_onnx_embedder(args.model_dir)
    backends = {"sentence-transformers": SentenceTransformerEmbedder(args.batch_size)}
    backends["onnx-fp32"] = OnnxEmbedder(model_dir, args.batch_size, threads=args.threads)
    if not args.no_int8:
        if not (model_dir / "model.int8.onnx").is_file():
            from claimcheck.onnx_export import quantize_embedder_onnx

            quantize_embedder_onnx(model_dir)
        backends["onnx-int8"] = OnnxEmbedder(
            model_dir, args.batch_size, threads=args.threads, int8=True
        )

    for embedder in backends.values():  # warm-up: first-call allocations, lazy inits
        embedder.embed(texts[: args.batch_size])
    seconds: dict[str, list[float]] = {name: [] for name in backends}
    cpu_seconds: dict[str, list[float]] = {name: [] for name in backends}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for name, embedder in backends.items():
            elapsed, cpu, vectors[name] = timed_cpu(embedder.embed, texts)
            seconds[name].append(elapsed)
            cpu_seconds[name].append(cpu)
    latency = {
        name: statistics.median(timed(embedder.embed, [SHORT])[0] for _ in range(args.latency_runs))
        for name, embedder in backends.items()
    }

    reference = vectors["sentence-transformers"]
    st_rate = len(texts) / statistics.median(seconds["sentence-transformers"])
    st_cpu_rate = len(texts) / statistics.median(cpu_seconds["sentence-transformers"])
    rows = {}
    for name in backends:
        cosine = np.sum(vectors[name] * reference, axis=1)
        rate = len(texts) / statistics.median(seconds[name])
        cpu_rate = len(texts) / statistics.median(cpu_seconds[name])
        rows[name] = {
            "sentences_per_s": round(rate, 1),
            "ratio_to_sentence_transformers": round(rate / st_rate, 2),
            "sentences_per_cpu_s": round(cpu_rate, 1),
            "cpu_ratio_to_sentence_transformers": round(cpu_rate / st_cpu_rate, 2),
            "seconds": [round(s, 3) for s in seconds[name]],
            "cpu_seconds": [round(s, 3) for s in cpu_seconds[name]],
            "single_latency_ms": round(latency[name] * 1000, 2),
            "cosine_min": float(cosine.min()),
            "cosine_mean": float(cosine.mean()),
            "cosine_p1": float(np.percentile(cosine, 1)),
        }
    cold = cold_start(model_dir, args.cold_runs)

    print(f"{len(texts)} climate-fever sentences, batch {args.batch_size}, {args.threads} threads")
    columns = [
        ("sent/s", "sentences_per_s", ".1f"),
        ("x ST", "ratio_to_sentence_transformers", ".2f"),
        ("sent/cpu-s", "sentences_per_cpu_s", ".1f"),
        ("x ST cpu", "cpu_ratio_to_sentence_transformers", ".2f"),
        ("1-sent ms", "single_latency_ms", ".2f"),
        ("cos min", "cosine_min", ".5f"),
        ("cos mean", "cosine_mean", ".5f"),
    ]
    header = f"{'backend':<22}" + "".join(f"{title:>12}" for title, _, _ in columns)
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(f"{name:<22}" + "".join(f"{row[key]:>12{fmt}}" for _, key, fmt in columns))
    print(f"\ncold start, whole process, median of {args.cold_runs} fresh processes")
    print(f"  {'':<34}{'wall s':>8}{'cpu s':>8}")
    for name, value in cold.items():
        print(f"  {name:<34}{value['wall_s']:>8.3f}{value['cpu_s']:>8.3f}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"embed-{stamp}.json"
    report = {
        "benchmark": "embed",
        "when": stamp,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "sentences": len(texts),
        "source": str(CLIMATE_FEVER.relative_to(SHARED_DATA)),
        "batch_size": args.batch_size,
        "threads": args.threads,
        "latency_runs": args.latency_runs,
        "cold_runs": args.cold_runs,
        "backends": rows,
        "cold_start_s": cold,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
