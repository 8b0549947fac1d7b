"""The NLI wrapper with the real committed model: label order, clear cases, probabilities, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from claimcheck.errors import ModelMismatch, ModelMissing
from claimcheck.nli import NLI_LABELS, OnnxNLIModel, default_model_dir


@pytest.fixture(scope="module")
def model() -> OnnxNLIModel:
    return OnnxNLIModel()


def test_label_constant_matches_config() -> None:
    config = json.loads((default_model_dir() / "config.json").read_text())
    assert tuple(config["id2label"][str(i)] for i in range(3)) == NLI_LABELS


def test_model_is_small() -> None:
    assert (default_model_dir() / "model.onnx").stat().st_size < 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("premise", "hypothesis", "label"),
    [
        ("A man is playing a guitar on stage.", "A man is playing an instrument.", "entailment"),
        (
            "A man is playing a guitar on stage.",
            "Nobody is playing an instrument.",
            "contradiction",
        ),
        (
            "The senate approved the budget on Tuesday.",
            "The senate rejected the budget on Tuesday.",
            "contradiction",
        ),
    ],
)
def test_clear_pairs(model: OnnxNLIModel, premise: str, hypothesis: str, label: str) -> None:
    probs = model.predict([(premise, hypothesis)])
    assert NLI_LABELS[int(probs[0].argmax())] == label


def test_probabilities_shape_and_sum(model: OnnxNLIModel) -> None:
    pairs = [
        ("A dog runs in the park.", "An animal is outside."),
        ("Short.", "Long " * 50),
        ("word " * 600, "A very long premise is cut first."),
    ]
    probs = model.predict(pairs, batch_size=2)
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict([]).shape == (0, 3)


def test_batching_changes_nothing(model: OnnxNLIModel) -> None:
    # The activation scales are fixed at export (static int8, see MODEL_CARD.md): a pair's
    # probabilities do not depend on the other rows of its batch, or on their padding.
    pairs = [
        ("A man is playing a guitar on stage.", "A man is playing an instrument."),
        ("A man is playing a guitar on stage.", "Nobody is playing an instrument."),
        (
            "Three kids are jumping into a lake from a dock on a sunny afternoon.",
            "Kids are asleep.",
        ),
    ]
    together = model.predict(pairs, batch_size=3)
    alone = np.vstack([model.predict([p]) for p in pairs])
    assert np.abs(together - alone).max() < 1e-4


def test_no_torch_on_the_wrapper_path() -> None:
    # Importing the module must not pull torch in (other tests may have imported it already).
    import subprocess

    code = "import sys, claimcheck.nli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_dir_raises_model_missing(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing):
        OnnxNLIModel(tmp_path / "nowhere")


def test_wrong_label_order_raises_model_mismatch(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        (tmp_path / name).symlink_to(default_model_dir() / name)  # no 23 MB copy
    config = json.loads((default_model_dir() / "config.json").read_text())
    config["id2label"] = {"0": "contradiction", "1": "neutral", "2": "entailment"}
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelMismatch):
        OnnxNLIModel(tmp_path)


def test_sick_sample_accuracy(model: OnnxNLIModel, shared_data: Path) -> None:
    rows = []
    for line in (shared_data / "sick" / "SICK_test_annotated.txt").read_text().splitlines()[:200]:
        cols = line.split("\t")
        if len(cols) >= 5 and cols[4].lower() in NLI_LABELS:
            rows.append(((cols[1], cols[2]), cols[4].lower()))
    probs = model.predict([p for p, _ in rows])
    acc = np.mean([NLI_LABELS[int(i)] == g for i, (_, g) in zip(probs.argmax(1), rows)])
    assert acc >= 0.7


def test_a_hypothesis_longer_than_the_limit_is_cut_too(model: OnnxNLIModel) -> None:
    long = " ".join(["The committee met again on Tuesday to discuss the budget."] * 40)
    probs = model.predict([("The committee met.", long), ("The committee met.", "The committee met.")])
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1, atol=1e-4)
    assert model._tok_both is not None  # the fallback tokenizer did the cutting


def test_a_relation_does_not_depend_on_its_batch() -> None:
    """The int8 model's activation scales are fixed at export, not taken from each batch."""
    from claimcheck.relate import RelationEngine

    engine = RelationEngine()
    pair = ("Damascus is ready to negotiate with some 91 armed groups.", "Damascus is ready to talk to 19 armed groups.")
    others = [(f"Prices rose {i} percent in the year to {1990 + i}, the agency said on Monday.",
               f"Shares of the company fell sharply after the report on day {i}.") for i in range(31)]
    alone = engine.relate_pairs([pair], similarities=[0.9])[0]
    crowded = engine.relate_pairs([*others, pair], similarities=[0.5] * 31 + [0.9])[-1]
    assert alone.probabilities == crowded.probabilities


def test_a_stored_pair_is_related_the_same_whichever_was_stored_first() -> None:
    """Two indexed statements have no direction: the longer one is the premise either way."""
    from claimcheck.relate import RelationEngine

    engine = RelationEngine()
    detail = "The Senate approved the annual budget on Tuesday by a vote of 62 to 38, sending it to the House."
    short = "The Senate approved the annual budget on Tuesday."
    one = engine.relate_pairs([(detail, short)], similarities=[0.9], either_way=True)[0]
    other = engine.relate_pairs([(short, detail)], similarities=[0.9], either_way=True)[0]
    assert one.probabilities == other.probabilities and one.label == "supports"


def test_a_model_failure_in_its_reading_thread_reaches_the_caller() -> None:
    """From OVERLAP_FROM pairs the model reads in a thread of its own; what it raises there is
    raised by relate_pairs, not lost with the thread."""
    from claimcheck.relate import OVERLAP_FROM, RelationEngine

    class Broken:
        labels = NLI_LABELS

        def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
            raise RuntimeError("the model fell over")

    pairs = [(f"The mayor opened {i} schools.", f"The mayor opened {i} new schools.") for i in range(OVERLAP_FROM)]
    with pytest.raises(RuntimeError, match="fell over"):
        RelationEngine(nli=Broken()).relate_pairs(pairs, similarities=[0.9] * len(pairs))


@pytest.mark.parametrize("damaged", ["model.onnx", "tokenizer.json"])
def test_a_damaged_model_file_is_an_error_that_names_it(tmp_path: Path, damaged: str) -> None:
    # QA pass: a cut model.onnx or tokenizer.json gave an onnxruntime / tokenizers traceback.
    import shutil

    copy = tmp_path / "nli"
    shutil.copytree(default_model_dir(), copy)
    data = (copy / damaged).read_bytes()
    (copy / damaged).write_bytes(data[: len(data) // 3])
    with pytest.raises(ModelMismatch, match=f"cannot load the NLI model's .*{damaged}.*--no-nli"):
        OnnxNLIModel(copy)


def test_a_model_folder_without_its_weights_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # QA pass: a missing model.onnx silently gave the relations of --no-nli.
    import claimcheck.relate

    partial = tmp_path / "nli"
    partial.mkdir()
    (partial / "config.json").write_text((default_model_dir() / "config.json").read_text())
    monkeypatch.setattr(claimcheck.relate, "default_model_dir", lambda: partial)
    with pytest.raises(ModelMissing, match="model.onnx is missing; reinstall claimcheck.*--no-nli"):
        claimcheck.relate.load_default_nli()
    monkeypatch.setattr(claimcheck.relate, "default_model_dir", lambda: tmp_path / "none")
    assert claimcheck.relate.load_default_nli() is None  # an install without a model: signals only
