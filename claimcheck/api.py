"""The library functions the CLI calls, one per command (build and query live in their stages)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from claimcheck.crossmatch import ConflictFilter
from claimcheck.errors import BadInput
from claimcheck.index import OpenIndex, verify_files
from claimcheck.settings import Resources, Settings
from claimcheck.types import Claim, Conflict, Corroboration, IndexInfo, Relation, StoredClaim


def compare(a: str, b: str, settings: Settings | None = None, resources: Resources | None = None) -> Relation:
    """How statement A relates to statement B ("does A support / refute B")."""
    problem = pair_problem(a, b)
    if problem:
        raise BadInput(problem)
    resources = resources or Resources(settings or Settings())
    return resources.engine.relate(a, b)


def pair_problem(a: str, b: str) -> str | None:
    """What makes a pair to compare unusable ("statement A is 204 words long; ..."), or None."""
    from claimcheck.query import MAX_CLAIM_WORDS

    if not a.strip() or not b.strip():
        return "both statements must be non-empty"
    for name, text in (("A", a), ("B", b)):
        words = len(text.split())
        if words > MAX_CLAIM_WORDS:
            return (f"statement {name} is {words:,} words long; give one statement (up to {MAX_CLAIM_WORDS} "
                    "words: the relation model reads no more, and what it does not read cannot count)")
    return None


def compare_many(pairs: Sequence[tuple[str, str]], settings: Settings | None = None,
                 resources: Resources | None = None) -> list[Relation]:
    """Relate many (A, B) pairs with the models loaded once; a pair `compare` refuses is refused
    here too, by its number."""
    for n, (a, b) in enumerate(pairs, 1):
        problem = pair_problem(a, b)
        if problem:
            raise BadInput(f"pair {n}: {problem}")
    resources = resources or Resources(settings or Settings())
    return resources.engine.relate_pairs(list(pairs))


def claims(path: Path, settings: Settings | None = None, resources: Resources | None = None,
           min_checkworthiness: float | None = None,
           on_problem: Callable[[Any], None] | None = None, **fields: str | None) -> list[Claim]:
    """The claims one article makes (`fields`: text_field, title_field, ... as for a build).

    A bad row of a JSONL / CSV / JSON file is passed to `on_problem` and skipped, as a build
    skips it, when `on_problem` is given; a file that cannot be read raises BadInput."""
    from claimcheck.ingest import IngestOptions, IngestProblem, file_of, iter_documents

    resources = resources or Resources(settings or Settings())
    out: list[Claim] = []
    found = False
    for item in iter_documents([path], IngestOptions(**fields)):  # type: ignore[arg-type]
        if isinstance(item, IngestProblem):
            if on_problem is not None and (item.warning or file_of(item.location) != item.location):  # one row
                on_problem(item)
                continue
            raise BadInput(f"{item.location}: {item.message}")
        found = True
        extracted = resources.extractor.extract(item)
        if min_checkworthiness is not None:
            extracted = [c for c in extracted if c.checkworthiness >= min_checkworthiness]
        out.extend(extracted)
    if not found:
        raise BadInput(f"{path}: no article found")
    return out


def contradictions(settings: Settings | None = None, filters: ConflictFilter = ConflictFilter(),
                   topic: str | None = None, resources: Resources | None = None,
                   topic_similarity: float = 0.4) -> list[Conflict]:
    """Cross-source conflicts stored in the index, strongest first.

    Args:
        settings: Which index.
        filters: Sources, minimum score, date window, limit.
        topic: Only pairs with a claim near this text.
        resources: Loaded models (the embedder is needed for `topic` only).
        topic_similarity: How near a claim must be to the topic.
    """
    from claimcheck import crossmatch

    settings = settings or Settings()
    with OpenIndex(Path(settings.index_dir)) as index:
        index.store.require_sources(filters.sources)
        near = None
        if topic:
            resources = resources or Resources(settings)
            vector = resources.embedder.embed([topic])[0]
            scores, ids = index.search(vector[None, :], min(index.vectors.ntotal, 500))
            close = {int(i) for i, s in zip(ids[0], scores[0]) if s >= topic_similarity}
            near = lambda c: c.claim_id in close
        return crossmatch.contradictions(index.store, filters, near)


def corroborations(settings: Settings | None = None, min_score: float = 0.5, min_sources: int = 2,
                   sources: Sequence[str] = ()) -> list[Corroboration]:
    """Groups of claims carried by several independent sources."""
    from claimcheck import crossmatch

    settings = settings or Settings()
    with OpenIndex(Path(settings.index_dir)) as index:
        index.store.require_sources(sources)
        return crossmatch.corroborations(index.store, min_score, min_sources, sources)


def relations(settings: Settings | None = None, limit: int | None = 100,
              min_similarity: float = 0.0) -> list[Conflict]:
    """How the claims of different sources relate: every stored pair with its relation."""
    from claimcheck import crossmatch

    settings = settings or Settings()
    with OpenIndex(Path(settings.index_dir)) as index:
        return crossmatch.related_pairs(index.store, limit, min_similarity)


def uncorroborated(settings: Settings | None = None, limit: int | None = 50,
                   sources: Sequence[str] = ()) -> list[StoredClaim]:
    """Check-worthy claims that only one source carries (`sources`: only those sources' claims)."""
    from claimcheck import crossmatch

    settings = settings or Settings()
    with OpenIndex(Path(settings.index_dir)) as index:
        index.store.require_sources(sources)
        return crossmatch.uncorroborated(index.store, limit=limit, sources=sources)


def info(settings: Settings | None = None, check: bool = False) -> IndexInfo:
    """What an index holds; with `check`, verify every file's checksum and the store's integrity.

    The checksums are verified before anything reads the files, so a damaged file is named
    precisely instead of failing somewhere inside FAISS or SQLite.
    """
    settings = settings or Settings()
    index_dir = Path(settings.index_dir)
    extra: dict[str, object] = {}
    if check:
        _check_files(index_dir)
    with OpenIndex(index_dir, verify=not check) as index:
        extra.update({"version": index.version_dir.name, "index type": index.manifest.index_type})
        if check:
            _check_contents(index, index_dir)
            extra["check"] = "ok: checksums, store integrity and vector count verified"
        counts = index.store.counts()
        manifest = index.manifest
        return IndexInfo(
            path=str(settings.index_dir), documents=counts["documents"], claims=counts["claims"],
            relations=counts["relations"], sources=tuple(s for s, _ in index.store.sources()),
            embedder=str(manifest.embedder.get("id")), dimension=int(manifest.embedder.get("dimension", 0)),
            built_at=manifest.built_at, format_version=manifest.format_version, extra=extra,
        )


def _check_files(index_dir: Path) -> None:
    from claimcheck.embed import EMBEDDER_ID
    from claimcheck.errors import IndexCorrupt
    from claimcheck.index import (
        MANIFEST,
        Manifest,
        check_compatible,
        current_version_dir,
        rebuild_hint,
    )

    version_dir = current_version_dir(index_dir)
    manifest = Manifest.read(version_dir / MANIFEST)
    check_compatible(manifest, EMBEDDER_ID, index_dir)
    problems = verify_files(version_dir, manifest, full=True)
    if problems:
        raise IndexCorrupt(f"index {index_dir} is damaged: {'; '.join(problems)}; {rebuild_hint(index_dir)}")


def _check_contents(index: OpenIndex, index_dir: Path) -> None:
    import sqlite3

    from claimcheck.errors import IndexCorrupt
    from claimcheck.index import rebuild_hint

    problems = []
    try:
        if not index.store.integrity_ok():
            problems.append("store.sqlite fails SQLite's integrity check")
        claims = index.store.counts()["claims"]
        if index.vectors.ntotal != claims:
            problems.append(f"{index.vectors.ntotal} vectors for {claims} claims")
    except (sqlite3.DatabaseError, IndexCorrupt) as exc:
        problems.append(str(exc).split("; rebuild")[0])
    if problems:
        raise IndexCorrupt(f"index {index_dir} is damaged: {'; '.join(problems)}; {rebuild_hint(index_dir)}")
