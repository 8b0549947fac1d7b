"""Check-worthiness scorer: committed weights, numpy-only scoring, sanity on real data."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from claimcheck.checkworthy import MODEL_DIR, N_BUCKETS, checkworthiness, featurize, load_model


def test_weights_are_small_and_described() -> None:
    assert (MODEL_DIR / "weights.npz").stat().st_size < 2_000_000
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["n_buckets"] == N_BUCKETS and meta["held_out"]["f1"] > 0.7


def test_runtime_needs_no_sklearn() -> None:
    load_model()
    assert "sklearn" not in sys.modules or "scripts" in " ".join(sys.argv)


def test_featurize_is_deterministic() -> None:
    a, b = (
        featurize("Unemployment fell to 4 percent in 2019."),
        featurize("Unemployment fell to 4 percent in 2019."),
    )
    assert a[0] == b[0] and (a[1] == b[1]).all()
    assert all(0 <= i < N_BUCKETS for i in a[0])


@pytest.mark.parametrize(
    ("factual", "opinion"),
    [
        ("Unemployment fell to 4 percent in 2019.", "I love my wonderful family so much."),
        ("The president signed the spending bill on Monday.", "Thank you all for coming tonight."),
        ("The company cut 500 jobs in March.", "This is a great day for America."),
        ("Crime rose 12 percent in the city last year.", "I think he is a good man."),
    ],
)
def test_factual_beats_opinion(factual: str, opinion: str) -> None:
    assert checkworthiness(factual) > 0.5 > checkworthiness(opinion)


def test_scores_are_probabilities() -> None:
    for text in ("", "?", "x" * 500, "The 9/11 Commission put out a report."):
        assert 0.0 <= checkworthiness(text) <= 1.0


def test_clef_out_of_domain(shared_data: Path) -> None:
    with (shared_data / "clef-checkthat" / "clef20_task1_dev.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    model = load_model()
    pred = [model.score(r["tweet_text"]) >= model.threshold for r in rows]
    gold = [r["check_worthiness"] == "1" for r in rows]
    tp = sum(p and g for p, g in zip(pred, gold))
    f1 = 2 * tp / max(sum(pred) + sum(gold), 1)
    assert f1 > 0.6
