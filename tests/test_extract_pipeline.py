"""The cheaper spaCy pipeline gives exactly what the stock en_core_web_sm pipeline gives."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from claimcheck.extract import SPACY_MODEL
from claimcheck.extract_pipeline import FastAttributes, load_pipeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Lines that reach the rarer attribute_ruler rules: two-token lemmas ("gon na", "ai n't"),
# the existential "there is", whitespace tokens, clitics, indefinite pronouns, a REGEX rule.
TRICKY = [
    "We 're gon na win, and I ai n't kidding.",
    "There is a cat; there were two dogs.",
    "Let 's go.  Then   they 'd have said nothin' about it.",
    "Nobody knew anything, but something happened once here.",
    "He didn't say whether he had been being watched.",
    "Does she do it? She does. Has he? He has had enough.",
    "Tabs\tand\n\nnewlines  inside   a line.",
    "“We will continue to attack terrorists,” Assad said on Sunday, according to SANA.",
]


def _lines() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return TRICKY + [line for line in text.splitlines() if line.strip()]


def _annotations(doc: object) -> list[tuple[object, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
         t.is_sent_start)
        for t in doc  # type: ignore[attr-defined]
    ]


@pytest.fixture(scope="module")
def pipelines() -> tuple[object, object]:
    return spacy.load(SPACY_MODEL), load_pipeline(SPACY_MODEL)


def test_same_annotations_as_the_stock_pipeline(pipelines: tuple[object, object]) -> None:
    stock, fast = pipelines
    lines = _lines()
    assert len(lines) > 20
    for a, b in zip(stock.pipe(lines), fast.pipe(lines), strict=True):  # type: ignore[attr-defined]
        assert _annotations(a) == _annotations(b), a.text


def test_rule_components_are_replaced(pipelines: tuple[object, object]) -> None:
    _stock, fast = pipelines
    names = fast.pipe_names  # type: ignore[attr-defined]
    assert "attribute_ruler" not in names and "lemmatizer" not in names
    assert "claimcheck_rule_attributes" in names
    # The rare rules really fired: the two-token lemma and the whitespace tag.
    doc = fast("We 're gon na win  today.")  # type: ignore[operator]
    assert [t.lemma_ for t in doc][2:4] == ["go", "to"]
    assert any(t.tag_ == "_SP" and t.pos_ == "SPACE" for t in doc)


def test_fast_attributes_on_an_empty_doc(pipelines: tuple[object, object]) -> None:
    _stock, fast = pipelines
    assert len(fast("")) == 0  # type: ignore[operator]
    assert isinstance(fast.get_pipe("claimcheck_rule_attributes"), FastAttributes)  # type: ignore[attr-defined]


def test_a_model_with_other_rules_keeps_its_own_components(monkeypatch: pytest.MonkeyPatch) -> None:
    import claimcheck.extract_pipeline as pipeline

    assert not pipeline._supported({"patterns": [[{"TAG": {"FUZZY": "NN"}}]], "attrs": {"POS": "NOUN"}})
    assert not pipeline._supported({"patterns": [[{"TAG": "NN"}]], "attrs": {"NORM": "x"}})
    monkeypatch.setattr(pipeline, "_supported", lambda rule: False)
    nlp = pipeline.load_pipeline(SPACY_MODEL)
    assert "attribute_ruler" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    assert "claimcheck_rule_attributes" not in nlp.pipe_names
    assert [t.lemma_ for t in nlp("He was going.")] == ["he", "be", "go", "."]
