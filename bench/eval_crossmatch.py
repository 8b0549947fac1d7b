"""Evaluate cross-source matching (issue 6): BASIL events and FNC-1 headline clusters.

Usage:
    python bench/eval_crossmatch.py [--sets basil,fnc] [--events 55] [--headlines N]
                                    [--no-nli] [--data ../shared/data] [--workdir DIR]

- BASIL: one index of the 165 articles (55 events x Fox / NYT / HuffPost; source = outlet, date
  and title from the file, text = paragraphs joined by blank lines) built with the real claim
  extractor and the default cross-matching. Reports (a) event purity of the stored cross-outlet
  `supports` pairs (share whose two claims come from articles of the same event), per claim (its
  best corroborating partner), per corroboration group, and the share of events with at least
  one corroborating cross-outlet pair inside the event; (b) the top 30 contradictions written to
  bench/results/basil-contradictions-<UTC time>.md for a human to judge.
- FNC-1 clusters: every distinct headline that has a related stance (agree / discuss / disagree)
  is one document with its own made-up source (h<row>), indexed with the one-claim stand-in
  extractor; headlines sharing a Body ID form a gold cluster. Reports pairwise precision / recall
  / F1 of the corroboration groups (and, for reference, of any stored relation) over headline
  pairs.

Each build is timed (wall seconds, claims/s). Results: bench/results/crossmatch-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shutil

from common import (
    DEFAULT_DATA,
    RESULTS,
    build_rows,
    nli_status,
    print_table,
    resources_for,
    settings_for,
    write_results,
)

from claimcheck import crossmatch
from claimcheck.crossmatch import ConflictFilter, MatchSettings, relate_candidates
from claimcheck.index import current_version_dir
from claimcheck.store import Store
from claimcheck.types import Conflict, StoredClaim


def _index(workdir: Path, name: str, rows: list[dict[str, Any]], resources: Any,
           relate_from: Path | None) -> Any:
    """Build the index, or copy the one built from the same rows under `relate_from` and relate
    its stored candidate pairs again with this process's relation engine.

    Candidate pairs depend on the embeddings only, so re-relating them gives the relations a full
    build with this engine would store, without extracting and embedding again (the copy's
    checksums no longer match its manifest, so the store is read directly, not via OpenIndex).
    """
    index_dir = Path(resources.settings.index_dir)
    if relate_from is None:
        return build_rows(rows, workdir, name, resources, match=MatchSettings())
    source = relate_from / name
    if index_dir.exists():
        shutil.rmtree(index_dir)
    shutil.copytree(source, index_dir)
    shutil.copy(relate_from / f"{name}.jsonl", workdir / f"{name}.jsonl")
    built = build_rows(rows, workdir, name, resources, reuse=True)
    store = Store(current_version_dir(index_dir) / "store.sqlite")
    try:
        pairs = [(a, b, s) for a, b, s in store.db.execute("SELECT a, b, similarity FROM relations ORDER BY a, b")]
        started = time.monotonic()
        relate_candidates(store, resources.engine, pairs)
        store.db.commit()
        seconds = time.monotonic() - started
    finally:
        store.close()
    print(f"  re-related {len(pairs)} stored candidate pairs in {seconds:.1f}s", file=sys.stderr)
    built.report = type(built.report)(**{**built.report.__dict__, "relations_added": len(pairs)})
    built.seconds = seconds
    return built


def _store(settings: Any) -> Store:
    return Store(current_version_dir(Path(settings.index_dir)) / "store.sqlite", readonly=True)


def _build_report(built: Any) -> dict[str, Any]:
    return {
        "build_seconds": round(built.seconds, 2),
        "documents": built.report.totals.get("documents"),
        "claims": built.report.claims_added,
        "relations_stored": built.report.relations_added,
        "claims_per_second": round(built.claims_per_second, 2),
    }


# --- BASIL ------------------------------------------------------------------------------------


def eval_basil(data: Path, workdir: Path, events: int | None, use_nli: bool, relate_from: Path | None = None,
               top: int = 30) -> dict[str, Any]:
    articles = [json.loads(line) for line in (data / "basil" / "articles.jsonl").open(encoding="utf-8")]
    if events:
        keep = sorted({a["triplet-uuid"] for a in articles})[:events]
        articles = [a for a in articles if a["triplet-uuid"] in keep]
    rows = [{"text": "\n\n".join(p.strip() for p in a["paragraphs"] if p and p.strip()),
             "source": a["source"], "date": a["date"], "title": a["title"]} for a in articles]
    settings = settings_for(workdir / "basil", use_nli)
    resources = resources_for(settings, one_claim=False)
    print(f"basil: indexing {len(rows)} articles (real extractor, default cross-matching)", file=sys.stderr)
    built = _index(workdir, "basil", rows, resources, relate_from)
    event_of = {built.line_to_doc[n]: a["triplet-uuid"] for n, a in enumerate(articles, 1)}
    all_events = sorted(set(event_of.values()))

    store = _store(settings)
    labels = Counter(label for (label,) in store.db.execute("SELECT label FROM relations"))
    supports = store.relations_with_label("supports", 0.0)
    claims = store.claims_by_id(sorted({i for a, b, _ in supports for i in (a, b)}))

    def purity(min_score: float) -> dict[str, Any]:
        pairs = [(claims[a], claims[b], r.probabilities["supports"]) for a, b, r in supports
                 if r.probabilities["supports"] >= min_score and claims[a].source != claims[b].source]
        same = [event_of[a.doc_id] == event_of[b.doc_id] for a, b, _ in pairs]
        best: dict[int, tuple[float, bool]] = {}
        for (a, b, p), s in zip(pairs, same):
            for c in (a, b):
                if c.claim_id not in best or p > best[c.claim_id][0]:
                    best[c.claim_id] = (p, s)
        covered = {event_of[a.doc_id] for (a, b, _), s in zip(pairs, same) if s}
        return {
            "min_p_supports": min_score,
            "cross_outlet_pairs": len(pairs),
            "pair_event_purity": round(sum(same) / len(pairs), 4) if pairs else None,
            "claims_with_partner": len(best),
            "claim_best_partner_purity": round(sum(s for _, s in best.values()) / len(best), 4) if best else None,
            "events_with_cross_outlet_pair": len(covered),
            "event_coverage": round(len(covered) / len(all_events), 4),
        }

    by_label = [purity(0.0), purity(0.5)]
    groups = crossmatch.corroborations(store)  # what `api.corroborations` returns with its defaults
    group_events = [len({event_of[c.doc_id] for c in g.claims}) for g in groups]
    # The whole ranked list (to judge the top 30), and how much of it `claimcheck contradictions`
    # shows at its default floor.
    conflicts = crossmatch.contradictions(store, ConflictFilter(min_score=0.0, limit=top))
    floor = ConflictFilter().min_score
    store.close()
    md_path = _write_conflicts_md(conflicts, event_of, articles, built.line_to_doc, floor)
    out = {
        "articles": len(articles),
        "events": len(all_events),
        **_build_report(built),
        "relations_by_label": dict(labels),
        "supports_purity": by_label,
        "corroboration_groups": len(groups),
        "group_event_purity": round(sum(n == 1 for n in group_events) / len(groups), 4) if groups else None,
        "group_sizes": dict(Counter(len(g.claims) for g in groups)),
        "contradictions_listed": len(conflicts),
        "contradictions_at_default_floor": sum(c.score >= floor for c in conflicts),
        "default_floor": floor,
        "contradiction_kinds": dict(Counter(c.kind for c in conflicts)),
        "contradictions_same_event": sum(event_of[c.a.doc_id] == event_of[c.b.doc_id] for c in conflicts),
        "contradictions_markdown": str(md_path),
    }
    print_table(f"BASIL build: {out['articles']} articles", ["metric", "value"], [
        ["build wall seconds", out["build_seconds"]], ["claims", out["claims"]],
        ["claims/s (whole build)", out["claims_per_second"]], ["relations stored", out["relations_stored"]],
        ["relations by label", json.dumps(out["relations_by_label"])],
    ])
    print_table("BASIL cross-outlet corroboration", ["min P(supports)", "pairs", "pair purity",
                                                      "claims", "claim purity", "events covered", "coverage"],
                [[p["min_p_supports"], p["cross_outlet_pairs"], p["pair_event_purity"], p["claims_with_partner"],
                  p["claim_best_partner_purity"], p["events_with_cross_outlet_pair"], p["event_coverage"]]
                 for p in by_label])
    print_table("BASIL corroboration groups / contradictions", ["metric", "value"], [
        ["corroboration groups (api.corroborations defaults)", out["corroboration_groups"]],
        ["groups inside one event", out["group_event_purity"]],
        [f"top {top} contradictions: kinds", json.dumps(out["contradiction_kinds"])],
        [f"of them at or above the default floor ({floor})", out["contradictions_at_default_floor"]],
        [f"top {top} contradictions within one event", out["contradictions_same_event"]],
        ["markdown for hand judgement", md_path],
    ])
    return out


def _claim_md(label: str, c: StoredClaim) -> str:
    who = f", speaker: {c.speaker}" if c.speaker else ""
    return (f"- **{label}** [{c.source}, {c.published}{who}] *{c.title}*\n"
            f"  - claim: {c.text}\n  - sentence: {c.sentence}\n")


def _write_conflicts_md(conflicts: list[Conflict], event_of: dict[str, str], articles: list[dict[str, Any]],
                        line_to_doc: dict[int, str], floor: float) -> Path:
    main_event = {line_to_doc[n]: a.get("main-event") for n, a in enumerate(articles, 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = RESULTS / f"basil-contradictions-{stamp}.md"
    lines = [f"# BASIL: top {len(conflicts)} contradictions\n",
             "Judge each: real conflict / speaker disagreement / time update / noise.\n"]
    for n, c in enumerate(conflicts, 1):
        same = event_of[c.a.doc_id] == event_of[c.b.doc_id]
        shown = "listed by default" if c.score >= floor else "below the default floor"
        lines.append(f"## {n}. {c.kind}, score {c.score:.3f} ({shown}), P(refutes) {c.p_refutes:.3f}, "
                     f"similarity {c.similarity:.2f}, {'same event' if same else 'DIFFERENT events'}\n")
        lines.append(f"event A: {main_event.get(c.a.doc_id)}; event B: {main_event.get(c.b.doc_id)}\n")
        lines.append(_claim_md("A", c.a) + _claim_md("B", c.b))
        lines.append(f"- reasons: {'; '.join(c.reasons)}\n")
        if c.diffs:
            lines.append("- diffs: " + "; ".join(f"{d.kind}: '{d.a}' vs '{d.b}'" for d in c.diffs) + "\n")
        lines.append("- judgement: \n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --- FNC-1 clusters ---------------------------------------------------------------------------


def pairwise_prf(predicted: list[set[int]], gold_of: dict[int, set[str]]) -> dict[str, Any]:
    """Pairwise precision / recall / F1 over item pairs; two items are a gold pair when they share
    a cluster (a headline can belong to several bodies)."""
    by_cluster: dict[str, list[int]] = defaultdict(list)
    for item, clusters in gold_of.items():
        for cluster in clusters:
            by_cluster[cluster].append(item)
    gold_pairs = {(a, b) for members in by_cluster.values() for a, b in combinations(sorted(members), 2)}
    pred_pairs = {(a, b) for group in predicted for a, b in combinations(sorted(group), 2)}
    tp = len(gold_pairs & pred_pairs)
    p = tp / len(pred_pairs) if pred_pairs else 0.0
    r = tp / len(gold_pairs) if gold_pairs else 0.0
    return {"gold_pairs": len(gold_pairs), "predicted_pairs": len(pred_pairs), "true_pairs": tp,
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _components(edges: list[tuple[int, int]]) -> list[set[int]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, set[int]] = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    return list(groups.values())


def eval_fnc_clusters(data: Path, workdir: Path, limit: int | None, use_nli: bool,
                      relate_from: Path | None = None) -> dict[str, Any]:
    with (data / "fnc1" / "stances.csv").open(encoding="utf-8", newline="") as fh:
        stances = [s for s in csv.DictReader(fh) if s["Stance"] != "unrelated"]
    bodies_of: dict[str, set[str]] = defaultdict(set)
    for s in stances:
        bodies_of[s["Headline"].strip()].add(s["Body ID"])
    headlines = sorted(bodies_of)
    if limit:  # whole bodies, so the clusters stay complete
        keep_bodies = sorted({b for h in headlines for b in bodies_of[h]}, key=int)
        chosen: set[str] = set()
        for body in keep_bodies:
            members = [h for h in headlines if body in bodies_of[h]]
            if len(chosen) + len(members) > limit:
                break
            chosen.update(members)
        headlines = sorted(chosen)
    rows = [{"text": h, "source": f"h{n}"} for n, h in enumerate(headlines, 1)]
    settings = settings_for(workdir / "fnc1-headlines", use_nli)
    resources = resources_for(settings, one_claim=True)
    print(f"fnc1 clusters: indexing {len(rows)} headlines (one claim each)", file=sys.stderr)
    built = _index(workdir, "fnc1-headlines", rows, resources, relate_from)
    # doc_id -> gold bodies (identical headlines were merged above, so one headline, one doc).
    gold_of: dict[str, set[str]] = {built.line_to_doc[n]: bodies_of[h] for n, h in enumerate(headlines, 1)}
    doc_num = {d: i for i, d in enumerate(sorted(gold_of))}
    gold_idx = {doc_num[d]: b for d, b in gold_of.items()}

    store = _store(settings)
    groups = crossmatch.corroborations(store)
    predicted = [{doc_num[c.doc_id] for c in g.claims} for g in groups]
    rel = list(store.db.execute("SELECT r.a, r.b, r.label, r.p_supports FROM relations r"))
    claim_doc = dict(store.db.execute("SELECT claim_id, doc_id FROM claims"))
    store.close()
    any_edges = [(doc_num[claim_doc[a]], doc_num[claim_doc[b]]) for a, b, _, _ in rel]
    sup_edges = [(doc_num[claim_doc[a]], doc_num[claim_doc[b]]) for a, b, label, _ in rel if label == "supports"]
    out = {
        "members": "distinct headlines with a related stance (agree / discuss / disagree) only",
        "headlines": len(headlines),
        "gold_clusters": len({b for bs in gold_of.values() for b in bs}),
        **_build_report(built),
        "relations_by_label": dict(Counter(label for _, _, label, _ in rel)),
        "corroboration_groups": len(predicted),
        "corroborations": pairwise_prf(predicted, gold_idx),
        "supports_any_probability": pairwise_prf(_components(sup_edges), gold_idx),
        "any_stored_relation": pairwise_prf(_components(any_edges), gold_idx),
    }
    print_table(f"FNC-1 headline clusters: {len(headlines)} headlines, {out['gold_clusters']} bodies",
                ["grouping", "pred pairs", "gold pairs", "precision", "recall", "F1"],
                [[name, m["predicted_pairs"], m["gold_pairs"], m["precision"], m["recall"], m["f1"]]
                 for name, m in (("corroboration groups (P(supports) >= 0.5)", out["corroborations"]),
                                 ("components of supports-labelled relations", out["supports_any_probability"]),
                                 ("components of any stored relation (similarity >= 0.55)", out["any_stored_relation"]))])
    print_table("FNC-1 headline build", ["metric", "value"], [
        ["build wall seconds", out["build_seconds"]], ["claims/s (whole build)", out["claims_per_second"]],
        ["relations by label", json.dumps(out["relations_by_label"])]])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="basil,fnc", help="comma-separated: basil, fnc")
    parser.add_argument("--events", type=int, default=None, help="BASIL events (default all 55)")
    parser.add_argument("--headlines", type=int, default=None, help="FNC-1 headlines, whole clusters (default all)")
    parser.add_argument("--relate-from", type=Path, default=None,
                        help="a --workdir of an earlier run: copy its indexes and relate their stored "
                             "candidate pairs again with the current relation engine (no re-extraction)")
    parser.add_argument("--no-nli", action="store_true", help="similarity + conflict signals only")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the indexes here (default: a temp dir)")
    args = parser.parse_args()
    tmp = None
    if args.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="claimcheck-eval-")
        args.workdir = Path(tmp.name)
    probe = resources_for(settings_for(args.workdir / "probe", not args.no_nli), one_claim=True)
    nli = nli_status(probe)
    print(f"relation engine NLI model: {nli or 'none (similarity + conflict signals only)'}", file=sys.stderr)
    report: dict[str, Any] = {"nli_model": nli, "relate_from": str(args.relate_from) if args.relate_from else None}
    for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
        started = time.monotonic()
        if name == "basil":
            report["basil"] = eval_basil(args.data, args.workdir, args.events, not args.no_nli,
                                         args.relate_from)
        elif name == "fnc":
            report["fnc_clusters"] = eval_fnc_clusters(args.data, args.workdir, args.headlines,
                                                       not args.no_nli, args.relate_from)
        report[name if name == "basil" else "fnc_clusters"]["wall_seconds"] = round(time.monotonic() - started, 1)
    path = write_results("crossmatch", report)
    print(f"\nresults: {path}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
