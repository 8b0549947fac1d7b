"""Concurrency (issue 7, item 7): one build at a time per index, and readers never see a half build.

A second build on a locked index fails at once with the owner's pid; a lock left by a dead process
is taken over; a reader keeps answering from the version it opened while a build commits a newer
one, and a reader opened during a build sees the previous complete version.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from claimcheck.build import build
from claimcheck.cli import app
from claimcheck.index import LOCK, OpenIndex, build_lock
from claimcheck.query import QueryOptions, verify
from claimcheck.settings import Resources, Settings

runner = CliRunner()

ARTICLE = (
    "The city council of {town} approved a budget of {n} million dollars on Monday, the mayor said.\n\n"
    "Officials said the new bridge over the {town} river will open in March {year}.\n"
)


pytestmark = pytest.mark.usefixtures("shared_models")


def article(tmp_path: Path, name: str, n: int) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(ARTICLE.format(town=name.capitalize(), n=n, year=2027 + n % 3), encoding="utf-8")
    return path


def documents(index: Path) -> int:
    with OpenIndex(index) as opened:
        return opened.store.counts()["documents"]


def hold_lock(index: Path) -> subprocess.Popen[str]:
    """A separate process that takes the build lock and keeps it until killed."""
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom claimcheck.index import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(index)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("command", ["build", "remove"])
def test_second_writer_fails_at_once_naming_the_owner(index: Path, tmp_path: Path, command: str) -> None:
    before = documents(index)
    holder = hold_lock(index)
    try:
        args = [str(article(tmp_path, "lockton", 1)), "--no-nli"] if command == "build" else [SEEDS.name]
        started = time.monotonic()
        result = runner.invoke(app, [command, *args, "--index", str(index)])
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"Error: another build (process {holder.pid}) is updating {index}; wait for it to finish, "
        f"or remove {index / LOCK} if that process is gone"
    )
    assert elapsed < 3, "the lock is checked before any model is loaded"
    assert documents(index) == before
    assert len(list(index.glob("v-*"))) == 1


@pytest.mark.parametrize("content", ["dead", "", "not-a-pid\n"], ids=["dead-pid", "empty", "garbage"])
def test_stale_lock_is_taken_over(index: Path, tmp_path: Path, resources: Resources, content: str) -> None:
    (index / LOCK).write_text(str(dead_pid()) if content == "dead" else content)
    before = documents(index)
    build([article(tmp_path, "staleford", 2)], Settings(index_dir=index, use_nli=False), resources=resources)
    assert documents(index) == before + 1
    assert not (index / LOCK).exists()


def test_lock_of_a_killed_build_process_is_taken_over(index: Path, tmp_path: Path, resources: Resources) -> None:
    holder = hold_lock(index)
    holder.kill()
    holder.wait()
    assert (index / LOCK).read_text().strip() == str(holder.pid)
    before = documents(index)
    build([article(tmp_path, "killington", 3)], Settings(index_dir=index, use_nli=False), resources=resources)
    assert documents(index) == before + 1 and not (index / LOCK).exists()


def test_lock_is_released_after_a_failed_build(index: Path) -> None:
    result = runner.invoke(app, ["build", str(index / "no-such-folder"), "--index", str(index), "--strict", "--no-nli"])
    assert result.exit_code == 1
    assert not (index / LOCK).exists()
    with build_lock(index):
        pass


def test_open_reader_keeps_its_version_while_a_build_commits(index: Path, tmp_path: Path, resources: Resources) -> None:
    claim = "Assad praised Russia, Iran and Hezbollah for their support"
    with OpenIndex(index) as reader:  # opened, but vectors and BM25 not loaded yet (as a query does)
        old_version = reader.version_dir.name
        counts = reader.store.counts()
        build([article(tmp_path, "readerville", 4)], Settings(index_dir=index, use_nli=False), resources=resources)
        assert (index / "CURRENT").read_text().strip() != old_version
        assert reader.store.counts() == counts
        assert reader.vectors.ntotal == counts["claims"]
        vector = resources.embedder.embed([claim])[0]
        _, ids = reader.search(vector[None, :], 3)
        assert len(reader.store.claims_by_id([int(i) for i in ids[0]])) == len(ids[0])
        assert reader.lexical.search(claim, 3)
        verdict = verify(claim, reader, resources, QueryOptions())
        assert verdict.evidence and "Readerville" not in " ".join(e.claim.text for e in verdict.evidence)
    with OpenIndex(index) as fresh:
        assert fresh.store.counts()["documents"] == counts["documents"] + 1
        assert fresh.vectors.ntotal == fresh.store.counts()["claims"]
    # The version the reader held was kept for it; once it is closed, the next build removes it.
    assert old_version in {p.name for p in index.glob("v-*")}
    build([article(tmp_path, "laterby", 7)], Settings(index_dir=index, use_nli=False), resources=resources)
    assert [p.name for p in index.glob("v-*")] == [(index / "CURRENT").read_text().strip()]


def test_reader_opened_during_a_build_sees_the_previous_version(index: Path, tmp_path: Path,
                                                                 resources: Resources,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = documents(index)
    seen: list[tuple[int, int]] = []
    embedder = resources.embedder
    real_embed = embedder.embed

    def embed_and_peek(texts: list[str]) -> np.ndarray:
        # Mid-build (the new version's store already holds the new documents): a new reader.
        with OpenIndex(index) as reader:
            seen.append((reader.store.counts()["documents"], reader.vectors.ntotal))
        return real_embed(texts)

    monkeypatch.setattr(embedder, "embed", embed_and_peek)
    build([article(tmp_path, "midbury", 5)], Settings(index_dir=index, use_nli=False), resources=resources)
    monkeypatch.undo()
    assert seen and all(docs == before for docs, _ in seen)
    assert documents(index) == before + 1


CONTENDER = """
import os, sys, time
from pathlib import Path
from claimcheck.index import build_lock
index, go, log = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
with build_lock(index, wait_s=60):
    with log.open("a") as f:
        f.write("enter\\n")
    time.sleep(0.02)
    with log.open("a") as f:
        f.write("exit\\n")
"""


def test_contenders_for_a_stale_lock_take_it_one_at_a_time(tmp_path: Path) -> None:
    # Several builds starting together on a stale lock: taking it over must not let two in at once.
    index, go, log = tmp_path / "ix", tmp_path / "go", tmp_path / "log"
    index.mkdir()
    (index / LOCK).write_text(str(dead_pid()))
    procs = [subprocess.Popen([sys.executable, "-c", CONTENDER, str(index), str(go), str(log)]) for _ in range(6)]
    time.sleep(1.5)  # let them all import and wait at the barrier
    go.touch()
    assert [p.wait(timeout=120) for p in procs] == [0] * 6
    depth = deepest = 0
    for line in log.read_text().split():
        depth += 1 if line == "enter" else -1
        deepest = max(deepest, depth)
    assert deepest == 1 and log.read_text().count("enter") == 6
    assert not (index / LOCK).exists()
