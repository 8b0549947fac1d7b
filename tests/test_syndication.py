"""An identical article carried by two outlets is stored once but both outlets are named, as one
wire copy; the schema migration that made room for it keeps older stores readable."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from claimcheck.crossmatch import corroborations
from claimcheck.report import claims_csv, claims_markdown, html_report
from claimcheck.store import MIGRATIONS, Store
from claimcheck.types import Claim, Document, Relation, SpanDiff

WIRE = "The city council approved a budget of 4 million dollars on Tuesday."
OWN = "On Tuesday the council passed a 4 million dollar budget."


def _doc(doc_id: str, source: str, text: str) -> Document:
    return Document(doc_id=doc_id, location=f"{source}.txt", source=source, title=None, url=None,
                    published=None, text=text, content_hash=doc_id)


def _store(path: Path) -> Store:
    store = Store(path)
    store.add_document(_doc("wire", "ap", WIRE), "2026-11-21")
    store.add_location("yahoo.txt", "wire", None, "yahoo")  # the same article found under yahoo
    store.add_document(_doc("own", "reuters", OWN), "2026-11-21")
    store.add_claims([(1, Claim(WIRE, WIRE, 0, len(WIRE), doc_id="wire", source="ap")),
                      (2, Claim(OWN, OWN, 0, len(OWN), doc_id="own", source="reuters"))])
    support = Relation("supports", {"supports": 0.9, "refutes": 0.02, "neutral": 0.08})
    store.add_relations([(1, 2, support)])
    store.db.commit()
    return store


def test_wire_copy_names_every_outlet_and_counts_once(tmp_path: Path) -> None:
    store = _store(tmp_path / "store.sqlite")
    assert store.carriers(["wire", "own"]) == {"wire": ("ap", "yahoo"), "own": ("reuters",)}
    [group] = corroborations(store)
    assert group.sources == ("ap", "reuters", "yahoo")
    assert group.syndicated == (("ap", "yahoo"),)
    assert group.independent == 2
    assert corroborations(store, sources=("yahoo",)) == [group]


def test_location_source_migration_fills_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO documents VALUES ('d1','a.txt','ap',NULL,NULL,NULL,NULL,'h','text','now')")
    db.execute("INSERT INTO locations VALUES ('a.txt','d1',NULL)")
    db.commit()
    db.close()
    old = Store(path, readonly=True)  # a query opens an older store read-only: no migration
    assert old.carriers(["d1"]) == {"d1": ("ap",)}
    old.close()
    store = Store(path)  # a build migrates it
    assert store.db.execute("SELECT source FROM locations").fetchall() == [("ap",)]
    assert store.carriers(["d1"]) == {"d1": ("ap",)}


def test_build_records_the_second_outlet_of_an_identical_article(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimcheck.cli import app
    from claimcheck.index import OpenIndex

    corpus = tmp_path / "in"
    corpus.mkdir()
    text = "The city council approved a budget of 4 million dollars on Tuesday.\n"
    (corpus / "ap.txt").write_text(text, encoding="utf-8")
    (corpus / "yahoo.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    with OpenIndex(tmp_path / "ix") as index:
        assert index.store.counts()["documents"] == 1
        assert list(index.store.carriers([c.doc_id for c in index.store.iter_claims()]).values()) == [("ap", "yahoo")]


def test_uncorroborated_claim_names_every_outlet_of_its_article(tmp_path: Path) -> None:
    from claimcheck.crossmatch import uncorroborated
    from claimcheck.render_json import claim_json

    store = Store(tmp_path / "store.sqlite")
    store.add_document(_doc("wire", "ap", WIRE), "2026-11-21")
    store.add_location("yahoo.txt", "wire", None, "yahoo")
    store.add_document(_doc("own", "reuters", OWN), "2026-11-21")
    store.add_claims([(1, Claim(WIRE, WIRE, 0, len(WIRE), doc_id="wire", source="ap")),
                      (2, Claim(OWN, OWN, 0, len(OWN), doc_id="own", source="reuters"))])
    store.db.commit()
    lonely = {c.claim_id: c for c in uncorroborated(store)}
    assert lonely[1].carried_by == ("ap", "yahoo") and lonely[2].carried_by == ()
    assert claim_json(lonely[1])["carried_by"] == ["ap", "yahoo"] and "carried_by" not in claim_json(lonely[2])
    # Every export names both outlets of the copy, not only the one the store keeps
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(claims_csv([lonely[1], lonely[2]])))}
    assert (rows[WIRE]["source"], rows[WIRE]["carried_by"], rows[OWN]["carried_by"]) == ("ap", "ap; yahoo", "")
    said = "ap = yahoo (word for word: counted as one source)"
    assert said in claims_markdown([lonely[1]], "Single-source claims")
    assert said in html_report([], [], uncorroborated=[lonely[1]])


def test_a_sentence_only_wire_copies_carry_is_uncorroborated_once(tmp_path: Path) -> None:
    """Two outlets running one wire sentence are one source: not a corroboration, but listed
    once as uncorroborated, with both outlets named."""
    from claimcheck.crossmatch import uncorroborated

    store = Store(tmp_path / "store.sqlite")
    store.add_document(_doc("a", "marlow", WIRE + " The mayor spoke."), "2026-11-21")
    store.add_document(_doc("b", "harbor", WIRE + " Residents cheered."), "2026-11-21")
    store.add_claims([(1, Claim(WIRE, WIRE, 0, len(WIRE), doc_id="a", source="marlow", checkworthiness=0.9)),
                      (2, Claim(WIRE, WIRE, 0, len(WIRE), doc_id="b", source="harbor", checkworthiness=0.9))])
    store.add_relations([(1, 2, Relation("supports", {"supports": 0.95, "refutes": 0.01, "neutral": 0.04}))])
    store.db.commit()
    assert corroborations(store) == []
    [lonely] = uncorroborated(store)
    assert lonely.carried_by == ("harbor", "marlow")


def test_groups_rank_by_independent_sources_not_by_outlets(tmp_path: Path) -> None:
    """Four outlets printing one wire sentence, reworded by a fifth, are two sources: that group
    ranks below a claim three outlets reported each in their own words, whatever its score."""
    store = Store(tmp_path / "store.sqlite")
    claims = []
    for n, source in enumerate(("ap", "yahoo", "msn", "aol")):
        store.add_document(_doc(f"w{n}", source, WIRE + f" Paragraph {n}."), "2026-11-21")
        claims.append((n + 1, Claim(WIRE, WIRE, 0, len(WIRE), doc_id=f"w{n}", source=source)))
    store.add_document(_doc("own", "reuters", OWN), "2026-11-21")
    claims.append((5, Claim(OWN, OWN, 0, len(OWN), doc_id="own", source="reuters")))
    library = ("The library reopened on Monday.", "On Monday the library opened its doors again.",
               "The town's library was reopened this Monday.")
    for n, (source, text) in enumerate(zip(("bbc", "cnn", "npr"), library, strict=True)):
        store.add_document(_doc(f"l{n}", source, text), "2026-11-21")
        claims.append((6 + n, Claim(text, text, 0, len(text), doc_id=f"l{n}", source=source)))
    store.add_claims(claims)
    strong = Relation("supports", {"supports": 0.97, "refutes": 0.01, "neutral": 0.02})
    fair = Relation("supports", {"supports": 0.8, "refutes": 0.05, "neutral": 0.15})
    store.add_relations([(1, 2, strong), (2, 3, strong), (3, 4, strong), (4, 5, strong), (6, 7, fair), (7, 8, fair)])
    store.db.commit()
    first, second = corroborations(store)
    assert (first.independent, len(first.sources), round(first.score, 2)) == (3, 3, 0.8)  # the library
    assert (second.independent, len(second.sources), round(second.score, 2)) == (2, 5, 0.97)  # the wire story


def test_a_contradiction_names_every_outlet_of_a_copied_article(tmp_path: Path) -> None:
    """Code review: conflicts never carried `carried_by`, so CSV's a/b_carried_by were empty and
    the page's source filter (and --source) missed the second outlet of a copied article."""
    from claimcheck.crossmatch import ConflictFilter, contradictions

    store = Store(tmp_path / "store.sqlite")
    store.add_document(_doc("wire", "ap", WIRE), "2026-11-21")
    store.add_location("yahoo.txt", "wire", None, "yahoo")
    other = WIRE.replace("4 million", "5 million")
    store.add_document(_doc("own", "reuters", other), "2026-11-21")
    store.add_claims([(1, Claim(WIRE, WIRE, 0, len(WIRE), doc_id="wire", source="ap")),
                      (2, Claim(other, other, 0, len(other), doc_id="own", source="reuters"))])
    refutes = Relation("refutes", {"supports": 0.02, "refutes": 0.95, "neutral": 0.03},
                       diffs=(SpanDiff("number", "4 million", "5 million"),), similarity=0.95)
    store.add_relations([(1, 2, refutes)])
    store.db.commit()
    [pair] = contradictions(store, ConflictFilter(min_score=0.0))
    assert (pair.a.carried_by, pair.b.carried_by) == (("ap", "yahoo"), ())
    assert contradictions(store, ConflictFilter(min_score=0.0, sources=("yahoo",))) == [pair]
