"""Integrity (issue 7, item 6): a damaged or mismatched index is refused with one clear error line.

Each case damages a copy of a small index one way; `query`, `info`, `info --check` and `build`
must all refuse it with exit code 1 and one `Error: ...` line that names the problem and says how
to rebuild. A build must not "repair" the damage by writing fresh checksums over it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from claimcheck import index as index_module
from claimcheck.cli import app
from claimcheck.index import CURRENT, MANIFEST, STORE, VECTORS

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("shared_models")


def live(index: Path) -> Path:
    return index / (index / CURRENT).read_text().strip()


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip(path: Path) -> None:
    """Same size, different bytes: invert 16 bytes in the middle of the file."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    path.write_bytes(bytes(data))


def edit_manifest(change: Callable[[dict], None]) -> Callable[[Path], None]:  # type: ignore[type-arg]
    def damage(index: Path) -> None:
        path = live(index) / MANIFEST
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data))
    return damage


# (case id, damage, the error after "Error: ", with {ix} the index and {v} the live version dir)
CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("faiss-truncated", lambda ix: truncate(live(ix) / VECTORS), "index {ix} is damaged: vectors.faiss has "),
    ("faiss-edited", lambda ix: flip(live(ix) / VECTORS),
     "index {ix} is damaged: vectors.faiss does not match its checksum"),
    ("sqlite-truncated", lambda ix: truncate(live(ix) / STORE), "index {ix} is damaged: store.sqlite has "),
    ("sqlite-edited", lambda ix: flip(live(ix) / STORE),
     "index {ix} is damaged: store.sqlite does not match its checksum"),
    ("bm25-deleted", lambda ix: (live(ix) / "bm25" / "vocab.index.json").unlink(),
     "index {ix} is damaged: bm25/vocab.index.json is missing"),
    ("other-embedder", edit_manifest(lambda m: m["embedder"].update(id="acme/other-embedder")),
     "index {ix} was built with embedder 'acme/other-embedder', this claimcheck uses "),
    ("other-format", edit_manifest(lambda m: m.update(format_version=99)),
     "index {ix} has format version 99, this claimcheck reads version "),
    ("current-names-missing-version", lambda ix: (ix / CURRENT).write_text("v-gone\n"),
     "{ix}/CURRENT names a missing version 'v-gone'"),
    ("manifest-garbage", lambda ix: (live(ix) / MANIFEST).write_text("{not json"), "{v}/manifest.json is unreadable ("),
    ("manifest-missing-field", edit_manifest(lambda m: m.pop("files")), "{v}/manifest.json is unreadable ("),
    ("manifest-deleted", lambda ix: (live(ix) / MANIFEST).unlink(), "{v}/manifest.json is unreadable ("),
]

COMMANDS = {
    "query": ["query", "Assad praised Russia", "--json"],
    "info": ["info", "--json"],
    "info --check": ["info", "--check", "--json"],
    "build": ["build", str(SEEDS), "--no-nli", "--json"],
}


class UnusableEmbedder:
    dimension = 384
    model_id = "sentence-transformers/all-MiniLM-L6-v2"

    def embed(self, texts: list[str]) -> None:
        raise AssertionError("a build on a refused index must not get as far as embedding")


def snapshot(index: Path) -> dict[str, bytes]:
    return {str(p.relative_to(index)): p.read_bytes() for p in sorted(index.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("damage", "expected", "command"),
    [pytest.param(damage, expected, command, id=f"{case}-{command}")
     for case, damage, expected in CASES for command in COMMANDS],
)
def test_damaged_index_is_refused(index: Path, damage: Callable[[Path], None], expected: str, command: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # A build must refuse before it embeds anything, so it gets an embedder that cannot embed
    # (and the test does not pay for loading the real one).
    monkeypatch.setattr("claimcheck.settings.load_embedder", lambda models_dir, **_: UnusableEmbedder())
    version = live(index)
    damage(index)
    before = snapshot(index)
    result = runner.invoke(app, [*COMMANDS[command], "--index", str(index)])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: " + expected.format(ix=index, v=version))
    assert f"claimcheck build PATH --index {index}" in lines[0]
    if command != "info --check":  # api.py words its own message without the removal step
        assert f"(after removing {index})" in lines[0]
    assert result.stdout == ""
    assert snapshot(index) == before, "a refused command must leave the index as it was"


def test_rebuild_after_removing_works(index: Path) -> None:
    flip(live(index) / VECTORS)
    shutil.rmtree(index)
    result = runner.invoke(app, ["build", str(SEEDS), "--no-nli", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["info", "--check", "--index", str(index)]).exit_code == 0


def test_check_hashes_files_too_big_to_hash_on_open(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every file counts as "big": opening checks sizes only, `info --check` reads every byte.
    monkeypatch.setattr(index_module, "HASH_ON_OPEN_LIMIT", 0)
    flip(live(index) / VECTORS)
    plain = runner.invoke(app, ["info", "--json", "--index", str(index)])
    assert plain.exit_code == 0, plain.output
    checked = runner.invoke(app, ["info", "--check", "--json", "--index", str(index)])
    assert checked.exit_code == 1
    assert checked.stderr.strip().startswith(
        f"Error: index {index} is damaged: vectors.faiss does not match its checksum (edited or damaged)"
    )
    assert "claimcheck build" in checked.stderr


def test_check_passes_on_a_sound_index(index: Path) -> None:
    result = runner.invoke(app, ["info", "--check", "--json", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 2


def test_a_relation_whose_claim_is_gone_is_a_damaged_index_not_a_crash(index: Path) -> None:
    # QA pass: a store edited by hand (a claim row deleted) made `contradictions` raise KeyError.
    import sqlite3

    from claimcheck.crossmatch import ConflictFilter, contradictions, related_pairs
    from claimcheck.errors import IndexCorrupt
    from claimcheck.store import Store

    db = sqlite3.connect(live(index) / STORE)
    a, b = db.execute("SELECT a, b FROM relations LIMIT 1").fetchone()
    db.execute("UPDATE relations SET label='refutes', p_refutes=0.9 WHERE a=? AND b=?", (a, b))
    db.execute("DELETE FROM claims WHERE claim_id=?", (a,))
    db.commit()
    db.close()
    store = Store(live(index) / STORE, readonly=True)
    with pytest.raises(IndexCorrupt, match="info --check"):
        related_pairs(store)
    with pytest.raises(IndexCorrupt, match="info --check"):
        contradictions(store, ConflictFilter(min_score=0.0, limit=None))
