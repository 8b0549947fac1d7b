"""An identical article carried by two outlets is stored once but both outlets are named, as one
wire copy; the schema migration that made room for it keeps older stores readable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from claimcheck.crossmatch import corroborations
from claimcheck.store import MIGRATIONS, Store
from claimcheck.types import Claim, Document, Relation

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
    assert len(group.sources) - sum(len(s) - 1 for s in group.syndicated) == 2  # independent
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
