"""Build: ingest -> extract -> embed -> index -> cross-match, incrementally and crash-safely.

A build writes a new version of the index beside the live one (see claimcheck/index.py) and
switches to it only once everything is written; an interrupted build leaves the old one live.
Documents already indexed with the same content are not extracted or embedded again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from claimcheck.crossmatch import MatchSettings, candidate_pairs, relate_candidates
from claimcheck.errors import BadInput
from claimcheck.index import IndexWriter, build_lock
from claimcheck.ingest import IngestProblem, absolute, file_of, iter_documents
from claimcheck.settings import Resources, Settings
from claimcheck.types import Claim, Document

# progress(stage, advance, total): total is None when unknown; advance 0 announces a stage.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    index: str
    documents_added: int
    documents_unchanged: int
    documents_removed: int
    claims_added: int
    relations_added: int
    problems: tuple[IngestProblem, ...]
    totals: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    # Documents read but giving no claim (text in another language, or no statements at all),
    # the first few by location.
    without_claims: int = 0
    without_claims_examples: tuple[str, ...] = ()
    # Files read, but not as asked (a field named by a flag is in none of their rows).
    warnings: tuple[IngestProblem, ...] = ()


def _no_progress(stage: str, advance: int, total: int | None) -> None:
    return None


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(paths: Sequence[Path], settings: Settings | None = None, *, prune: bool = False,
          resources: Resources | None = None, progress: Progress = _no_progress,
          match: MatchSettings = MatchSettings(), strict: bool = False, index_type: str | None = None,
          on_problem: Callable[[IngestProblem], None] | None = None, **ingest_options: object) -> BuildReport:
    """Build or update the index at `settings.index_dir` from files and folders.

    Args:
        paths: Files and folders to index (`-` for stdin).
        settings: Index location and model options.
        prune: Remove documents whose files under `paths` are gone.
        resources: Loaded models to reuse.
        progress: Callback for progress display.
        match: Cross-matching thresholds.
        strict: Stop at the first bad input instead of skipping it.
        index_type: Vector index type (auto, flat, ivf-sq8); None keeps the index's own.
        on_problem: Called for each skipped input as it is met.
        **ingest_options: Fields of claimcheck.ingest.IngestOptions (field map, globs).

    Returns:
        A BuildReport. The index is unchanged when this raises.
    """
    started, cpu_started = time.monotonic(), time.process_time()
    settings = settings or Settings()
    resources = resources or Resources(settings, check_models=True)
    with build_lock(Path(settings.index_dir)):
        writer = IndexWriter(Path(settings.index_dir), resources.embedder.dimension, index_type)
        try:
            report = _build_into(writer, paths, resources, progress, match, prune, strict,
                                 on_problem, ingest_options)
            if report.problems and not (report.documents_added or report.documents_unchanged
                                        or report.documents_removed):
                # Nothing could be read and nothing changed: no new version (the live one, if
                # any, stays as it was, its build time too).
                writer.abort()
                return BuildReport(**{**report.__dict__, "seconds": round(time.monotonic() - started, 3)})
            commit_started = time.monotonic()
            writer.commit(
                embedder={"id": resources.embedder.model_id, "dimension": resources.embedder.dimension,
                          "normalised": True, "backend": type(resources.embedder).__name__},
                extractor=_extractor_meta(resources),
                relation_engine=resources.engine.describe(),
                settings={"match": match.__dict__},
            )
        except BaseException:
            writer.abort()
            raise
    # CPU seconds beside the wall-clock stages: extraction and embedding overlap, so the CPU
    # split (extraction runs on this thread) is what says how much of the work each stage is.
    timings = {**report.timings, "commit": time.monotonic() - commit_started,
               "cpu_total": time.process_time() - cpu_started}
    return BuildReport(**{**report.__dict__, "seconds": round(time.monotonic() - started, 3),
                          "timings": {k: round(v, 3) for k, v in timings.items()}})


def _extractor_meta(resources: Resources) -> dict[str, object]:
    from claimcheck import extract

    return {
        "version": getattr(extract, "EXTRACTOR_VERSION", "unknown"),
        "min_checkworthiness": getattr(resources.extractor, "min_checkworthiness", None),
    }


def _ingest(paths: Sequence[Path], options: dict[str, object], on_duplicate: Callable[[Document, Document], None],
            unchanged: Callable[[Path, str], bool]) -> Iterator[Document | IngestProblem]:
    from claimcheck.ingest import IngestOptions

    try:
        opts = IngestOptions(**options)  # type: ignore[arg-type]
    except TypeError as exc:
        raise BadInput(f"unknown ingest option: {exc}") from exc
    yield from iter_documents(paths, opts, on_duplicate=on_duplicate, unchanged=unchanged)


def _absolute_locations(writer: IndexWriter) -> None:
    """Name files read by an older build by their absolute paths, as builds now do, when the
    relative path still finds the file from here (an index built before, from this folder)."""
    store = writer.store
    for location in store.location_fingerprints():
        file = file_of(location)
        if file == "-" or file.startswith("stdin:") or os.path.isabs(file) or not os.path.isfile(file):
            continue
        orphan = store.rename_location(location, str(absolute(Path(file))) + location[len(file):])
        if orphan:  # an older version of the file, stored under the other spelling
            writer.remove_vectors(store.remove_document(orphan))


class _Seen:
    """Which stored locations this build met, and the byte fingerprint of each file read."""

    def __init__(self, known: dict[str, tuple[str, str | None]]) -> None:
        self.by_file: dict[str, list[str]] = {}
        self.fingerprint: dict[str, str | None] = {}
        self.doc_of: dict[str, str] = {}
        for location, (doc_id, fingerprint) in known.items():
            self.by_file.setdefault(file_of(location), []).append(location)
            self.fingerprint[location] = fingerprint
            self.doc_of[location] = doc_id
        self.locations: set[str] = set()
        self.files: dict[str, str] = {}
        self.skipped_docs: set[str] = set()

    def unchanged(self, path: Path, fingerprint: str) -> bool:
        """True (skip reading) when every stored location of this file has this fingerprint."""
        self.files[str(path)] = fingerprint
        stored = self.by_file.get(str(path), [])
        if stored and all(self.fingerprint[loc] == fingerprint for loc in stored):
            self.locations.update(stored)
            self.skipped_docs.update(self.doc_of[loc] for loc in stored)
            return True
        return False

    def file_fingerprint(self, location: str) -> str | None:
        return self.files.get(file_of(location))


def _build_into(writer: IndexWriter, paths: Sequence[Path], resources: Resources, progress: Progress,
                match: MatchSettings, prune: bool, strict: bool,
                on_problem: Callable[[IngestProblem], None] | None,
                options: dict[str, object]) -> BuildReport:
    store = writer.store
    _absolute_locations(writer)
    known = store.location_fingerprints()
    seen = _Seen(known)
    seen_locations = seen.locations
    problems: list[IngestProblem] = []
    warnings: list[IngestProblem] = []
    added = unchanged = removed = claims_added = 0
    new_ids: list[int] = []
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    empty: list[str] = []  # documents that gave no claim
    orphans: list[str] = []  # documents whose location now holds another text (see fresh_documents)

    def moved_in(location: str, doc_id: str) -> None:
        """`location` now holds `doc_id`: what it held before goes once no location holds it
        at the end of the read (a row that only moved is found under its new location)."""
        previous = known.get(location)
        if previous is not None and previous[0] != doc_id:
            gone = store.remove_location(location)
            if gone:
                orphans.append(gone)

    def duplicate(kept: Document, copy: Document) -> None:
        seen_locations.add(copy.location)
        moved_in(copy.location, kept.doc_id)
        store.add_location(copy.location, kept.doc_id, seen.file_fingerprint(copy.location), copy.source)

    def fresh_documents() -> Iterator[Document]:
        nonlocal unchanged, removed
        for item in _ingest(paths, options, duplicate, seen.unchanged):
            if isinstance(item, IngestProblem) and item.warning:
                warnings.append(item)
                if on_problem:
                    on_problem(item)
                continue
            if isinstance(item, IngestProblem):
                if strict:
                    raise BadInput(f"{item.location}: {item.message}")
                problems.append(item)
                if on_problem:
                    on_problem(item)
                continue
            seen_locations.add(item.location)
            # The file (or row) may say something else now: a row inserted or deleted above it,
            # rows reordered, a file edited. What it said before is kept until the read is done,
            # so a row that only moved is found under its new location, not extracted again.
            moved_in(item.location, item.doc_id)
            if store.has_document(item.doc_id):
                store.add_location(item.location, item.doc_id, seen.file_fingerprint(item.location),
                                   item.source)
                store.relocate(item.doc_id, item.location)  # a moved row is known by where it is now
                store.refresh_metadata(item)
                unchanged += 1
                progress("read", 1, None)
                continue
            progress("read", 1, None)
            yield item

    timings = {"read": 0.0, "extract": 0.0, "extract_cpu": 0.0, "embed": 0.0, "embed_wait": 0.0,
               "store": 0.0, "crossmatch": 0.0}
    progress("read", 0, None)
    documents = _batched(fresh_documents(), 16)

    def embed(texts: list[str]) -> np.ndarray:
        tick = time.monotonic()
        vectors = resources.embedder.embed(texts)
        timings["embed"] += time.monotonic() - tick
        return vectors

    def finish(rows: list[tuple[int, Claim]], future: Future[np.ndarray]) -> None:
        nonlocal claims_added
        tick = time.monotonic()
        vectors = future.result()
        timings["embed_wait"] += time.monotonic() - tick
        writer.add_vectors([cid for cid, _ in rows], vectors)
        new_ids.extend(cid for cid, _ in rows)
        claims_added += len(rows)
        progress("embed", len(rows), None)

    # Extraction (spaCy, one core, mostly under the GIL) of batch i+1 overlaps the embedding of
    # batch i in one worker thread (onnxruntime and torch release the GIL while they compute).
    # SQLite writes and vector adds stay on this thread, in order; at most two batches are held.
    pending: tuple[list[tuple[int, Claim]], Future[np.ndarray]] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-embed") as pool:
        while True:
            tick = time.monotonic()
            batch = next(documents, None)
            timings["read"] += time.monotonic() - tick
            if batch is None:
                break
            tick, cpu = time.monotonic(), time.thread_time()
            claims_by_doc = list(resources.extractor.extract_many(batch))
            timings["extract"] += time.monotonic() - tick
            timings["extract_cpu"] += time.thread_time() - cpu
            tick = time.monotonic()
            texts: list[str] = []
            rows: list[tuple[int, Claim]] = []
            next_id = store.next_claim_id()
            for doc, claims in claims_by_doc:
                store.add_document(doc, added_at, seen.file_fingerprint(doc.location))
                added += 1
                if not claims:
                    empty.append(doc.location)
                for claim in claims:
                    rows.append((next_id, claim))
                    texts.append(claim.text)
                    next_id += 1
            store.add_claims(rows)
            timings["store"] += time.monotonic() - tick
            future = pool.submit(embed, texts)
            if pending is not None:
                finish(*pending)
            pending = (rows, future)
        if pending is not None:
            finish(*pending)

    unchanged += len(seen.skipped_docs)
    for doc_id in orphans:
        if not store.has_location(doc_id):
            writer.remove_vectors(store.remove_document(doc_id))
            removed += 1
    removed += _forget(writer, _vanished_rows(known, seen, problems))
    if prune:
        removed += _forget(writer, _pruned(known, seen_locations, paths))

    tick = time.monotonic()
    relations = _crossmatch(writer, new_ids, progress, resources, match)
    timings["crossmatch"] = time.monotonic() - tick
    return BuildReport(
        index=str(writer.index_dir), documents_added=added, documents_unchanged=unchanged,
        documents_removed=removed, claims_added=claims_added, relations_added=relations,
        problems=tuple(problems), totals=store.counts(), timings=timings,
        without_claims=len(empty), without_claims_examples=tuple(empty[:3]), warnings=tuple(warnings),
    )


def _vanished_rows(known: dict[str, tuple[str, str | None]], seen: _Seen,
                   problems: Sequence[IngestProblem]) -> list[str]:
    """Stored rows (`feed.jsonl:7`) of files read again this time that no longer have that row.

    A file that could not be read, and a row that could not be read, keep what they gave before:
    bad input must not cost what is already indexed."""
    bad = {p.location for p in problems}
    return [location for location in known
            if location not in seen.locations and location not in bad
            and (file := file_of(location)) != location and file in seen.files and file not in bad]


def _pruned(known: dict[str, tuple[str, str | None]], seen: set[str], paths: Sequence[Path]) -> list[str]:
    """Stored locations under the given paths whose file is gone. A file that is still there but
    was not read (left out by --include / --exclude, or not a supported type) is kept."""
    # Absolute, as builds store files; as written too, for files an older build stored so.
    roots = [root for p in paths if str(p) != "-" for root in (str(absolute(Path(p))), str(Path(p)))]
    return [location for location in known
            if location not in seen
            and any(location == r or location.startswith(r.rstrip("/") + "/") for r in roots)
            and not os.path.exists(file_of(location))]


def _forget(writer: IndexWriter, locations: Sequence[str]) -> int:
    """Remove these locations, and a document once no location holds it; how many documents went."""
    removed = 0
    for location in locations:
        gone = writer.store.remove_location(location)
        if gone:
            writer.remove_vectors(writer.store.remove_document(gone))
            removed += 1
    return removed


def _crossmatch(writer: IndexWriter, new_ids: list[int], progress: Progress, resources: Resources,
                match: MatchSettings) -> int:
    if not new_ids:
        return 0
    vectors = np.vstack([writer.vectors.reconstruct(int(i)) for i in new_ids])
    pairs = candidate_pairs(writer.store, writer.search, new_ids, vectors, match,
                            vector_of=lambda i: writer.vectors.reconstruct(int(i)))
    progress("relate", 0, len(pairs))
    return relate_candidates(writer.store, resources.engine, pairs,
                             progress=lambda n: progress("relate", n, len(pairs)))


@dataclass(frozen=True)
class RemoveReport:
    """What `remove` did: documents removed, and file locations forgotten whose text stays
    because another file holds the same text."""

    documents: int
    locations: int = 0


def remove(keys: Sequence[str], settings: Settings | None = None,
           resources: Resources | None = None) -> RemoveReport:
    """Remove documents by id, source, file location or folder (every file under it). A file
    location removes only that file: a document whose text another file also holds stays, under
    that file."""
    settings = settings or Settings()
    resources = resources or Resources(settings)
    with build_lock(Path(settings.index_dir)):
        writer = IndexWriter(Path(settings.index_dir), resources.embedder.dimension)
        try:
            store = writer.store
            doc_ids: set[str] = set()
            forgotten = 0
            unmatched: list[str] = []
            for key in keys:
                # A source is the locations found under it: an article another outlet carries
                # too stays, under that outlet, as when one of two files is removed.
                locations = [] if store.is_document_id(key) else (
                    store.source_locations(key)
                    or store.file_locations(key) or store.file_locations(str(absolute(Path(key))))
                    or store.folder_locations(str(absolute(Path(key)))) or store.folder_locations(key))
                held = {location: store.location_doc(location) for location in locations}
                gone = {store.remove_location(location) for location in locations} - {None}
                doc_ids.update(gone)  # type: ignore[arg-type]
                forgotten += sum(doc not in gone for doc in held.values())  # still held by another file
                matched = store.documents_matching(key) if not locations else []
                doc_ids.update(matched)
                if not locations and not matched:
                    unmatched.append(key)
            if unmatched:  # a typo among several keys must not leave half the removal done
                raise BadInput(f"no document, source or file location matches {', '.join(unmatched)}; nothing was "
                               "removed; `claimcheck info` lists the sources")
            for doc_id in sorted(doc_ids):
                writer.remove_vectors(store.remove_document(doc_id))
            prev = writer.previous
            writer.commit(embedder=prev.embedder, extractor=prev.extractor,  # type: ignore[union-attr]
                          relation_engine=prev.relation_engine, settings=prev.settings)  # type: ignore[union-attr]
        except BaseException:
            writer.abort()
            raise
    return RemoveReport(len(doc_ids), forgotten)
