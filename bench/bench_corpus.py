"""Benchmark (issue 6): a 3,000-article corpus fully cross-matched, and the cost of adding 10 %.

The corpus is built from the shared news texts, read in place and written only to a temporary
folder (never into the repository), as two JSON Lines files (`text`, `source`, `title`, `date`):

- every FNC-1 body (one article each, its own source `fnc-<Body ID>`);
- every BASIL article (source = the outlet, date and title from the file);
- every Climate-FEVER Wikipedia article as the set of its evidence sentences (source = `wiki`);
- pseudo-articles of 5 consecutive MRPC / STS-news sentence pairs: the first sentences form an
  article of outlet `wire-a`, their paraphrases one of outlet `wire-b` (two outlets covering the
  same stories in other words, which is what cross-matching is for).

A seeded shuffle takes `--articles` of them (default 3,000); a seeded 10 % of those is the
increment. Three builds, models loaded before the clock starts:

1. full: all articles into a fresh index (the "fully cross-matched in under 15 minutes" figure);
2. base: the other 90 % into a second fresh index;
3. increment: the base index built again with both files; the base file is unchanged, so only
   the new 10 % is read, extracted, embedded and related to its neighbours.

Target: increment wall time < 20 % of the full build's. Results: bench/results/corpus-<time>.json.

Usage: python bench/bench_corpus.py [--articles 3000] [--data ../shared/data] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_DATA, print_table, settings_for, write_results

from claimcheck.build import build
from claimcheck.settings import Resources


def corpus(data: Path) -> list[dict[str, Any]]:
    """Every article the shared news texts give (see the module docstring)."""
    csv.field_size_limit(1 << 30)
    rows: list[dict[str, Any]] = []
    with (data / "fnc1" / "bodies.csv").open(encoding="utf-8", newline="") as fh:
        rows += [{"text": r["articleBody"], "source": f"fnc-{r['Body ID']}"} for r in csv.DictReader(fh)]
    with (data / "basil" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            rows.append({"text": "\n\n".join(a["paragraphs"]), "source": a["source"],
                         "title": a.get("title"), "date": a.get("date")})
    wiki: dict[str, list[str]] = {}
    with (data / "climate-fever" / "claims.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for ev in json.loads(line)["evidences"]:
                wiki.setdefault(ev["article"], []).append(ev["evidence"])
    rows += [{"text": " ".join(dict.fromkeys(s)), "source": "wiki", "title": t} for t, s in sorted(wiki.items())]
    pairs: list[tuple[str, str]] = []
    with (data / "mrpc" / "train.txt").open(encoding="utf-8-sig") as fh:
        for line in fh.read().splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) == 5:
                pairs.append((parts[3], parts[4]))
    with (data / "sts-news" / "dev.tsv").open(encoding="utf-8") as fh:
        for line in fh.read().splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 7:
                pairs.append((parts[5], parts[6]))
    for start in range(0, len(pairs) - 4, 5):
        chunk = pairs[start : start + 5]
        rows.append({"text": " ".join(a for a, _ in chunk), "source": "wire-a"})
        rows.append({"text": " ".join(b for _, b in chunk), "source": "wire-b"})
    return [r for r in rows if r["text"].strip()]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if v}) + "\n" for r in rows), encoding="utf-8")
    return path


def _timed(paths: list[Path], index: Path, resources: Resources) -> dict[str, Any]:
    started = time.monotonic()
    report = build(paths, resources.settings, resources=resources)
    seconds = time.monotonic() - started
    return {"seconds": round(seconds, 1), "documents_added": report.documents_added,
            "documents_unchanged": report.documents_unchanged, "claims_added": report.claims_added,
            "relations_added": report.relations_added, "totals": report.totals,
            "timings": report.timings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="cc-corpus-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = corpus(args.data)
    random.Random(13).shuffle(rows)
    rows = rows[: args.articles]
    cut = len(rows) - len(rows) // 10
    base_file = _write(work / "base.jsonl", rows[:cut])
    more_file = _write(work / "increment.jsonl", rows[cut:])
    all_file = _write(work / "all.jsonl", rows)
    print(f"corpus: {len(rows)} articles ({cut} base + {len(rows) - cut} increment) in {work}", file=sys.stderr)

    results: dict[str, Any] = {"articles": len(rows), "base_articles": cut, "increment_articles": len(rows) - cut}
    try:
        for name, paths, index in (("full", [all_file], work / "ix-full"),
                                   ("base", [base_file], work / "ix-inc"),
                                   ("increment", [base_file, more_file], work / "ix-inc")):
            resources = Resources(settings_for(index))
            resources.embedder.embed(["warm up"])
            resources.engine.relate("warm up", "warm up")
            list(resources.extractor.extract_many([]))
            resources.extractor.nlp  # noqa: B018 - load spaCy before the clock starts
            print(f"{name}: building", file=sys.stderr)
            results[name] = _timed(paths, index, resources)
            print(f"{name}: {results[name]['seconds']} s", file=sys.stderr)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    full, inc = results["full"], results["increment"]
    results["increment_share_of_full"] = round(inc["seconds"] / full["seconds"], 3)
    path = write_results("corpus", results)
    print_table(f"{len(rows)}-article corpus", ["metric", "value", "target"], [
        ["full build, fully cross-matched (s)", full["seconds"], "< 900"],
        ["claims / relations", f"{full['totals'].get('claims')} / {full['totals'].get('relations')}", ""],
        ["add 10 % (s)", inc["seconds"], ""],
        ["add 10 % as share of the full build", results["increment_share_of_full"], "< 0.20"],
    ])
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
