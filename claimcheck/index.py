"""The evidence index: a self-describing directory holding FAISS vectors, a SQLite store and a manifest.

Layout of `indexes/<name>/`:

    CURRENT            one line naming the live version directory
    v-<stamp>/         manifest.json, vectors.faiss, store.sqlite (one complete version)
    .lock              held by a running build (owner pid inside)

A build copies the live version into a fresh `v-...` directory, changes the copy, writes its
manifest with checksums, fsyncs, and only then replaces CURRENT (an atomic rename). Readers open
whatever CURRENT names, so an interrupted build leaves the previous version complete and
queryable, and queries running during a build keep reading the previous version.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from claimcheck.errors import (
    BadInput,
    ClaimcheckError,
    IndexCorrupt,
    IndexLocked,
    IndexNotFound,
    ModelMismatch,
)
from claimcheck.hashing import sha256_file
from claimcheck.store import Store

try:
    import fcntl
except ImportError:  # Windows: readers hold no lease, so a build may remove a version still being read
    fcntl = None  # type: ignore[assignment]

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
STORE = "store.sqlite"
CURRENT = "CURRENT"
LOCK = ".lock"
# Files larger than this are checked by size on every open and by sha256 only with `--check`,
# so a cold query on a large index stays fast.
HASH_ON_OPEN_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Manifest:
    """What an index version is: enough to refuse a mismatched model or a damaged file."""

    format_version: int
    embedder: dict[str, Any]
    extractor: dict[str, Any]
    relation_engine: dict[str, Any]
    index_type: str
    built_at: str
    counts: dict[str, int]
    files: dict[str, dict[str, Any]]
    versions: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise IndexCorrupt(f"{path} is unreadable ({exc}); {rebuild_hint(path.parent.parent)}") from exc


def rebuild_hint(index_dir: Path) -> str:
    """What to do about a damaged or mismatched index (a build refuses one, so remove it first)."""
    return f"rebuild it with `claimcheck build PATH --index {index_dir}` (after removing {index_dir})"


def index_root(index_dir: Path) -> Path:
    return Path(index_dir)


def current_version_dir(index_dir: Path) -> Path:
    """The directory of the live version; raises IndexNotFound when there is none."""
    pointer = Path(index_dir) / CURRENT
    if not pointer.exists():
        try:
            held = sorted(p.name for p in Path(index_dir).iterdir()) if Path(index_dir).is_dir() else []
        except OSError:  # an unreadable folder: say what is certain
            held = []
        versions = [name for name in held if name.startswith("v-")]
        if LOCK in held:  # the first build is writing it, or was stopped
            raise IndexNotFound(f"no index at {index_dir} yet: a first build is writing it, or was stopped "
                                f"(then build again: `claimcheck build PATH --index {index_dir}`)")
        if versions:  # a pointer lost (deleted by hand): the versions cannot be told apart safely
            raise IndexCorrupt(f"{index_dir} holds index versions ({versions[-1]}, ...) but no {CURRENT} "
                               f"pointer to the live one; {rebuild_hint(index_dir)}")
        if Path(index_dir).is_file():
            raise IndexNotFound(f"--index {index_dir} is a file, not an index folder; name the folder the index "
                                "was built into")
        foreign = _foreign(held)
        if foreign:
            raise IndexNotFound(f"{index_dir} is not a claimcheck index but holds other files ({foreign[0]}, ...); "
                                "name the index folder with --index, or build one into a new folder")
        raise IndexNotFound(
            f"no index at {index_dir}; build one with `claimcheck build PATH --index {index_dir}`"
        )
    name = pointer.read_text(encoding="utf-8").strip()
    version = Path(index_dir) / name
    if not name or not version.is_dir():
        raise IndexCorrupt(f"{pointer} names a missing version '{name}'; {rebuild_hint(index_dir)}")
    return version


def verify_files(version_dir: Path, manifest: Manifest, full: bool = False) -> list[str]:
    """Compare the files with the manifest's sizes and checksums; returns the problems found."""
    problems = []
    for name, meta in manifest.files.items():
        path = version_dir / name
        if not path.exists():
            problems.append(f"{name} is missing")
            continue
        size = path.stat().st_size
        if size != meta["size"]:
            problems.append(f"{name} has {size} bytes, the manifest says {meta['size']}")
        elif (full or size <= HASH_ON_OPEN_LIMIT) and sha256_file(path) != meta["sha256"]:
            problems.append(f"{name} does not match its checksum (edited or damaged)")
    return problems


def check_files(version_dir: Path, manifest: Manifest, index_dir: Path) -> None:
    """Raise IndexCorrupt naming every file that differs from the manifest."""
    problems = verify_files(version_dir, manifest)
    if problems:
        raise IndexCorrupt(f"index {index_dir} is damaged: {'; '.join(problems)}; {rebuild_hint(index_dir)}")


def check_compatible(manifest: Manifest, embedder_id: str, index_dir: Path) -> None:
    """Refuse an index of another format version or embedder."""
    rebuild = rebuild_hint(index_dir)
    if manifest.format_version != FORMAT_VERSION:
        raise ModelMismatch(
            f"index {index_dir} has format version {manifest.format_version}, this claimcheck "
            f"reads version {FORMAT_VERSION}; {rebuild}"
        )
    if manifest.embedder.get("id") != embedder_id:
        raise ModelMismatch(
            f"index {index_dir} was built with embedder {manifest.embedder.get('id')!r}, "
            f"this claimcheck uses {embedder_id!r}; {rebuild}"
        )


class OpenIndex:
    """A read-only view of the live version of an index."""

    def __init__(self, index_dir: Path, verify: bool = True) -> None:
        from claimcheck.embed import EMBEDDER_ID

        self.index_dir = Path(index_dir)
        self.version_dir, self._lease = _open_live_version(self.index_dir)
        try:
            self.manifest = Manifest.read(self.version_dir / MANIFEST)
            check_compatible(self.manifest, EMBEDDER_ID, self.index_dir)
            if verify:
                check_files(self.version_dir, self.manifest, self.index_dir)
            try:
                self.store = Store(self.version_dir / STORE, readonly=True)
            except sqlite3.Error as exc:
                raise IndexCorrupt(
                    f"cannot open the store of {self.index_dir}: {exc}; {rebuild_hint(self.index_dir)}"
                ) from exc
        except BaseException:
            self._release()
            raise
        self._vectors: Any = None
        self._lexical: Any = None

    @property
    def vectors(self) -> Any:
        """The FAISS index, loaded on first use."""
        if self._vectors is None:
            # Memory-mapped, read-only: a cold query does not copy the file into memory first.
            flat = self.manifest.index_type in ("flat", "flat-ip")
            self._vectors = read_faiss(self.version_dir / VECTORS, mmap=True, flat=flat)
        return self._vectors

    @property
    def lexical(self) -> Any:
        """The BM25 index, loaded on first use."""
        if self._lexical is None:
            from claimcheck.lexical import LexicalIndex

            self._lexical = LexicalIndex(self.version_dir)
        return self._lexical

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Inner-product search; returns (scores, claim ids), -1 ids where fewer than k exist."""
        index = self.vectors
        if index.ntotal == 0:
            n = len(queries)
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        return index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, index.ntotal))

    def close(self) -> None:
        self.store.close()
        self._release()

    def _release(self) -> None:
        if self._lease is not None:
            os.close(self._lease)
            self._lease = None

    def __enter__(self) -> OpenIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_live_version(index_dir: Path) -> tuple[Path, int | None]:
    """The live version and a read lease on it: a shared lock on its manifest, which keeps a
    build from removing the version while this reader still loads files from it (lazily)."""
    for _ in range(10):
        name = _pointer(index_dir)
        try:
            version = current_version_dir(index_dir)
            return version, _take_lease(version)
        except (IndexCorrupt, FileNotFoundError):
            # A build may have switched CURRENT and removed this version meanwhile: read it again.
            if _pointer(index_dir) == name:  # it did not move: the version really is broken
                return current_version_dir(index_dir), None  # (the caller's checks say how)
    raise IndexCorrupt(f"{index_dir} kept changing while being opened; try again")


def _pointer(index_dir: Path) -> str:
    try:
        return (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _take_lease(version_dir: Path) -> int | None:
    if fcntl is None:
        return None
    path = version_dir / MANIFEST
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a build is removing this version
        if os.stat(path).st_ino != os.fstat(fd).st_ino:
            raise FileNotFoundError(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _remove_version(version_dir: Path) -> None:
    """Remove a version directory unless a reader holds a lease on it."""
    try:
        fd = os.open(version_dir / MANIFEST, os.O_RDONLY)
    except OSError:  # no manifest: a partial version, which no reader opens
        shutil.rmtree(version_dir, ignore_errors=True)
        return
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # still being read; a later build removes it
        shutil.rmtree(version_dir, ignore_errors=True)
    finally:
        os.close(fd)


def read_faiss(path: Path, mmap: bool = False, flat: bool = False) -> Any:
    from claimcheck import ann

    try:
        return ann.read(path, mmap=mmap, flat=flat)
    except RuntimeError as exc:
        raise IndexCorrupt(
            f"cannot read {path}: {exc.args[0].splitlines()[0][:200]}; {rebuild_hint(path.parent.parent)}"
        ) from exc


def new_faiss(dimension: int) -> Any:
    from claimcheck import ann

    return ann.new_flat(dimension)


def _foreign(names: list[str]) -> list[str]:
    """Of the names in a folder, those no index holds (a first build cut short leaves a lock,
    versions and a half-written pointer)."""
    return [name for name in names if name != LOCK and not name.startswith(("v-", CURRENT))]


def check_index_dir(index_dir: Path) -> None:
    """Refuse an --index that names a file, or a folder of other files: a build would write its
    versions among them (`--index ""` is the current folder)."""
    if index_dir.is_file():
        raise BadInput(f"--index {index_dir} is a file; name a folder (new or empty) for the index")
    if not index_dir.is_dir() or (index_dir / CURRENT).exists():
        return
    foreign = _foreign(sorted(p.name for p in index_dir.iterdir()))
    if foreign:
        where = "the current folder" if str(index_dir) in ("", ".") else str(index_dir)
        raise BadInput(f"--index {where} is not a claimcheck index but holds other files ({foreign[0]}, ...); "
                       "name a new or empty folder for the index")


@contextlib.contextmanager
def build_lock(index_dir: Path, wait_s: float = 0.0) -> Iterator[None]:
    """Hold the index's build lock; a stale lock (its owner is gone) is taken over.

    On POSIX the lock is an flock on `.lock`, which the kernel drops when its owner dies, so two
    builds can never both take over a stale lock; the file holds the owner's pid for messages.
    """
    check_index_dir(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = index_dir / LOCK
    if fcntl is None:
        with _pid_file_lock(index_dir, lock, wait_s):
            yield
        return
    deadline = time.monotonic() + wait_s
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            raise _locked(index_dir, lock) from None
        with contextlib.suppress(FileNotFoundError):
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                break
        os.close(fd)  # the holder before us removed this file as we locked it: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        os.close(fd)


def _locked(index_dir: Path, lock: Path) -> IndexLocked:
    owner = _lock_owner(lock)
    return IndexLocked(
        f"another build{f' (process {owner})' if owner else ''} is updating {index_dir}; wait for it "
        f"to finish, or remove {lock} if that process is gone"
    )


@contextlib.contextmanager
def _pid_file_lock(index_dir: Path, lock: Path, wait_s: float) -> Iterator[None]:
    """Where there is no flock: a lock file created exclusively, taken over when its pid is dead."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is not None and _pid_alive(owner):
                if time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise _locked(index_dir, lock) from None
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def _lock_owner(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip() or "0") or None
    except (OSError, ValueError):
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class IndexWriter:
    """A new version of an index being written; `commit()` makes it the live one."""

    def __init__(self, index_dir: Path, dimension: int, index_type: str | None = None) -> None:
        """Start a new version of the index at `index_dir`.

        Args:
            index_dir: The index directory.
            dimension: Vector dimension (for a new index).
            index_type: auto, flat or ivf-sq8; None keeps what the index was built with
                (auto for a new index).
        """
        from claimcheck import ann

        if index_type is not None:
            ann.choose_type(0, index_type)  # refuse an unknown type before any work
        self.index_type = index_type
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self._cleanup_stale_versions()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.version_dir = self.index_dir / f"v-{stamp}-{os.getpid()}"
        self.version_dir.mkdir()
        try:
            self._start_from_live(dimension)
        except BaseException:
            shutil.rmtree(self.version_dir, ignore_errors=True)
            raise

    def _start_from_live(self, dimension: int) -> None:
        from claimcheck.embed import EMBEDDER_ID

        self.previous: Manifest | None = None
        try:
            prev_dir = current_version_dir(self.index_dir)
        except IndexNotFound:
            prev_dir = None
        if prev_dir is not None:
            self.previous = Manifest.read(prev_dir / MANIFEST)
            # Building on a mismatched or damaged version would bless it with fresh checksums.
            check_compatible(self.previous, EMBEDDER_ID, self.index_dir)
            check_files(prev_dir, self.previous, self.index_dir)
            _copy_sqlite(prev_dir / STORE, self.version_dir / STORE)
            self.vectors = read_faiss(prev_dir / VECTORS)
        else:
            self.vectors = new_faiss(dimension)
        self.store = Store(self.version_dir / STORE)
        self.store.db.execute("PRAGMA journal_mode = DELETE")

    def add_vectors(self, ids: list[int], vectors: np.ndarray) -> None:
        if ids:
            self.vectors.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )

    def remove_vectors(self, ids: list[int]) -> None:
        if ids:
            self.vectors.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.vectors.ntotal == 0:
            n = len(queries)
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        return self.vectors.search(
            np.ascontiguousarray(queries, dtype=np.float32), min(k, self.vectors.ntotal)
        )

    def commit(self, embedder: dict[str, Any], extractor: dict[str, Any],
               relation_engine: dict[str, Any], settings: dict[str, Any]) -> Manifest:
        """Write the FAISS file and manifest, fsync everything, then switch CURRENT atomically."""
        import faiss

        from claimcheck import ann
        from claimcheck.lexical import write_bm25

        self.store.db.commit()
        counts = self.store.counts()
        rows = [(c.claim_id, c.text) for c in self.store.iter_claims()]
        self.store.close()
        requested = self.index_type or (self.previous.settings.get("index_type", "auto") if self.previous else "auto")
        index_type = ann.choose_type(self.vectors.ntotal, requested)
        settings = {**settings, "index_type": requested}
        self.vectors = ann.convert(self.vectors, index_type)
        try:
            faiss.write_index(self.vectors, str(self.version_dir / VECTORS))
        except RuntimeError as exc:  # FAISS reports a failed write (a full disk) this way
            raise ClaimcheckError(
                f"cannot write {self.version_dir / VECTORS} ({exc.args[0].splitlines()[0][:160]}); "
                "the index is unchanged; free some space and build again"
            ) from exc
        lexical = write_bm25(self.version_dir, [i for i, _ in rows], [t for _, t in rows])
        files = {}
        for name in (VECTORS, STORE, *(str(p.relative_to(self.version_dir)) for p in lexical)):
            path = self.version_dir / name
            files[name] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
        manifest = Manifest(
            format_version=FORMAT_VERSION, embedder=embedder, extractor=extractor,
            relation_engine=relation_engine, index_type=index_type, built_at=_now(),
            counts=counts, files=files, versions=_versions(), settings=settings,
        )
        _write_json(self.version_dir / MANIFEST, manifest.__dict__)
        for name in (*files, MANIFEST):
            _fsync(self.version_dir / name)
        _fsync(self.version_dir)
        pointer_tmp = self.index_dir / f"{CURRENT}.tmp-{os.getpid()}"
        pointer_tmp.write_text(self.version_dir.name + "\n", encoding="utf-8")
        _fsync(pointer_tmp)
        os.replace(pointer_tmp, self.index_dir / CURRENT)
        _fsync(self.index_dir)
        self._cleanup_stale_versions()
        return manifest

    def abort(self) -> None:
        """Drop the half-written version; the live one is untouched."""
        with contextlib.suppress(Exception):
            self.store.close()
        shutil.rmtree(self.version_dir, ignore_errors=True)

    def _cleanup_stale_versions(self) -> None:
        """Remove version directories that are neither live nor being written by a live process."""
        try:
            live = (self.index_dir / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            live = ""
        live_ok = bool(live) and (self.index_dir / live).is_dir()
        for child in self.index_dir.glob("v-*"):
            if child.name == live or child == getattr(self, "version_dir", None):
                continue
            owner = child.name.rsplit("-", 1)[-1]
            if owner.isdigit() and int(owner) != os.getpid() and _pid_alive(int(owner)):
                continue
            if not live_ok and (child / MANIFEST).exists():
                continue  # CURRENT is missing or broken: keep complete versions, one may be recovered
            _remove_version(child)
        for tmp in self.index_dir.glob(f"{CURRENT}.tmp-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _copy_sqlite(src: Path, dest: Path) -> None:
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    except sqlite3.OperationalError as exc:  # a full disk, an I/O error: the live index is fine
        raise ClaimcheckError(f"cannot copy the store {src} to {dest}: {exc}; the index is unchanged") from exc
    except sqlite3.DatabaseError as exc:
        raise IndexCorrupt(f"cannot copy the store {src}: {exc}; {rebuild_hint(src.parent.parent)}") from exc
    finally:
        source.close()
        target.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("claimcheck", "faiss-cpu", "numpy", "onnxruntime", "sentence-transformers", "spacy"):
        with contextlib.suppress(PackageNotFoundError):
            out[pkg] = version(pkg)
    return out
