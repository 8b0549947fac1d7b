"""The numeric / date conflict set (issue 4): refutes recall >= 0.9 at precision >= 0.9.

The pairs are rebuilt from ../shared/data through the references in tests/gold/conflict_pairs.json
(no sentence text is committed), so these tests skip where the shared data is absent.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from claimcheck.relate import RelationEngine

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "conflict_pairs.json"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_conflicts", REPO / "bench" / "eval_conflicts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def pairs(shared_data: Path, bench: ModuleType) -> list:
    return bench.load_conflict_set(shared_data, GOLD)


def test_gold_file_holds_references_not_text() -> None:
    doc = json.loads(GOLD.read_text(encoding="utf-8"))
    for pair in doc["pairs"]:
        for side in (pair["a"], pair["b"]):
            assert set(side) <= {"source", "row", "side", "uuid", "para", "sent", "edit"}
            if "edit" in side:  # an edit names a few characters, never a sentence
                assert len(side["edit"]["from"]) <= 20 and len(side["edit"]["to"]) <= 20


def test_set_is_big_enough_and_edits_apply(pairs: list) -> None:
    counts = Counter(p.label for p in pairs)
    assert counts["refutes"] >= 100 and counts["not_refutes"] >= 50
    for p in pairs:
        if p.kind in ("number", "date", "drop_modifier"):
            assert p.a != p.b
        if p.kind == "identity":
            assert p.a == p.b


def test_scores_can_fail(bench: ModuleType, pairs: list) -> None:
    always = bench.refutes_scores(["refutes"] * len(pairs), pairs)
    assert always["recall"] == 1.0 and always["precision"] < 0.9
    never = bench.refutes_scores(["neutral"] * len(pairs), pairs)
    assert never["recall"] == 0.0


@pytest.mark.parametrize("use_nli", [True, False], ids=["nli", "no_nli"])
def test_refutes_recall_and_precision(bench: ModuleType, pairs: list, use_nli: bool) -> None:
    engine = RelationEngine(use_nli=use_nli)
    if use_nli and engine.nli is None:
        pytest.skip("the NLI model files are not installed")
    scores = bench.eval_conflicts(engine, pairs)
    wrong = [(e["id"], e["predicted"]) for e in scores["errors"]]
    assert scores["recall"] >= bench.TARGET_RECALL, wrong
    assert scores["precision"] >= bench.TARGET_PRECISION, wrong
