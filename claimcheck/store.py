"""The SQLite store of an index: documents, claims and computed relations. All SQL lives here.

The schema evolves through numbered migrations (`m001_...`); `PRAGMA user_version` records how
far a store has been migrated.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from claimcheck.errors import BadInput
from claimcheck.types import Claim, Document, Relation, SpanDiff, StoredClaim


def m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY, location TEXT NOT NULL, source TEXT NOT NULL,
            title TEXT, url TEXT, published TEXT, author TEXT,
            content_hash TEXT NOT NULL, text TEXT NOT NULL, added_at TEXT NOT NULL
        );
        CREATE TABLE locations (
            location TEXT PRIMARY KEY, doc_id TEXT NOT NULL, fingerprint TEXT
        );
        CREATE INDEX locations_doc ON locations(doc_id);
        CREATE TABLE claims (
            claim_id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL,
            text TEXT NOT NULL, sentence TEXT NOT NULL, original TEXT NOT NULL,
            start INTEGER NOT NULL, end INTEGER NOT NULL,
            speaker TEXT, verb TEXT, channel TEXT, checkworthiness REAL NOT NULL,
            facts TEXT NOT NULL
        );
        CREATE INDEX claims_doc ON claims(doc_id);
        CREATE TABLE relations (
            a INTEGER NOT NULL, b INTEGER NOT NULL, label TEXT NOT NULL,
            p_supports REAL NOT NULL, p_refutes REAL NOT NULL, p_neutral REAL NOT NULL,
            similarity REAL NOT NULL, reasons TEXT NOT NULL, diffs TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX relations_label ON relations(label, p_refutes);
        CREATE INDEX relations_b ON relations(b);
        """
    )


def m002_location_source(db: sqlite3.Connection) -> None:
    """Each location remembers the source it was found under: an identical article from a second
    outlet is stored once, and this is how the index knows the second outlet carries it."""
    db.executescript(
        """
        ALTER TABLE locations ADD COLUMN source TEXT;
        UPDATE locations SET source = (SELECT source FROM documents d WHERE d.doc_id = locations.doc_id);
        """
    )


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial, m002_location_source)

CLAIM_COLUMNS = (
    "c.claim_id, c.text, c.sentence, d.source, d.location, d.doc_id, d.title, d.published, "
    "c.speaker, c.checkworthiness, c.start, c.end, c.original"
)


def _stored_claim(row: Sequence[object]) -> StoredClaim:
    return StoredClaim(*row)  # type: ignore[arg-type]


class Store:
    """A connection to one index's `store.sqlite`."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
        self.db = sqlite3.connect(uri, uri=True)
        self.db.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            self.migrate()

    def migrate(self) -> None:
        """Apply the migrations this store has not seen yet."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db:
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.db.close()

    # --- documents -------------------------------------------------------------------------

    def add_document(self, doc: Document, added_at: str, fingerprint: str | None = None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.location, doc.source, doc.title, doc.url, doc.published,
             doc.author, doc.content_hash, doc.text, added_at),
        )
        self.add_location(doc.location, doc.doc_id, fingerprint, doc.source)

    def add_location(self, location: str, doc_id: str, fingerprint: str | None,
                     source: str | None = None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO locations (location, doc_id, fingerprint, source) VALUES (?,?,?,?)",
            (location, doc_id, fingerprint, source),
        )

    def carriers(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Per document, every source it is found under now (identical copies are stored once);
        the document's own source when no location records one."""
        out: dict[str, set[str]] = {}
        has_source = self._locations_have_source()  # else each document is carried by its own source
        for chunk in _chunks(sorted(set(doc_ids)), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT d.doc_id, COALESCE(l.source, d.source) FROM documents d "
                f"LEFT JOIN locations l ON l.doc_id = d.doc_id WHERE d.doc_id IN ({marks})"
                if has_source else f"SELECT doc_id, source FROM documents WHERE doc_id IN ({marks})",
                chunk,
            )
            for doc_id, source in rows:
                out.setdefault(doc_id, set()).add(source)
        return {doc_id: tuple(sorted(sources)) for doc_id, sources in out.items()}

    def refresh_metadata(self, doc: Document) -> None:
        """Take the metadata a document now has at its own location (source, title, date, URL,
        author), as when the same file is read with other --source-field / --date-field options."""
        self.db.execute(
            "UPDATE documents SET source=?, title=?, url=?, published=?, author=? WHERE doc_id=? AND location=?",
            (doc.source, doc.title, doc.url, doc.published, doc.author, doc.doc_id, doc.location),
        )

    def relocate(self, doc_id: str, location: str) -> None:
        """Name the document by `location` when the location it was named by holds it no more
        (a JSONL row that moved: its old row number now holds another text)."""
        self.db.execute(
            "UPDATE documents SET location=? WHERE doc_id=? AND location NOT IN "
            "(SELECT location FROM locations WHERE doc_id=?)", (location, doc_id, doc_id))

    def has_location(self, doc_id: str) -> bool:
        """Whether some file (or row) holds the document."""
        return self.db.execute("SELECT 1 FROM locations WHERE doc_id=? LIMIT 1", (doc_id,)).fetchone() is not None

    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone() is not None

    def location_fingerprints(self) -> dict[str, tuple[str, str | None]]:
        """Map each known location to (doc_id, fingerprint)."""
        rows = self.db.execute("SELECT location, doc_id, fingerprint FROM locations")
        return {loc: (doc, fp) for loc, doc, fp in rows}

    def remove_location(self, location: str) -> str | None:
        """Forget one location; returns the doc_id if the document has no location left."""
        row = self.db.execute("SELECT doc_id FROM locations WHERE location=?", (location,)).fetchone()
        if row is None:
            return None
        self.db.execute("DELETE FROM locations WHERE location=?", (location,))
        left = self.db.execute("SELECT location, source FROM locations WHERE doc_id=? ORDER BY location",
                               (row[0],)).fetchone()
        if left:  # the document is now known by a file that still holds it, and by its source
            self.db.execute("UPDATE documents SET location=?, source=COALESCE(?, source) WHERE doc_id=? AND location=?",
                            (left[0], left[1], row[0], location))
        return None if left else row[0]

    def rename_location(self, old: str, new: str) -> str | None:
        """Know a location by another name (the same file, its path written another way). When
        the other name is stored already, the old one is forgotten; returns the doc_id of a
        document left with no location (an older version of that file), to be removed."""
        if not self.db.execute("SELECT 1 FROM locations WHERE location=?", (new,)).fetchone():
            self.db.execute("UPDATE locations SET location=? WHERE location=?", (new, old))
            self.db.execute("UPDATE documents SET location=? WHERE location=?", (new, old))
            return None
        return self.remove_location(old)

    def location_doc(self, location: str) -> str | None:
        row = self.db.execute("SELECT doc_id FROM locations WHERE location=?", (location,)).fetchone()
        return row[0] if row else None

    def is_document_id(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE doc_id=?", (key,)).fetchone() is not None

    def _locations_have_source(self) -> bool:
        # A store written before migration m002 and opened read-only has no locations.source.
        return any(row[1] == "source" for row in self.db.execute("PRAGMA table_info(locations)"))

    def source_locations(self, source: str) -> list[str]:
        """Stored locations whose copy of a document was found under `source` (an outlet that
        carries an identical article has its own location, under its own name)."""
        if not self._locations_have_source():
            return [r[0] for r in self.db.execute(
                "SELECT l.location FROM locations l JOIN documents d ON d.doc_id=l.doc_id WHERE d.source=?", (source,))]
        rows = self.db.execute(
            "SELECT l.location FROM locations l JOIN documents d ON d.doc_id=l.doc_id "
            "WHERE COALESCE(l.source, d.source)=?", (source,))
        return [r[0] for r in rows]

    def file_locations(self, key: str) -> list[str]:
        """Stored locations that are `key` itself or the records of file `key` ("f.jsonl:3",
        "list.json#2")."""
        rows = self.db.execute(
            "SELECT location FROM locations WHERE location=? OR substr(location, 1, length(?) + 1) IN (? || ':', ? || '#')",
            (key, key, key, key),
        )
        return [r[0] for r in rows]

    def folder_locations(self, folder: str) -> list[str]:
        """Stored locations of files inside `folder` (at any depth)."""
        prefix = folder.rstrip("/") + "/"
        rows = self.db.execute("SELECT location FROM locations WHERE substr(location, 1, length(?)) = ?",
                               (prefix, prefix))
        return [r[0] for r in rows]

    def documents_matching(self, key: str) -> list[str]:
        """Doc ids whose id, location or source equals `key`."""
        rows = self.db.execute(
            "SELECT DISTINCT d.doc_id FROM documents d LEFT JOIN locations l ON l.doc_id=d.doc_id "
            "WHERE d.doc_id=? OR d.source=? OR d.location=? OR l.location=?",
            (key, key, key, key),
        )
        return [r[0] for r in rows]

    def remove_document(self, doc_id: str) -> list[int]:
        """Delete a document with its claims and their relations; returns the removed claim ids."""
        ids = [r[0] for r in self.db.execute("SELECT claim_id FROM claims WHERE doc_id=?", (doc_id,))]
        self.db.executemany("DELETE FROM relations WHERE a=? OR b=?", [(i, i) for i in ids])
        self.db.execute("DELETE FROM claims WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM locations WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
        return ids

    # --- claims ----------------------------------------------------------------------------

    def next_claim_id(self) -> int:
        return (self.db.execute("SELECT MAX(claim_id) FROM claims").fetchone()[0] or 0) + 1

    def add_claims(self, claims: Iterable[tuple[int, Claim]]) -> None:
        self.db.executemany(
            "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (cid, c.doc_id, c.text, c.sentence, c.original or c.text, c.start, c.end,
                 c.speaker, c.verb, c.channel, c.checkworthiness, _facts_json(c))
                for cid, c in claims
            ],
        )

    def claims_by_id(self, ids: Sequence[int]) -> dict[int, StoredClaim]:
        out: dict[int, StoredClaim] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT {CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.doc_id=c.doc_id "
                f"WHERE c.claim_id IN ({marks})",
                chunk,
            )
            out.update({row[0]: _stored_claim(row) for row in rows})
        return out

    def doc_ids_of(self, ids: Sequence[int]) -> dict[int, str]:
        """The document of each claim id found."""
        out: dict[int, str] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(self.db.execute(f"SELECT claim_id, doc_id FROM claims WHERE claim_id IN ({marks})", chunk))
        return out

    def claim_facts(self, ids: Sequence[int]) -> dict[int, dict[str, object]]:
        out: dict[int, dict[str, object]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT claim_id, facts FROM claims WHERE claim_id IN ({marks})", chunk)
            out.update({cid: json.loads(facts) for cid, facts in rows})
        return out

    def iter_claims(self) -> Iterator[StoredClaim]:
        rows = self.db.execute(
            f"SELECT {CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.doc_id=c.doc_id "
            "ORDER BY c.claim_id"
        )
        for row in rows:
            yield _stored_claim(row)

    def all_claim_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT claim_id FROM claims ORDER BY claim_id")]

    # --- relations -------------------------------------------------------------------------

    def add_relations(self, rows: Iterable[tuple[int, int, Relation]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO relations VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (a, b, r.label, r.probabilities["supports"], r.probabilities["refutes"],
                 r.probabilities["neutral"], r.similarity, json.dumps(list(r.reasons)),
                 json.dumps([asdict(d) for d in r.diffs]))
                for a, b, r in rows
            ],
        )

    def relations_with_label(
        self, label: str, min_score: float = 0.0, limit: int | None = None
    ) -> list[tuple[int, int, Relation]]:
        column = {"supports": "p_supports", "refutes": "p_refutes", "neutral": "p_neutral"}[label]
        sql = (
            f"SELECT a, b, label, p_supports, p_refutes, p_neutral, similarity, reasons, diffs "
            f"FROM relations WHERE label=? AND {column}>=? ORDER BY {column} DESC, a, b"
        )
        params: list[object] = [label, min_score]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(row[0], row[1], _relation(row[2:])) for row in self.db.execute(sql, params)]

    # --- counts ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]
        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "claims": one("SELECT COUNT(*) FROM claims"),
            "relations": one("SELECT COUNT(*) FROM relations"),
        }

    def sources(self) -> list[tuple[str, int]]:
        """(source, documents) for every source, an outlet that only carries an identical copy
        of another's article included."""
        if not self._locations_have_source():
            rows = self.db.execute("SELECT source, COUNT(*) FROM documents GROUP BY source ORDER BY source")
            return [(s, n) for s, n in rows]
        rows = self.db.execute(
            "SELECT s, COUNT(DISTINCT doc_id) FROM (SELECT d.doc_id AS doc_id, COALESCE(l.source, d.source) AS s "
            "FROM documents d LEFT JOIN locations l ON l.doc_id=d.doc_id "
            "UNION SELECT doc_id, source FROM documents) GROUP BY s ORDER BY s")
        return [(s, n) for s, n in rows]

    def require_sources(self, names: Sequence[str]) -> None:
        """Raise BadInput naming each source the index does not hold, with the ones it does."""
        if not names:
            return  # no filter: no scan of a large store on the query path
        held = sorted({s for s, _ in self.sources()} | {  # outlets that carry a copy count too
            r[0] for r in self.db.execute("SELECT DISTINCT source FROM locations WHERE source IS NOT NULL")})
        missing = [n for n in dict.fromkeys(names) if n not in held]
        if not missing:
            return
        lower = {s.lower(): s for s in held}
        hints = [f"did you mean {lower[n.lower()]!r}?" for n in missing if n.lower() in lower]
        listed = ", ".join(held[:12]) + (f" and {len(held) - 12} more" if len(held) > 12 else "")
        raise BadInput(f"no source named {', '.join(map(repr, missing))} in the index"
                       + (f" ({' '.join(hints)})" if hints else f"; it holds {listed or 'no documents'}"))

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _relation(row: Sequence[object]) -> Relation:
    label, ps, pr, pn, sim, reasons, diffs = row
    return Relation(
        label=str(label),
        probabilities={"supports": float(ps), "refutes": float(pr), "neutral": float(pn)},  # type: ignore[arg-type]
        reasons=tuple(json.loads(str(reasons))),
        diffs=tuple(SpanDiff(**d) for d in json.loads(str(diffs))),
        similarity=float(sim),  # type: ignore[arg-type]
    )


def _facts_json(claim: Claim) -> str:
    return json.dumps(
        {
            "entities": [asdict(e) for e in claim.entities],
            "quantities": [asdict(q) for q in claim.quantities],
            "dates": [asdict(d) for d in claim.dates],
        }
    )


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
