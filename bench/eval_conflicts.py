"""Numeric / date conflicts and calibration of `relate()` (issue 4, items 4 and 5).

Two measurements, printed as tables and written as JSON to ``bench/results/eval_conflicts_<tag>.json``:

1. **Conflict set** (``tests/gold/conflict_pairs.json``): real news sentences (MRPC, STS-news,
   BASIL) with one number or date changed, checked by hand, against hard negatives (the identical
   sentence, a non-numeric modifier dropped, MRPC paraphrases keeping the numbers, same-story
   sentences with other numbers about something else). Reports precision and recall of
   ``refutes``, with the NLI model and without it (signals + similarity only).
2. **Calibration**: expected calibration error (10 equal-width bins on the top probability) of the
   fused 3-way probabilities on a dev set that is not an evaluation set of the issue: SICK trial,
   CAD-SNLI dev, MPE dev, COVID-Fact dev and the conflict set (entailment -> supports,
   contradiction -> refutes, neutral -> neutral; conflict negatives: identity / modifier dropped /
   paraphrase -> supports, same story -> neutral). ``--fit`` minimises the negative
   log-likelihood over ``Fusion.temperature`` and ``Fusion.signal_weight`` (grid search) and
   reports ECE before and after; the fitted values are what FUSION in claimcheck/relate.py holds.

The gold file stores references and edits only, never sentence text; the pairs are rebuilt here
from ../shared/data (``CLAIMCHECK_SHARED_DATA`` overrides).

Usage::

    python bench/eval_conflicts.py            # conflict set (NLI and no NLI) + ECE of FUSION
    python bench/eval_conflicts.py --fit      # also fit temperature / signal_weight on the dev set
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("CLAIMCHECK_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "bench" / "results"
GOLD = REPO / "tests" / "gold" / "conflict_pairs.json"

from claimcheck.relate import FUSION, Fusion, RelationEngine, fuse
from claimcheck.signals import Signals, find_signals
from claimcheck.types import RELATION_LABELS

TARGET_PRECISION = 0.9
TARGET_RECALL = 0.9
DEV_SETS = ("sick_trial", "cad_snli_dev", "mpe_dev", "covidfact_dev")
NLI_TO_RELATION = {"entailment": "supports", "contradiction": "refutes", "neutral": "neutral"}
# How the conflict set's negatives read as 3-way labels for calibration.
NEGATIVE_RELATION = {"identity": "supports", "drop_modifier": "supports", "paraphrase": "supports",
                     "same_story": "neutral"}
ECE_BINS = 10
MIN_SIGNAL_WEIGHT = 0.6


@dataclass(frozen=True)
class ConflictPair:
    """One pair of the conflict set, rebuilt from the shared data."""

    id: str
    a: str
    b: str
    label: str  # refutes / not_refutes
    kind: str  # number / date / identity / drop_modifier / paraphrase / same_story


# ---- rebuilding the conflict set -------------------------------------------------------------


@lru_cache(maxsize=1)
def _mrpc(data: Path) -> dict[int, tuple[str, str]]:
    rows = {}
    with open(data / "mrpc" / "train.txt", encoding="utf-8-sig") as fh:
        for i, line in enumerate(fh):
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 5:
                rows[i] = (cols[3], cols[4])
    return rows


@lru_cache(maxsize=1)
def _sts(data: Path) -> dict[int, tuple[str, str]]:
    rows = {}
    with open(data / "sts-news" / "dev.tsv", encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for i, row in enumerate(reader):
            if len(row) >= 7:
                rows[i] = (row[5], row[6])
    return rows


@lru_cache(maxsize=1)
def _basil(data: Path) -> dict[str, list[str]]:
    with open(data / "basil" / "articles.jsonl", encoding="utf-8") as fh:
        return {art["uuid"]: art.get("paragraphs") or [] for art in map(json.loads, fh)}


def _split_sentences(text: str) -> list[str]:
    """The sentence splitter of scripts/augment_nli.py, which the BASIL references index into."""
    sys.path.insert(0, str(REPO / "scripts"))
    from augment_nli import _split_sentences as split

    return split(text)


def resolve(ref: dict[str, Any], data: Path = SHARED) -> str:
    """The sentence a reference names, with its edit applied.

    Args:
        ref: {"source": mrpc|sts|basil, ...location..., "edit": optional {start, from, to}}.
        data: The shared data folder.

    Returns:
        The (edited) sentence.

    Raises:
        ValueError: the edit's `from` text is not at `start` (the data changed under the gold file).
    """
    src = ref["source"]
    if src == "mrpc":
        text = _mrpc(data)[ref["row"]][ref["side"] - 1]
    elif src == "sts":
        text = _sts(data)[ref["row"]][ref["side"] - 1]
    elif src == "basil":
        text = _split_sentences(_basil(data)[ref["uuid"]][ref["para"]])[ref["sent"]]
    else:
        raise ValueError(f"unknown source {src!r}")
    edit = ref.get("edit")
    if edit:
        start, old = edit["start"], edit["from"]
        if text[start : start + len(old)] != old:
            raise ValueError(f"edit {edit} does not match {src} sentence {ref}")
        text = text[:start] + edit["to"] + text[start + len(old) :]
    return text


def load_conflict_set(data: Path = SHARED, gold: Path = GOLD) -> list[ConflictPair]:
    """Rebuild every pair of the gold file from the shared data."""
    doc = json.loads(gold.read_text(encoding="utf-8"))
    return [
        ConflictPair(p["id"], resolve(p["a"], data), resolve(p["b"], data), p["label"], p["kind"])
        for p in doc["pairs"]
    ]


def refutes_scores(predicted: Sequence[str], pairs: Sequence[ConflictPair]) -> dict[str, Any]:
    """Precision / recall / F1 of `refutes` and the refutes rate per kind of pair."""
    tp = sum(p == "refutes" and g.label == "refutes" for p, g in zip(predicted, pairs))
    fp = sum(p == "refutes" and g.label != "refutes" for p, g in zip(predicted, pairs))
    fn = sum(p != "refutes" and g.label == "refutes" for p, g in zip(predicted, pairs))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kinds: dict[str, Counter] = {}
    for p, g in zip(predicted, pairs):
        kinds.setdefault(g.kind, Counter())[p] += 1
    return {
        "n": len(pairs), "tp": tp, "fp": fp, "fn": fn,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "by_kind": {k: dict(v) for k, v in sorted(kinds.items())},
    }


def eval_conflicts(engine: RelationEngine, pairs: Sequence[ConflictPair]) -> dict[str, Any]:
    """Relate every pair (A = first side, B = second) and score `refutes`."""
    start = time.perf_counter()
    relations = engine.relate_pairs([(p.a, p.b) for p in pairs])
    seconds = time.perf_counter() - start
    predicted = [r.label for r in relations]
    out = refutes_scores(predicted, pairs)
    out["pairs_per_second"] = round(len(pairs) / seconds, 1)
    out["errors"] = [
        {"id": p.id, "kind": p.kind, "gold": p.label, "predicted": r.label,
         "p_refutes": round(r.probabilities["refutes"], 3), "reasons": list(r.reasons)}
        for p, r in zip(pairs, relations) if (r.label == "refutes") != (p.label == "refutes")
    ]
    return out


# ---- calibration -----------------------------------------------------------------------------


@dataclass
class DevSet:
    """The dev pairs with everything fusion needs, computed once so fusion can be re-run cheaply."""

    names: list[str]
    gold: list[str]
    similarities: list[float]
    signals: list[Signals]
    nli: np.ndarray  # untempered probabilities in the model's label order
    nli_labels: tuple[str, ...]


def load_dev_pairs(data: Path = SHARED) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """The calibration dev set: (set name, pair, 3-way relation label) per row."""
    names, pairs, gold = [], [], []
    for name in DEV_SETS:
        with open(data / "nli" / f"{name}.jsonl", encoding="utf-8") as fh:
            for row in map(json.loads, fh):
                if row["label"] in NLI_TO_RELATION:
                    names.append(name)
                    pairs.append((row["premise"], row["hypothesis"]))
                    gold.append(NLI_TO_RELATION[row["label"]])
    for p in load_conflict_set(data):
        names.append("conflict_set")
        pairs.append((p.a, p.b))
        gold.append("refutes" if p.label == "refutes" else NEGATIVE_RELATION[p.kind])
    return names, pairs, gold


def prepare_dev(engine: RelationEngine, data: Path = SHARED) -> DevSet:
    """Embed, find signals and run the NLI model once over the dev set."""
    names, pairs, gold = load_dev_pairs(data)
    sims = engine.similarities(pairs)
    signals = [find_signals(a, b) for a, b in pairs]
    model = engine.nli
    if model is None:
        raise SystemExit("calibration needs the NLI model (claimcheck/models/nli)")
    probs = np.asarray(model.predict(pairs))
    labels = tuple(getattr(model, "labels", None) or ("entailment", "neutral", "contradiction"))
    return DevSet(names, gold, sims, signals, probs, labels)


def fused_probs(dev: DevSet, fusion: Fusion) -> np.ndarray:
    """Relation probabilities (RELATION_LABELS order) for every dev pair under `fusion`."""
    logits = np.log(np.clip(dev.nli, 1e-9, 1)) / fusion.temperature
    nli = np.exp(logits - logits.max(axis=1, keepdims=True))
    nli /= nli.sum(axis=1, keepdims=True)
    out = np.empty((len(dev.gold), len(RELATION_LABELS)))
    for i in range(len(dev.gold)):
        probs = fuse(dev.similarities[i], dev.signals[i], dict(zip(dev.nli_labels, nli[i])), fusion)
        out[i] = [probs[k] for k in RELATION_LABELS]
    return out


def calibration(probs: np.ndarray, gold: Sequence[str], bins: int = ECE_BINS) -> dict[str, float]:
    """Accuracy, negative log-likelihood and expected calibration error of the top probability."""
    y = np.array([RELATION_LABELS.index(g) for g in gold])
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    correct = (pred == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (conf > lo) & (conf <= hi) if lo > 0 else (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    nll = float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-9, 1))))
    return {"n": len(y), "accuracy": round(float(correct.mean()), 4), "nll": round(nll, 4),
            "ece": round(float(ece), 4)}


def calibration_report(dev: DevSet, fusion: Fusion) -> dict[str, Any]:
    """Calibration over the whole dev set and per component set."""
    probs = fused_probs(dev, fusion)
    out = {"all": calibration(probs, dev.gold)}
    for name in dict.fromkeys(dev.names):
        idx = [i for i, n in enumerate(dev.names) if n == name]
        out[name] = calibration(probs[idx], [dev.gold[i] for i in idx])
    return out


def fit_fusion(dev: DevSet, start: Fusion) -> Fusion:
    """Minimise dev NLL over temperature and signal_weight by a coarse-then-fine grid search.

    signal_weight is kept >= MIN_SIGNAL_WEIGHT: it is shared with the no-NLI path, where
    P(refutes) = signal_weight * signal must still be able to win (0.5 never does).
    """
    def nll(f: Fusion) -> float:
        return calibration(fused_probs(dev, f), dev.gold)["nll"]

    def grid(temps: np.ndarray, weights: np.ndarray) -> list[Fusion]:
        return [dataclasses.replace(start, temperature=round(float(t), 3), signal_weight=round(float(w), 3))
                for t in temps for w in weights if t > 0 and MIN_SIGNAL_WEIGHT <= w < 1]

    best = min([start, *grid(np.arange(0.6, 3.01, 0.2), np.arange(0.6, 0.96, 0.05))], key=nll)
    fine = grid(np.arange(best.temperature - 0.15, best.temperature + 0.151, 0.05),
                np.arange(best.signal_weight - 0.05, best.signal_weight + 0.051, 0.025))
    return min([best, *fine], key=nll)


# ---- output ----------------------------------------------------------------------------------


def _print_conflicts(results: dict[str, dict]) -> None:
    print(f"\nConflict set: refutes precision / recall (target >= {TARGET_PRECISION} / >= {TARGET_RECALL})")
    print(f"{'engine':<10} {'n':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'f1':>6} {'pairs/s':>8}")
    for name, r in results.items():
        print(f"{name:<10} {r['n']:>4} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {r['precision']:>9.3f} "
              f"{r['recall']:>7.3f} {r['f1']:>6.3f} {r['pairs_per_second']:>8.1f}")
    for name, r in results.items():
        print(f"\n{name}: predicted label counts per kind of pair")
        for kind, counts in r["by_kind"].items():
            print(f"  {kind:<14} " + "  ".join(f"{k}={v}" for k, v in sorted(counts.items())))


def _print_calibration(rows: dict[str, dict[str, Any]]) -> None:
    print(f"\nCalibration ({ECE_BINS}-bin ECE on the top probability)")
    print(f"{'fusion':<8} {'set':<14} {'n':>5} {'accuracy':>8} {'nll':>7} {'ece':>7}")
    for tag, report in rows.items():
        for name, c in report.items():
            print(f"{tag:<8} {name:<14} {c['n']:>5} {c['accuracy']:>8.3f} {c['nll']:>7.3f} {c['ece']:>7.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true", help="fit temperature and signal_weight on the dev set")
    ap.add_argument("--no-calibration", action="store_true", help="conflict set only")
    ap.add_argument("--tag", default="current", help="suffix of the results file")
    args = ap.parse_args()

    pairs = load_conflict_set()
    engine = RelationEngine()
    conflicts = {
        "nli": eval_conflicts(engine, pairs),
        "no_nli": eval_conflicts(RelationEngine(embedder=engine._embedder, use_nli=False), pairs),
    }
    _print_conflicts(conflicts)
    results: dict[str, Any] = {"fusion": dataclasses.asdict(FUSION), "conflict_set": conflicts,
                               "counts": dict(Counter(p.kind for p in pairs))}
    if not args.no_calibration:
        dev = prepare_dev(engine)
        calib = {"current": calibration_report(dev, FUSION)}
        if args.fit:
            neutral = dataclasses.replace(FUSION, temperature=1.0)
            calib["t=1"] = calibration_report(dev, neutral)
            fitted = fit_fusion(dev, neutral)
            calib["fitted"] = calibration_report(dev, fitted)
            results["fitted_fusion"] = dataclasses.asdict(fitted)
            print(f"\nfitted: temperature={fitted.temperature} signal_weight={fitted.signal_weight}")
        _print_calibration(calib)
        results["calibration"] = calib
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"eval_conflicts_{args.tag}.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
