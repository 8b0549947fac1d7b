"""Crash safety (issue 7, item 5): an interrupted build leaves the previous index complete.

`test_random_kills` starts `python -m claimcheck build` on an existing index, adding documents,
and kills it (SIGKILL, and some SIGINT) at random moments spread over the measured duration of
one build; after each kill the index must pass `info --check`, hold either the old or the new
document count (never one in between), answer a query, and not be blocked by a stale lock. The
next build must clean up what the killed one left. `bench/crash_trials.py` runs more trials.

The other tests fail a build in-process at the places a full disk or a broken model would.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from claimcheck import index as index_module
from claimcheck.build import build
from claimcheck.cli import app
from claimcheck.index import CURRENT, LOCK, MANIFEST, VECTORS, build_lock
from claimcheck.settings import Resources, Settings

runner = CliRunner()

TOWNS = ["Ashford", "Brackley", "Carnforth", "Dunmore", "Elmstead", "Fenwick", "Glenrock", "Harwood",
         "Ivybridge", "Jarrow", "Kelso", "Lydney", "Marlow", "Nairn", "Oakham", "Penrith", "Quorn",
         "Redruth", "Selby", "Thirsk", "Ulverston", "Ventnor", "Wigton", "Yarm", "Zennor"]


pytestmark = pytest.mark.usefixtures("shared_models")


def article_text(n: int) -> str:
    """A short made-up news article, different for every n."""
    town = f"{TOWNS[n % len(TOWNS)]}{'' if n < len(TOWNS) else f' {n // len(TOWNS) + 1}'}"
    return (
        f"{town} council approves budget\n\n"
        f"The city council of {town} approved a budget of {120 + 7 * n} million dollars on Monday, "
        f"the mayor said.\n\n"
        f"Officials said {40 + n} new teachers would be hired before September {2026 + n % 4}.\n\n"
        f"The regional police chief said crime in {town} fell by {3 + n % 9} percent last year.\n"
    )


ARTICLES_PER_TRIAL = 2


# --- the random-kill trials ---------------------------------------------------------------------


@dataclass
class Trial:
    """One interrupted build and what was found afterwards."""

    number: int
    sig: str
    delay: float
    phase: str  # where the calibrated timeline puts the delay
    state: str  # what the disk shows: none | partial | written | committed
    rc: int | None
    documents_before: int
    documents_after: int
    documents_new: int
    leftovers: int
    signalled: bool = True  # False: the build had already exited (finished, or failed by itself)
    problems: list[str] = field(default_factory=list)


@dataclass
class CrashBench:
    """An index built from a small corpus, and a calibrated timeline of one incremental build."""

    root: Path
    corpus: Path
    index: Path
    phases: list[tuple[str, float, float]]
    wall: float  # the calibration build's duration, which `phases` divides
    articles: int = 0
    current_wall: float = 0.0  # the latest complete build's duration: load on a shared machine varies

    def new_articles(self, count: int) -> Path:
        """A folder of `count` articles not seen before (so every trial does the same work)."""
        folder = self.root / f"batch_{self.articles:03d}"
        folder.mkdir()
        for _ in range(count):
            (folder / f"article_{self.articles:03d}.txt").write_text(article_text(self.articles), encoding="utf-8")
            self.articles += 1
        return folder

    def command(self, path: Path) -> list[str]:
        return [sys.executable, "-m", "claimcheck", "build", str(path), "--index", str(self.index),
                "--no-nli", "--json"]

    def phase_at(self, fraction: float) -> str:
        """The phase at `fraction` of a build's duration, by the calibrated timeline."""
        t = fraction * self.wall
        for name, start, end in self.phases:
            if start <= t < end:
                return name
        return "after exit"


def run_build(bench: CrashBench, path: Path) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    proc = subprocess.run(bench.command(path), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - started, json.loads(proc.stdout)


def make_bench(root: Path) -> CrashBench:
    """Build the base index, then time one incremental build to place kill moments in phases."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    bench = CrashBench(root=root, corpus=corpus, index=root / "ix", phases=[], wall=0.0)
    run_build(bench, corpus)
    wall, report = run_build(bench, bench.new_articles(ARTICLES_PER_TRIAL))
    assert report["documents_added"] == ARTICLES_PER_TRIAL, report
    timings = report.get("timings", {})
    build_s = float(report["seconds"])
    # Process start and imports, then lock + copy of the live version + embedder loading, then
    # the stages the build reports (extract includes loading spaCy), then process exit.
    t = max(wall - build_s, 0.0)
    phases = [("startup", 0.0, t)]
    setup = max(build_s - sum(timings.values()), 0.0)
    phases.append(("lock+copy+load embedder", t, t + setup))
    t += setup
    for name in ("read", "extract", "store", "embed", "crossmatch", "commit"):
        if name in timings:
            phases.append((name, t, t + timings[name]))
            t += timings[name]
    phases.append(("exit", t, wall + 0.5))
    bench.phases = phases
    bench.wall = bench.current_wall = wall
    return bench


def live_name(index: Path) -> str:
    return (index / CURRENT).read_text().strip()


def disk_state(index: Path, old_live: str, pid: int) -> tuple[str, list[Path]]:
    """How far the killed build (process `pid`) got, judged by what it left on disk."""
    live = live_name(index)
    mine = [p for p in index.glob(f"v-*-{pid}") if p.name != live]
    if live != old_live:
        return "committed", mine
    if any((p / MANIFEST).exists() for p in mine):
        return "written", mine
    if any((p / VECTORS).exists() for p in mine):
        return "commit started", mine
    return ("partial" if mine else "none"), mine


def check_index(bench: CrashBench, old: int, new: int) -> tuple[int, list[str]]:
    """The checks after each kill; returns the document count and the problems found."""
    problems = []
    info = runner.invoke(app, ["info", "--check", "--json", "--index", str(bench.index)])
    if info.exit_code != 0:
        return -1, [f"info --check failed: {info.output.strip()[:300]}"]
    documents = json.loads(info.stdout)["documents"]
    if documents not in (old, new):
        problems.append(f"{documents} documents, expected {old} (old) or {new} (new)")
    query = runner.invoke(app, ["query", "The city council approved a budget", "--json", "--no-nli",
                                "--index", str(bench.index)])
    if query.exit_code != 0 or not json.loads(query.stdout).get("verdict"):
        problems.append(f"query failed: {query.output.strip()[:300]}")
    try:
        started = time.monotonic()
        with build_lock(bench.index):  # a lock left by the dead build must be taken over at once
            pass
        if time.monotonic() - started > 1:
            problems.append("the lock took over a second to take")
    except Exception as exc:  # noqa: BLE001 - any failure here is the finding
        problems.append(f"lock not taken over: {exc}")
    return documents, problems


def run_trial(bench: CrashBench, number: int, sig: signal.Signals, fraction: float) -> Trial:
    delay = fraction * bench.current_wall
    folder = bench.new_articles(ARTICLES_PER_TRIAL)
    old_live = live_name(bench.index)
    with index_module.OpenIndex(bench.index, verify=False) as opened:
        before = opened.store.counts()["documents"]
    new = before + ARTICLES_PER_TRIAL
    log = bench.root / f"trial_{number:02d}.stderr"
    with log.open("w") as err:
        started = time.monotonic()
        proc = subprocess.Popen(bench.command(folder), stdout=subprocess.DEVNULL, stderr=err)
        while proc.poll() is None and time.monotonic() - started < delay:
            time.sleep(0.02)
        signalled = proc.poll() is None
        if not signalled and proc.returncode == 0:  # it finished first: builds got faster; adapt
            bench.current_wall = time.monotonic() - started
        if signalled:
            proc.send_signal(sig)
        try:
            rc = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
            log.write_text(log.read_text() + "\n(did not exit within 60 s of the signal)")
    state, leftovers = disk_state(bench.index, old_live, proc.pid)
    after, problems = check_index(bench, before, new)
    if state == "committed" and after != new:
        problems.append(f"committed but {after} documents, expected {new}")
    if state != "committed" and after != before:
        problems.append(f"not committed but {after} documents, expected {before}")
    if sig == signal.SIGINT and leftovers:
        # Ctrl-C runs the build's cleanup: its partial version must be gone.
        problems.append(f"SIGINT left {len(leftovers)} partial version(s)")
    if problems:
        problems.append(f"build stderr: {log.read_text()[-500:]}")
    return Trial(number=number, sig=sig.name, delay=round(delay, 2), phase=bench.phase_at(fraction), state=state,
                 rc=rc, documents_before=before, documents_after=after, documents_new=new,
                 leftovers=len(leftovers), signalled=signalled, problems=problems)


def schedule(bench: CrashBench, kills: int, interrupts: int, rng: random.Random) -> list[tuple[signal.Signals, float]]:
    """Kill moments, as fractions of a build's duration: spread evenly (stratified) over one
    build, plus one aimed inside each phase too short for the even spread to hit reliably;
    SIGINT moments spread the same way."""
    plan = [(signal.SIGKILL, (i + rng.random()) * 0.98 / kills) for i in range(kills)]
    for name, start, end in bench.phases:
        if name not in ("startup", "exit") and (end - start) / bench.wall < 1 / kills and end > start:
            plan.append((signal.SIGKILL, (start + rng.random() * (end - start)) / bench.wall))
    plan += [(signal.SIGINT, (i + rng.random()) * 0.98 / interrupts) for i in range(interrupts)]
    rng.shuffle(plan)
    return plan


def summarise(bench: CrashBench, trials: list[Trial]) -> str:
    lines = [f"{len(trials)} trials on one build of {bench.wall:.1f} s; calibrated phases: "
             + ", ".join(f"{n} {s:.2f}-{e:.2f}s" for n, s, e in bench.phases),
             (f"{'#':>3} {'signal':7} {'delay':>6}  {'phase (timeline)':24} {'state on disk':14} {'rc':>4} "
              f"{'docs old->after (new)':22} {'left':>4}  result")]
    for t in sorted(trials, key=lambda t: t.delay):
        sig = t.sig if t.signalled else "(none)"
        lines.append(f"{t.number:>3} {sig:7} {t.delay:>6.2f}  {t.phase:24} {t.state:14} {t.rc!s:>4} "
                     f"{f'{t.documents_before}->{t.documents_after} ({t.documents_new})':22} {t.leftovers:>4}  "
                     + ("ok" if not t.problems else "FAIL: " + " | ".join(t.problems)))
    phases = sorted({t.phase for t in trials if t.signalled})
    states = sorted({t.state for t in trials if t.signalled})
    failed = sum(1 for t in trials if t.problems)
    unsignalled = sum(1 for t in trials if not t.signalled)
    lines.append(f"phases hit: {', '.join(phases)}; disk states: {', '.join(states)}; "
                 f"{unsignalled} build(s) had exited before the signal; "
                 f"{'all passed' if not failed else f'{failed} FAILED'}")
    return "\n".join(lines)


def run_trials(root: Path, kills: int, interrupts: int, seed: int) -> tuple[CrashBench, list[Trial]]:
    bench = make_bench(root)
    rng = random.Random(seed)
    trials = []
    for n, (sig, fraction) in enumerate(schedule(bench, kills, interrupts, rng), start=1):
        trials.append(run_trial(bench, n, sig, fraction))
        print(summarise(bench, trials[-1:]).splitlines()[2], flush=True)  # progress, seen with -s
    return bench, trials


def final_build_cleans_up(bench: CrashBench) -> list[str]:
    """After all the kills, one complete build: everything indexed, nothing left behind."""
    with index_module.OpenIndex(bench.index) as opened:
        before = opened.store.counts()["documents"]
    _, report = run_build(bench, bench.new_articles(1))
    problems = []
    if report["totals"]["documents"] != before + 1:
        problems.append(f"final build holds {report['totals']['documents']} documents, expected {before + 1}")
    versions = sorted(p.name for p in bench.index.glob("v-*"))
    if versions != [live_name(bench.index)]:
        problems.append(f"version directories left: {versions}")
    if (bench.index / LOCK).exists() or list(bench.index.glob(f"{CURRENT}.tmp-*")):
        problems.append("lock or pointer temp file left")
    return problems


@pytest.mark.slow
def test_random_kills(tmp_path_factory: pytest.TempPathFactory) -> None:
    seed = int(os.environ.get("CLAIMCHECK_CRASH_SEED", "7"))
    kills = int(os.environ.get("CLAIMCHECK_CRASH_KILLS", "20"))
    bench, trials = run_trials(tmp_path_factory.mktemp("crash"), kills=kills, interrupts=4, seed=seed)
    problems = final_build_cleans_up(bench)
    summary = summarise(bench, trials) + f"\nseed {seed}; final build: {problems or 'clean'}"
    print("\n" + summary)
    (bench.root / "summary.txt").write_text(summary)
    assert sum(1 for t in trials if t.sig == "SIGKILL" and t.signalled) >= 20
    assert not [t for t in trials if t.problems] and not problems, summary
    assert {"none", "partial"} <= {t.state for t in trials if t.signalled}, summary


# --- failures inside a build: a full disk, a broken model ----------------------------------------


def enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def after_real(real: Callable[..., Any]) -> Callable[..., Any]:
    """Do the real work (leaving its partial output), then fail as a full disk would."""
    def run(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        enospc()
    return run


def fsync_enospc_on_pointer(real: Callable[[Path], None]) -> Callable[[Path], None]:
    def run(path: Path) -> None:
        if path.name.startswith(f"{CURRENT}.tmp"):
            enospc()
        real(path)
    return run


def broken_model(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("model crashed")


def interrupted(*args: object, **kwargs: object) -> Any:
    raise KeyboardInterrupt


# (id, what to patch: (object path, attribute), replacement factory taking the real attribute)
FAILURES: list[tuple[str, str, str, Callable[[Any], Any]]] = [
    ("sqlite-copy-enospc", "claimcheck.index", "_copy_sqlite", after_real),
    ("faiss-write-enospc", "faiss", "write_index", after_real),
    ("bm25-write-enospc", "claimcheck.lexical", "write_bm25", lambda real: enospc),
    ("pointer-fsync-enospc", "claimcheck.index", "_fsync", fsync_enospc_on_pointer),
    ("extractor-exception", "claimcheck.extract", "Extractor.extract_many", lambda real: broken_model),
    ("relation-engine-exception", "claimcheck.build", "relate_candidates", lambda real: broken_model),
    ("ctrl-c-while-embedding", "claimcheck.build", "IndexWriter.add_vectors", lambda real: interrupted),
]


@pytest.mark.parametrize(("module", "attribute", "replacement"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES])
def test_failed_build_leaves_previous_index(tmp_path: Path, base_index: Path, resources: Resources,
                                            monkeypatch: pytest.MonkeyPatch, module: str, attribute: str,
                                            replacement: Callable[[Any], Any]) -> None:
    import importlib

    index = tmp_path / "ix"
    shutil.copytree(base_index, index)
    live = live_name(index)
    settings = Settings(index_dir=index, use_nli=False)
    new = tmp_path / "new"
    new.mkdir()
    (new / "a.txt").write_text(article_text(1), encoding="utf-8")
    (new / "b.txt").write_text(article_text(2), encoding="utf-8")
    target: Any = importlib.import_module(module)
    *owners, name = attribute.split(".")
    for owner in owners:
        target = getattr(target, owner)
    monkeypatch.setattr(target, name, replacement(getattr(target, name)))
    with pytest.raises((OSError, RuntimeError, KeyboardInterrupt)):
        build([new], settings, resources=resources)
    monkeypatch.undo()

    # The previous version is live, complete and alone; the lock is released.
    assert live_name(index) == live
    assert sorted(p.name for p in index.glob("v-*")) == [live]
    assert not (index / LOCK).exists()
    info = runner.invoke(app, ["info", "--check", "--json", "--index", str(index)])
    assert info.exit_code == 0, info.output
    assert json.loads(info.stdout)["documents"] == 2
    # The next build works and leaves nothing behind (a pointer temp file included).
    report = build([new], settings, resources=resources)
    assert report.totals["documents"] == 4
    assert sorted(p.name for p in index.glob("v-*")) == [live_name(index)]
    assert not list(index.glob(f"{CURRENT}.tmp-*"))
