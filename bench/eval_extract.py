"""Benchmark claim extraction: gold precision/recall on BASIL articles and claims per second.

Usage:
    python bench/eval_extract.py [--data ../shared/data] [--articles 165] [--min-cw 0.2] [--show]

Gold: tests/gold/basil_claims.json (hand annotations; the article text is read from
../shared/data/basil/articles.jsonl at run time). Speed: every BASIL article (or the first
--articles) through `Extractor.extract_many`, spaCy loaded beforehand, single process.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from claimcheck.extract import EXTRACTOR_VERSION, Extractor
from claimcheck.ingest import make_document
from claimcheck.types import Claim, Document

GOLD = REPO / "tests" / "gold" / "basil_claims.json"


def normalise(text: str) -> str:
    """Lower case, no quotes or punctuation, single spaces: what matching compares."""
    text = re.sub(r"[“”\"'‘’`,.;:!?()\-–—]", " ", text.lower())
    return " ".join(text.split())


def basil_documents(data: Path) -> list[tuple[Document, list[int]]]:
    """BASIL articles as Documents (paragraphs joined by blank lines) with paragraph offsets."""
    out = []
    with (data / "basil" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            paragraphs = [p.strip() for p in row["paragraphs"] if p.strip()]
            offsets, pos = [], 0
            for p in paragraphs:
                offsets.append(pos)
                pos += len(p) + 2
            doc = make_document(
                "\n\n".join(paragraphs),
                f"basil:{row['uuid']}",
                row["source"],
                title=row.get("title"),
                published=row.get("date"),
            )
            out.append((doc, offsets))
    return out


def _paragraph(claim: Claim, offsets: list[int]) -> int:
    return max(i for i, start in enumerate(offsets) if start <= claim.start)


def _matches(gold: dict, claim: Claim, para: int) -> bool:
    if gold["p"] != para:
        return False
    has = normalise(gold["has"])
    if has not in normalise(claim.text) and has not in normalise(claim.original):
        return False
    if gold["speaker"] is None:
        return claim.speaker is None
    return claim.speaker is not None and gold["speaker"].lower() in claim.speaker.lower()


def score_gold(extractor: Extractor, data: Path, show: bool = False) -> dict[str, float]:
    """Precision and recall of `extractor` against the gold annotations.

    A predicted claim is correct when it matches some gold claim (content and speaker); a gold
    claim is found when some predicted claim matches it. `content_recall` ignores the speaker;
    `merged` counts predicted claims that cover two or more gold claims (missed splits).
    """
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    docs = {d.location.split(":", 1)[1]: (d, o) for d, o in basil_documents(data)}
    tp_pred = n_pred = found = n_gold = found_content = leaks = merged = 0
    for article in gold:
        doc, offsets = docs[article["uuid"]]
        claims = extractor.extract(doc)
        paras = [_paragraph(c, offsets) for c in claims]
        n_pred += len(claims)
        n_gold += len(article["claims"])
        for claim, para in zip(claims, paras):
            hits = sum(_matches(g, claim, para) for g in article["claims"])
            ok = hits > 0
            tp_pred += ok
            merged += hits > 1
            if show and not ok:
                print(f"  FP p{para} [{claim.speaker}] {claim.text}")
        for g in article["claims"]:
            hit = any(_matches(g, c, p) for c, p in zip(claims, paras))
            found += hit
            found_content += any(
                _matches({**g, "speaker": c.speaker and g["speaker"]}, c, p)
                if g["speaker"] is None
                else normalise(g["has"]) in normalise(c.text + " " + c.original) and g["p"] == p
                for c, p in zip(claims, paras)
            )
            if show and not hit:
                print(f"  FN p{g['p']} [{g['speaker']}] {g['has']}")
        leaks += sum(
            normalise(n) in normalise(c.text) for n in article["not_claims"] for c in claims
        )
    return {
        "precision": round(tp_pred / max(n_pred, 1), 4),
        "recall": round(found / max(n_gold, 1), 4),
        "content_recall": round(found_content / max(n_gold, 1), 4),
        "predicted": n_pred,
        "gold": n_gold,
        "not_claim_leaks": leaks,
        "merged": merged,  # predicted claims that hold two or more gold claims (not atomic)
    }


def speed(extractor: Extractor, data: Path, n_articles: int) -> dict[str, float]:
    """Claims and articles per second (wall and CPU) over BASIL articles, spaCy loaded."""
    docs = [d for d, _ in basil_documents(data)][:n_articles]
    extractor.extract(docs[0])  # warm: spaCy and the check-worthiness weights
    start, cpu = time.perf_counter(), time.process_time()
    n_claims = sum(len(claims) for _, claims in extractor.extract_many(docs))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    chars = sum(len(d.text) for d in docs)
    return {
        "articles": len(docs),
        "claims": n_claims,
        "seconds": round(elapsed, 2),
        "claims_per_s": round(n_claims / elapsed, 1),
        # CPU seconds of this process: what the figure would be on an otherwise idle machine.
        "cpu_seconds": round(cpu, 2),
        "claims_per_cpu_s": round(n_claims / cpu, 1),
        "articles_per_s": round(len(docs) / elapsed, 2),
        "kchars_per_s": round(chars / elapsed / 1000, 1),
    }


def main() -> None:
    """Print gold scores and speed as one JSON document."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=165)
    parser.add_argument("--min-cw", type=float, default=None)
    parser.add_argument("--show", action="store_true", help="print misses and false alarms")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    extractor = Extractor() if args.min_cw is None else Extractor(args.min_cw)
    report: dict[str, object] = {
        "extractor_version": EXTRACTOR_VERSION,
        "min_checkworthiness": extractor.min_checkworthiness,
        "gold": score_gold(extractor, args.data, args.show),
    }
    if not args.no_speed:
        report["speed"] = speed(extractor, args.data, args.articles)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
