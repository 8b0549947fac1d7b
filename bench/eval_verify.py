"""Evaluate claim verification (issue 5): climate-fever, fever-symmetric and FNC-1.

Usage:
    python bench/eval_verify.py [--sets climate,fever,fnc] [--limit N] [--fnc-limit 2000]
                                [--no-nli] [--data ../shared/data] [--workdir DIR]

- climate-fever: one index of all 2,976 distinct evidence sentences (source = Wikipedia article,
  one document each), every claim queried with no filter. Evidence recall@5 (gold SUPPORTS /
  REFUTES evidence of that claim among the top 5), verdict accuracy and macro-F1 (SUPPORTED ->
  SUPPORTS, REFUTED -> REFUTES, NOT_ENOUGH_EVIDENCE -> NOT_ENOUGH_INFO, CONFLICTING -> DISPUTED),
  ECE of the verdict confidence, batch throughput.
- fever-symmetric dev (Penn-Treebank escapes undone): each evidence sentence its own document (source = the pair's id), each
  claim queried with its own source only. Accuracy on SUPPORTS / REFUTES (NOT_ENOUGH_EVIDENCE is
  wrong), accuracy forced to the larger of support / refute, ECE.
- fnc1: the bodies indexed with the real claim extractor (source = Body ID), each headline queried
  with its body as the only source; verdict + top similarity -> agree / disagree / discuss /
  unrelated; FNC-1 weighted score at the untuned threshold and at the threshold tuned on this half.

Sentence-level corpora (climate-fever, fever-symmetric) are indexed with a one-claim-per-document
stand-in for the extractor (bench/common.py `OneClaimExtractor`). --limit caps the claims of each
set (a seeded sample); --fnc-limit the FNC-1 pairs (0: all 12,537). Results:
bench/results/verify-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    DEFAULT_DATA,
    accuracy,
    build_rows,
    confusion,
    detokenize_ptb,
    ece,
    fnc_score,
    macro_f1,
    nli_status,
    per_class_f1,
    print_confusion,
    print_table,
    resources_for,
    settings_for,
    write_results,
)

from claimcheck.query import BatchItem, QueryOptions, query_many
from claimcheck.types import Verdict
from claimcheck.verdict import (
    CALIBRATION_KEYS,
    RULE,
    Platt,
    VerdictRule,
    _noisy_or,
    decide,
    score,
    weighted,
)

TO_CLIMATE = {"SUPPORTED": "SUPPORTS", "REFUTED": "REFUTES", "NOT_ENOUGH_EVIDENCE": "NOT_ENOUGH_INFO",
              "CONFLICTING": "DISPUTED"}
CLIMATE_LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO", "DISPUTED")
FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
# Every candidate is returned (the verdict is decided on all of them anyway), so the harness can
# read recall@5 off the first five and recompute support / refutation for forced choices.
OPTIONS = QueryOptions(top_k=20)


def _sample(items: list[Any], limit: int | None, seed: int = 0) -> list[Any]:
    if not limit or limit >= len(items):
        return items
    return [items[i] for i in sorted(random.Random(seed).sample(range(len(items)), limit))]


def _timed_queries(items: list[BatchItem], settings: Any, resources: Any) -> tuple[list[Verdict], float]:
    # Warm the models (embedder, NLI) first so the throughput is the steady batch rate.
    list(query_many(items[:1], settings, OPTIONS, resources))
    started = time.monotonic()
    verdicts = []
    for n, verdict in enumerate(query_many(items, settings, OPTIONS, resources), 1):
        verdicts.append(verdict)
        if n % 200 == 0:
            print(f"  {n}/{len(items)} queried ({n / (time.monotonic() - started):.1f}/s)", file=sys.stderr)
    return verdicts, time.monotonic() - started


def support_refute(verdict: Verdict) -> tuple[float, float]:
    """S and R as the verdict rule computes them (claimcheck/verdict.py), from all the evidence;
    when no item leans either way (both 0), the strongest single weighted item decides."""
    sup, ref = weighted(verdict.evidence, RULE)
    s = _noisy_or([v for v, _ in sup if v >= RULE.lean])
    r = _noisy_or([v for v, _ in ref if v >= RULE.lean])
    if s == r == 0.0:
        s, r = max((v for v, _ in sup), default=0.0), max((v for v, _ in ref), default=0.0)
    return s, r


# --- calibration ------------------------------------------------------------------------------
# Claims at even positions of each evaluated list fit the per-verdict maps (--fit-calibration);
# claims at odd positions report ECE with the committed maps.


def _records(verdicts: list[Verdict], correct: list[bool]) -> list[dict[str, Any]]:
    """Per query: position, verdict, raw score of the rule, shown confidence, right or wrong."""
    out = []
    for n, (v, ok) in enumerate(zip(verdicts, correct)):
        name, raw, _, key = score(v.evidence, RULE)
        out.append({"n": n, "verdict": name, "key": key, "raw": round(raw, 5), "confidence": v.confidence,
                    "correct": bool(ok)})
    return out


def _half_ece(records: list[dict[str, Any]], odd: bool) -> dict[str, Any]:
    half = [r for r in records if r["n"] % 2 == int(odd)]
    return ece([r["confidence"] for r in half], [r["correct"] for r in half])


def fit_calibration(records: list[dict[str, Any]]) -> dict[str, Platt]:
    """Per verdict, the Platt map of minimum log loss on the even-position records.

    A verdict with fewer than 20 fitting records, or only right or only wrong ones, or whose fit
    slopes the wrong way, gets a constant map at its (smoothed) accuracy (a = 0).
    """
    import math

    from sklearn.linear_model import LogisticRegression

    maps: dict[str, Platt] = {}
    fit = [r for r in records if r["n"] % 2 == 0]
    for verdict in CALIBRATION_KEYS:
        rows = [r for r in fit if r["key"] == verdict]
        right = sum(r["correct"] for r in rows)
        if len(rows) < 20 or right in (0, len(rows)):
            rate = (right + 1) / (len(rows) + 2)
            maps[verdict] = Platt(0.0, round(math.log(rate / (1 - rate)), 4))
            continue
        x = [[math.log(max(min(r["raw"], 1 - 1e-4), 1e-4) / (1 - max(min(r["raw"], 1 - 1e-4), 1e-4)))]
             for r in rows]
        model = LogisticRegression(C=10.0).fit(x, [r["correct"] for r in rows])
        a, b = float(model.coef_[0][0]), float(model.intercept_[0])
        if a < 0:  # a higher raw score must never mean less confidence: keep the constant map
            rate = right / len(rows)
            a, b = 0.0, math.log(rate / (1 - rate))
        maps[verdict] = Platt(round(a, 4), round(b, 4))
    return maps


def conflict_records(resources: Any) -> list[dict[str, Any]]:
    """The conflict set (tests/gold/conflict_pairs.json, our hand-checked number / date conflicts
    and hard negatives; not an evaluation set of this harness) as one-evidence verdicts: the
    edited sentence is the claim, the original the only evidence. Right means REFUTED for a
    conflict, SUPPORTED for an identity / paraphrase / dropped modifier, not enough evidence for
    another sentence of the same story."""
    from eval_conflicts import NEGATIVE_RELATION, load_conflict_set

    from claimcheck.types import Evidence, StoredClaim

    pairs = load_conflict_set()
    engine = resources.engine
    relations = engine.relate_pairs([(p.a, p.b) for p in pairs])
    wanted = {"refutes": "REFUTED", "supports": "SUPPORTED", "neutral": "NOT_ENOUGH_EVIDENCE"}
    verdicts = []
    for p, relation in zip(pairs, relations):
        claim = StoredClaim(claim_id=0, text=p.a, sentence=p.a, source="gold", document="gold", doc_id="gold")
        item = Evidence(claim=claim, relation=relation, score=0.0, similarity=relation.similarity)
        gold = wanted["refutes" if p.label == "refutes" else NEGATIVE_RELATION[p.kind]]
        verdicts.append(Verdict(claim=p.b, verdict=decide([item])[0], confidence=decide([item])[1],
                                evidence=(item,), rationale=gold))
    return _records(verdicts, [v.verdict == v.rationale for v in verdicts])


def calibration_report(report: dict[str, Any], fit_on: Sequence[str] = ("climate",)) -> dict[str, Any]:
    """Fit the maps on the even halves of `fit_on`; ECE of the odd halves of every set with them.

    The default fits on climate-fever and the conflict set: like a user's own corpus
    climate-fever mixes claims the index can decide with claims it cannot (NOT_ENOUGH_INFO), and
    the conflict set holds the explicit number / date refutations climate-fever hardly has. In
    fever-symmetric every claim has one decisive evidence sentence, so "not enough evidence" is
    always wrong there; it is not fitted on by default.
    """
    pooled = [r for name in fit_on for r in report.get(name, {}).get("records", [])]
    maps = fit_calibration([{**r, "n": i * 2 + r["n"] % 2} for i, r in enumerate(pooled)])
    out: dict[str, Any] = {"fit_on": list(fit_on), "maps": {v: [m.a, m.b] for v, m in maps.items()}}
    for name in ("climate", "fever", "conflict"):
        records = report.get(name, {}).get("records", [])
        odd = [r for r in records if r["n"] % 2 == 1]
        refit = [maps[r["key"]](r["raw"]) for r in odd]
        out[name] = {"odd_half_ece_committed": _half_ece(records, odd=True)["ece"],
                     "odd_half_ece_refit": ece(refit, [r["correct"] for r in odd])["ece"]}
    print_table(f"verdict calibration (fit: even half of {', '.join(fit_on)}; ECE: odd halves)",
                ["set", "ECE committed maps", "ECE refitted maps"],
                [[n, out[n]["odd_half_ece_committed"], out[n]["odd_half_ece_refit"]]
                 for n in ("climate", "fever", "conflict") if n in report])
    print("\nCALIBRATION = {")
    for verdict, m in maps.items():
        print(f'    "{verdict}": Platt({m.a}, {m.b}),')
    print("}")
    return out


# Verdicts of the sets run in this process, for --tune-rule (not written to the results file).
KEPT: dict[str, tuple[list[Verdict], list[str]]] = {}


def _rule_metric(name: str, verdicts: list[Verdict], gold: list[str], rule: VerdictRule) -> float:
    pred = [decide(v.evidence, rule)[0] for v in verdicts]
    if name == "climate":
        return macro_f1(gold, [TO_CLIMATE[p] for p in pred], CLIMATE_LABELS[:3])
    if name == "fnc":  # relatedness at the rule's own untuned line, as in eval_fnc
        top = [max((e.similarity for e in v.evidence), default=0.0) for v in verdicts]
        return fnc_score(gold, [fnc_label(p, t, RULE.min_relevant) for p, t in zip(pred, top)])
    to_gold = {"SUPPORTED": "SUPPORTS", "REFUTED": "REFUTES"}
    return accuracy(gold, [to_gold.get(p, p) for p in pred])


def tune_rule() -> dict[str, Any]:
    """Grid-search the verdict rule's thresholds on the even halves (mean over the sets run of
    climate-fever macro-F1, fever-symmetric accuracy and the FNC-1 score); report both halves for
    the best and the current rule."""
    grid = [VerdictRule(credible=c, lean=lean, relevance_mid=mid)
            for c in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7) for lean in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.45)
            for mid in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45) if lean <= c]

    def half(name: str, odd: bool) -> tuple[list[Verdict], list[str]]:
        verdicts, gold = KEPT[name]
        keep = [i for i in range(len(verdicts)) if i % 2 == int(odd)]
        return [verdicts[i] for i in keep], [gold[i] for i in keep]

    def objective(rule: VerdictRule, odd: bool) -> dict[str, float]:
        return {name: _rule_metric(name, *half(name, odd), rule) for name in KEPT}

    scored = [(sum(objective(rule, False).values()) / len(KEPT), rule) for rule in grid]
    best = max(scored, key=lambda t: t[0])[1]
    out = {"best": {k: getattr(best, k) for k in ("credible", "lean", "relevance_mid")},
           "current": {k: getattr(RULE, k) for k in ("credible", "lean", "relevance_mid")}}
    rows = []
    for label, rule in (("current", RULE), ("best on even half", best)):
        even, odd = objective(rule, False), objective(rule, True)
        out[label] = {**out.get(label, {}), "even": even, "odd": odd}
        rows += [[label, name, even[name], odd[name]] for name in KEPT]
    print_table(f"verdict rule: credible {best.credible}, lean {best.lean}, relevance_mid "
                f"{best.relevance_mid} (tuned on even halves)",
                ["rule", "set", "even half (tuning)", "odd half (held out)"], rows)
    return out


# --- climate-fever ----------------------------------------------------------------------------


def eval_climate(data: Path, workdir: Path, limit: int | None, use_nli: bool, reuse: bool = False,
                 query_limit: int | None = None) -> dict[str, Any]:
    claims = [json.loads(line) for line in (data / "climate-fever" / "claims.jsonl").open(encoding="utf-8")]
    rows: list[dict[str, Any]] = []
    line_of: dict[str, int] = {}
    for claim in claims:
        for ev in claim["evidences"]:
            if ev["evidence_id"] not in line_of:
                rows.append({"text": ev["evidence"], "source": ev["article"], "title": ev["article"]})
                line_of[ev["evidence_id"]] = len(rows)
    settings = settings_for(workdir / "climate-fever", use_nli)
    resources = resources_for(settings, one_claim=True)
    print(f"climate-fever: indexing {len(rows)} evidence sentences", file=sys.stderr)
    built = build_rows(rows, workdir, "climate-fever", resources, reuse=reuse)
    claims = _sample(claims, limit)
    verdicts, seconds = _timed_queries([BatchItem(c["claim"]) for c in claims], settings, resources)

    hits = fractions = considered = 0
    hits20 = 0
    gold, pred, conf = [], [], []
    for claim, verdict in zip(claims, verdicts):
        wanted = {built.line_to_doc[line_of[e["evidence_id"]]] for e in claim["evidences"]
                  if e["evidence_label"] in ("SUPPORTS", "REFUTES")}
        if wanted:
            considered += 1
            top5 = {e.claim.doc_id for e in verdict.evidence[:5]}
            top20 = {e.claim.doc_id for e in verdict.evidence}
            hits += bool(wanted & top5)
            hits20 += bool(wanted & top20)
            fractions += len(wanted & top5) / len(wanted)
        gold.append(claim["claim_label"])
        pred.append(TO_CLIMATE[verdict.verdict])
        conf.append(verdict.confidence)
    records = _records(verdicts, [g == p for g, p in zip(gold, pred)])
    KEPT["climate"] = (verdicts, gold)
    main3 = CLIMATE_LABELS[:3]
    non_disputed = [(g, p) for g, p in zip(gold, pred) if g != "DISPUTED"]
    out = {
        "claims": len(claims),
        "documents_indexed": built.report.totals.get("documents"),
        "build_seconds": round(built.seconds, 2),
        "claims_with_gold_evidence": considered,
        "recall_at_5_any": round(hits / considered, 4) if considered else None,
        "recall_at_5_fraction": round(fractions / considered, 4) if considered else None,
        "recall_at_20_any": round(hits20 / considered, 4) if considered else None,
        "accuracy_4class": accuracy(gold, pred),
        "accuracy_3class_non_disputed_claims": accuracy([g for g, _ in non_disputed], [p for _, p in non_disputed]),
        "macro_f1_4class": macro_f1(gold, pred, CLIMATE_LABELS),
        "macro_f1_3class": macro_f1(gold, pred, main3),
        "per_class": per_class_f1(gold, pred, CLIMATE_LABELS),
        "confusion": confusion(gold, pred, CLIMATE_LABELS),
        "predicted": dict(Counter(pred)),
        "calibration": ece(conf, [g == p for g, p in zip(gold, pred)]),
        "calibration_odd_half": _half_ece(records, odd=True),
        "query_seconds": round(seconds, 2),
        "claims_per_second": round(len(claims) / seconds, 2) if seconds else None,
    }
    print_table("climate-fever", ["metric", "value", "target"], [
        ["evidence recall@5 (any gold S/R evidence in top 5)", out["recall_at_5_any"], ">= 0.60"],
        ["evidence recall@5 (share of gold evidence)", out["recall_at_5_fraction"], ""],
        ["evidence recall@20 (any)", out["recall_at_20_any"], ""],
        ["verdict accuracy (4 classes)", out["accuracy_4class"], ""],
        ["verdict macro-F1 (4 classes)", out["macro_f1_4class"], ""],
        ["verdict macro-F1 (S / R / NEI)", out["macro_f1_3class"], ">= 0.45"],
        ["ECE (10 bins)", out["calibration"]["ece"], ""],
        ["ECE, odd half (not used to fit the calibration)", out["calibration_odd_half"]["ece"], ""],
        ["throughput (claims/s)", out["claims_per_second"], ">= 20"],
    ])
    out["records"] = records
    print_confusion("climate-fever verdicts", out["confusion"], CLIMATE_LABELS)
    return out


# --- fever-symmetric --------------------------------------------------------------------------


def eval_fever(data: Path, workdir: Path, limit: int | None, use_nli: bool, reuse: bool = False,
               query_limit: int | None = None) -> dict[str, Any]:
    pairs = [json.loads(line) for line in (data / "fever-symmetric" / "dev.jsonl").open(encoding="utf-8")]
    pairs = [{**p, "claim": detokenize_ptb(p["claim"]), "evidence": detokenize_ptb(p["evidence"])}
             for p in _sample(pairs, limit)]
    rows = [{"text": p["evidence"], "source": str(p["id"])} for p in pairs]
    settings = settings_for(workdir / "fever-symmetric", use_nli)
    resources = resources_for(settings, one_claim=True)
    print(f"fever-symmetric: indexing {len(rows)} evidence sentences", file=sys.stderr)
    built = build_rows(rows, workdir, "fever-symmetric", resources, reuse=reuse)
    # Identical evidence sentences become one document (the id is the content hash) that keeps the
    # first pair's source, so each claim filters on the source its evidence actually carries.
    items = [BatchItem(p["claim"], (built.doc_source[built.line_to_doc[n]],)) for n, p in enumerate(pairs, 1)]
    verdicts, seconds = _timed_queries(items, settings, resources)
    to_gold = {"SUPPORTED": "SUPPORTS", "REFUTED": "REFUTES"}
    gold = [p["gold_label"] for p in pairs]
    pred = [to_gold.get(v.verdict, v.verdict) for v in verdicts]
    forced, ties = [], 0
    for v in verdicts:
        s, r = support_refute(v)
        ties += s == r
        forced.append("SUPPORTS" if s > r else "REFUTES" if r > s else "TIE")
    correct = [g == p for g, p in zip(gold, pred)]
    records = _records(verdicts, correct)
    KEPT["fever"] = (verdicts, gold)
    out = {
        "pairs": len(pairs),
        "distinct_evidence_documents": built.report.totals.get("documents"),
        "build_seconds": round(built.seconds, 2),
        "accuracy": accuracy(gold, pred),
        "accuracy_forced_choice": accuracy(gold, forced),
        "forced_choice_ties": ties,
        "predicted": dict(Counter(pred)),
        "confusion": confusion(gold, pred, ["SUPPORTS", "REFUTES", "CONFLICTING", "NOT_ENOUGH_EVIDENCE"]),
        "no_evidence_returned": sum(1 for v in verdicts if not v.evidence),
        "calibration": ece([v.confidence for v in verdicts], correct),
        "calibration_odd_half": _half_ece(records, odd=True),
        "claims_per_second": round(len(pairs) / seconds, 2) if seconds else None,
    }
    print_table("fever-symmetric dev", ["metric", "value", "target"], [
        ["accuracy (NOT_ENOUGH_EVIDENCE / CONFLICTING wrong)", out["accuracy"], ">= 0.70"],
        ["accuracy forced to larger of support / refute", out["accuracy_forced_choice"], ""],
        ["ties in forced choice (counted wrong)", ties, ""],
        ["ECE (10 bins)", out["calibration"]["ece"], ""],
        ["ECE, odd half (not used to fit the calibration)", out["calibration_odd_half"]["ece"], ""],
        ["throughput (claims/s)", out["claims_per_second"], ""],
    ])
    out["records"] = records
    print_table("fever-symmetric predictions", ["verdict", "count"], sorted(out["predicted"].items()))
    return out


# --- FNC-1 ------------------------------------------------------------------------------------


def fnc_label(verdict: str, top_similarity: float, threshold: float) -> str:
    if top_similarity < threshold:
        return "unrelated"
    return {"SUPPORTED": "agree", "REFUTED": "disagree"}.get(verdict, "discuss")


def eval_fnc(data: Path, workdir: Path, limit: int | None, use_nli: bool, reuse: bool = False,
             query_limit: int | None = None) -> dict[str, Any]:
    csv.field_size_limit(1 << 30)
    with (data / "fnc1" / "bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with (data / "fnc1" / "stances.csv").open(encoding="utf-8", newline="") as fh:
        stances = list(csv.DictReader(fh))
    stances = _sample(stances, limit)
    needed = sorted({s["Body ID"] for s in stances}, key=int)
    rows = [{"text": bodies[b], "source": b} for b in needed]
    settings = settings_for(workdir / "fnc1", use_nli)
    resources = resources_for(settings, one_claim=False)  # bodies are articles: the real extractor
    print(f"fnc1: indexing {len(rows)} bodies, querying {len(stances)} headlines", file=sys.stderr)
    built = build_rows(rows, workdir, "fnc1", resources, reuse=reuse)
    stances = _sample(stances, query_limit, seed=1)  # query a subset of the indexed sample
    body_source = {b: built.doc_source[built.line_to_doc[n]] for n, b in enumerate(needed, 1)}
    items = [BatchItem(s["Headline"], (body_source[s["Body ID"]],)) for s in stances]
    verdicts, seconds = _timed_queries(items, settings, resources)
    gold = [s["Stance"] for s in stances]
    KEPT["fnc"] = (verdicts, gold)
    top = [max((e.similarity for e in v.evidence), default=0.0) for v in verdicts]

    def score_at(threshold: float) -> float:
        return fnc_score(gold, [fnc_label(v.verdict, t, threshold) for v, t in zip(verdicts, top)])

    default_threshold = RULE.min_relevant  # the verdict rule's own "nothing relevant" line, untuned
    grid = [round(0.05 + 0.01 * i, 2) for i in range(76)]
    tuned = max(grid, key=score_at)
    results: dict[str, Any] = {}
    for name, threshold in (("untuned", default_threshold), ("tuned_on_this_half", tuned)):
        pred = [fnc_label(v.verdict, t, threshold) for v, t in zip(verdicts, top)]
        related_gold = [g != "unrelated" for g in gold]
        related_pred = [p != "unrelated" for p in pred]
        results[name] = {
            "threshold": threshold,
            "fnc_score": fnc_score(gold, pred),
            "accuracy": accuracy(gold, pred),
            "related_unrelated_accuracy": accuracy(related_gold, related_pred),
            "macro_f1": macro_f1(gold, pred, FNC_LABELS),
            "confusion": confusion(gold, pred, FNC_LABELS),
        }
    # Stance on related pairs only (what the relation engine decides, retrieval aside).
    rel = [(g, {"SUPPORTED": "agree", "REFUTED": "disagree"}.get(v.verdict, "discuss"))
           for g, v in zip(gold, verdicts) if g != "unrelated"]
    out = {
        "pairs": len(stances),
        "bodies_indexed": len(rows),
        "claims_indexed": built.report.claims_added,
        "build_seconds": round(built.seconds, 2),
        "build_claims_per_second": round(built.claims_per_second, 2),
        "gold": dict(Counter(gold)),
        "verdicts": dict(Counter(v.verdict for v in verdicts)),
        "no_evidence_returned": sum(1 for v in verdicts if not v.evidence),
        "stance_accuracy_on_related_pairs": accuracy([g for g, _ in rel], [p for _, p in rel]),
        "stance_macro_f1_on_related_pairs": macro_f1([g for g, _ in rel], [p for _, p in rel], FNC_LABELS[:3]),
        "claims_per_second": round(len(stances) / seconds, 2) if seconds else None,
        **results,
    }
    print_table("FNC-1", ["metric", "value", "target"], [
        [f"FNC score, untuned threshold {default_threshold}", results["untuned"]["fnc_score"], ">= 0.80"],
        [f"FNC score, threshold {tuned} tuned on this half", results["tuned_on_this_half"]["fnc_score"], ">= 0.80"],
        ["related/unrelated accuracy (tuned)", results["tuned_on_this_half"]["related_unrelated_accuracy"], ""],
        ["stance accuracy on gold-related pairs", out["stance_accuracy_on_related_pairs"], ""],
        ["throughput (headlines/s)", out["claims_per_second"], ""],
    ])
    print_confusion("FNC-1, tuned threshold", results["tuned_on_this_half"]["confusion"], FNC_LABELS)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default="climate,fever,fnc", help="comma-separated: climate, fever, fnc")
    parser.add_argument("--limit", type=int, default=None, help="claims per set (seeded sample)")
    parser.add_argument("--fnc-limit", type=int, default=2000, help="FNC-1 pairs (0: all 12,537)")
    parser.add_argument("--fnc-query-limit", type=int, default=None,
                        help="query only this many of the --fnc-limit pairs (the index keeps all their bodies)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse indexes already built from the same rows in --workdir (verification "
                             "builds do not depend on the relation engine)")
    parser.add_argument("--no-nli", action="store_true", help="similarity + conflict signals only")
    parser.add_argument("--tune-rule", action="store_true",
                        help="grid-search the verdict rule's thresholds on the even halves of the sets run")
    parser.add_argument("--fit-calibration", action="store_true",
                        help="fit the verdict calibration maps on the even half of --calibrate-on and "
                             "print them (paste into claimcheck/verdict.py CALIBRATION)")
    parser.add_argument("--calibrate-on", default="climate,conflict",
                        help="comma-separated sets to fit on (climate, fever, conflict)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the indexes here (default: a temp dir)")
    args = parser.parse_args()
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    tmp = None
    if args.workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="claimcheck-eval-")
        args.workdir = Path(tmp.name)
    probe = resources_for(settings_for(args.workdir / "probe", not args.no_nli), one_claim=True)
    nli = nli_status(probe)
    print(f"relation engine NLI model: {nli or 'none (similarity + conflict signals only)'}", file=sys.stderr)
    report: dict[str, Any] = {"nli_model": nli, "limit": args.limit, "fnc_limit": args.fnc_limit,
                              "extractor": "OneClaimExtractor for climate-fever / fever-symmetric; "
                                           "claimcheck.extract.Extractor for FNC-1 bodies"}
    runners = {"climate": eval_climate, "fever": eval_fever, "fnc": eval_fnc}
    path = None
    for name in sets:
        limit = (args.fnc_limit or None) if name == "fnc" else args.limit
        started = time.monotonic()
        report[name] = runners[name](args.data, args.workdir, limit, not args.no_nli, args.reuse,
                                     args.fnc_query_limit if name == "fnc" else None)
        report[name]["wall_seconds"] = round(time.monotonic() - started, 1)
        path = write_results("verify", report, path)  # after each set: a cut-short run keeps its figures
    if args.tune_rule and KEPT:
        report["rule_tuning"] = tune_rule()
        path = write_results("verify", report, path)
    if args.fit_calibration:
        if "conflict" in args.calibrate_on:
            report["conflict"] = {"records": conflict_records(probe)}
        report["calibration_fit"] = calibration_report(
            report, [s.strip() for s in args.calibrate_on.split(",") if s.strip()])
        path = write_results("verify", report, path)
    print(f"\nresults: {path}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
