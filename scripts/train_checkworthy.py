"""Train the check-worthiness scorer and export its weights for numpy-only inference.

Data (read in place, never copied): ClaimBuster two-class train.json (text, label 1 = check-worthy)
and CLEF 2020 CheckThat! task 1 dev tweets (tweet_text, check_worthiness) as an out-of-domain check.

Split: a fixed, seeded (seed 13), stratified 80/20 split of train.json; C and the decision threshold
are chosen by 5-fold cross-validation on the 80% part only, and F1 is reported on the 20% part.

Usage:
    python scripts/train_checkworthy.py [--data ../shared/data] [--out claimcheck/models/checkworthy]

Needs scikit-learn and scipy (the `train` extra); the runtime needs neither.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from claimcheck.checkworthy import N_BUCKETS, CheckworthyModel, featurize, save_model

SEED = 13


def matrix(texts: list[str]) -> sparse.csr_matrix:
    """Hashed + dense features as one sparse matrix (dense columns appended after the buckets)."""
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        hashed, dense = featurize(text)
        for c, v in hashed.items():
            rows.append(r), cols.append(c), vals.append(v)
        for c, v in enumerate(dense[1:], start=1):  # column 0 is the bias: sklearn fits its own
            if v:
                rows.append(r), cols.append(N_BUCKETS + c), vals.append(float(v))
    n_dense = len(featurize("x")[1])
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), N_BUCKETS + n_dense))


def best_threshold(y: np.ndarray, prob: np.ndarray) -> tuple[float, float]:
    """The probability cut that maximises F1 on out-of-fold predictions."""
    grid = np.arange(0.15, 0.8, 0.01)
    scores = [f1_score(y, prob >= t) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), float(scores[i])


def report(name: str, y: np.ndarray, prob: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of the positive class at `threshold` and at 0.5."""
    pred = prob >= threshold
    out = {
        "n": len(y),
        "precision": round(float(precision_score(y, pred)), 4),
        "recall": round(float(recall_score(y, pred)), 4),
        "f1": round(float(f1_score(y, pred)), 4),
        "f1_at_0.5": round(float(f1_score(y, prob >= 0.5)), 4),
    }
    print(f"{name}: {out}")
    return out


def main() -> None:
    """Train, evaluate on the held-out split and CLEF, refit on all of train.json, export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "claimcheck" / "models" / "checkworthy")
    args = parser.parse_args()

    rows = json.loads((args.data / "claimbuster" / "train.json").read_text(encoding="utf-8"))
    texts = [r["text"] for r in rows]
    labels = np.array([int(r["label"]) for r in rows])
    x_tr, x_te, y_tr, y_te = train_test_split(
        texts, labels, test_size=0.2, random_state=SEED, stratify=labels
    )
    m_tr, m_te = matrix(x_tr), matrix(x_te)
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    best = (0.0, 1.0, 0.5)
    for c in (1.0, 3.0, 10.0, 30.0):
        clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        prob = cross_val_predict(clf, m_tr, y_tr, cv=folds, method="predict_proba")[:, 1]
        threshold, f1 = best_threshold(y_tr, prob)
        print(f"C={c}: cv F1 {f1:.4f} at threshold {threshold:.2f}")
        if f1 > best[0]:
            best = (f1, c, threshold)
    _, c, threshold = best
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(m_tr, y_tr)
    held_out = report("held-out 20% (seed 13)", y_te, clf.predict_proba(m_te)[:, 1], threshold)

    with (args.data / "clef-checkthat" / "clef20_task1_dev.tsv").open(encoding="utf-8") as fh:
        clef = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    y_clef = np.array([int(r["check_worthiness"]) for r in clef])
    p_clef = clf.predict_proba(matrix([r["tweet_text"] for r in clef]))[:, 1]
    clef_out = report("CLEF 2020 task 1 dev", y_clef, p_clef, threshold)

    # The shipped model is refit on all of train.json with the chosen C and threshold.
    final = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    final.fit(matrix(texts), labels)
    coef = final.coef_[0]
    dense = np.concatenate([[0.0], coef[N_BUCKETS + 1 :]])
    model = CheckworthyModel(coef[:N_BUCKETS], dense, float(final.intercept_[0]), threshold)
    meta = {
        "C": c,
        "threshold": threshold,
        "seed": SEED,
        "held_out": held_out,
        "clef": clef_out,
        "train_rows": len(texts),
        "trained_on": "claimbuster/train.json (all rows)",
    }
    save_model(model, args.out, meta)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
