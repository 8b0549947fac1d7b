"""Ingest: files, folders and stdin become `Document`s with their metadata.

This module finds the files, enforces the size limit, reads each file in its format, fills in the
metadata (source, title, URL, ISO date, content hash) and drops duplicate articles. The parts:
`ingest_decode` (binary files, encodings), `ingest_text` (.txt, .md, .html), `ingest_records`
(.json, .jsonl, .csv with a field map) and `ingest_meta` (dates, domains, duplicates).

A problem with one file or one row never stops the rest: it is yielded as an `IngestProblem`
naming the file (and line) and what is wrong, and the build goes on.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from claimcheck import ingest_records, ingest_text
from claimcheck.errors import BadInput
from claimcheck.hashing import sha256_file
from claimcheck.ingest_decode import decode_bytes, normalise_newlines, normalise_text, sniff_format
from claimcheck.ingest_meta import (
    Deduplicator,
    domain_of,
    make_document,
    normalise_date,
    writes_day_first,
)
from claimcheck.ingest_records import FieldMap
from claimcheck.ingest_text import Record, RowError
from claimcheck.types import Document

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Deduplicator",
    "IngestOptions",
    "IngestProblem",
    "file_fingerprint",
    "iter_documents",
    "iter_files",
    "make_document",
    "normalise_date",
    "read_path",
    "sniff_format",
]

# Suffix -> format; anything else found in a folder is skipped, and a file named explicitly
# (or stdin) has its format sniffed from its content.
# fmt: off
FORMATS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
}
# fmt: on
SUPPORTED_SUFFIXES = tuple(FORMATS)
STDIN = "-"


@dataclass(frozen=True)
class IngestOptions:
    """What to read and how.

    Attributes:
        text_field: Field (JSON) or column (CSV) holding the article text; None tries
            text, body, content, articleBody, article, paragraphs, maintext.
        title_field: Field holding the title; None tries title, headline, name.
        source_field: Field holding the outlet; None tries source, outlet, publisher, site...
        date_field: Field holding the publication date; None tries date, published, pubDate...
        url_field: Field holding the URL; None tries url, link, canonical_url, href.
        include: Globs (fnmatch on the path relative to a folder given, or the file name); when
            any are given, only files inside folders that match one are read.
        exclude: Globs for files or sub-folders inside folders to leave out.
        max_bytes: Files larger than this are refused unread.
        dedupe: Drop repeated articles (same text, or near-identical text).
        near_duplicate_ratio: rapidfuzz ratio (0-100) at or above which two texts are the same.
        report_skipped: Yield an `unsupported` IngestProblem for each file of an unsupported type
            found in a folder (off by default: a folder of articles often holds images too).
        source: The outlet of what names none itself (a .txt article, a row without a source
            field, piped text), before the URL's domain and the file name.
    """

    text_field: str | None = None
    title_field: str | None = None
    source_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_bytes: int = 50_000_000
    dedupe: bool = True
    near_duplicate_ratio: float = 97.0
    report_skipped: bool = False
    source: str | None = None

    @property
    def fields(self) -> FieldMap:
        """The field map the JSON and CSV readers use."""
        return FieldMap(
            self.text_field, self.title_field, self.source_field, self.date_field, self.url_field
        )


@dataclass(frozen=True)
class IngestProblem:
    """A file, or one row of a file, that could not be read, and why.

    Attributes:
        location: The file (as given or found), or `file:line` for one row of a JSONL or CSV
            file, or `file#N` for the N-th item of a JSON list.
        message: What is wrong, in plain words ("empty file").
        line: The line number for a row problem (the rest of that file was still read).
        unsupported: True for a file of a type claimcheck does not read, passed over in a folder
            (worth counting, not a failure). Every problem is an input left out; this says why.
        warning: True when the file was read, but not as asked: a field named by a flag
            (`--date-field published_at`) is in none of its rows. Not a failure either.
    """

    location: str
    message: str
    line: int | None = None
    unsupported: bool = False
    warning: bool = False


def file_fingerprint(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks, for incremental builds.

    Args:
        path: A regular file.

    Returns:
        64 hex digits; equal for files with equal bytes.

    Raises:
        BadInput: When the file cannot be read.
    """
    try:
        return sha256_file(path)
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror or exc})") from exc


# ---------------------------------------------------------------------------------------------
# Finding files


def iter_files(
    paths: Iterable[Path], options: IngestOptions = IngestOptions()
) -> Iterator[Path | IngestProblem]:
    """Expand files and folders into the files to read, in a stable (sorted) order.

    Folders are walked recursively, skipping hidden files and folders, applying the include and
    exclude globs, and passing over files of unsupported types (reported as `unsupported` problems
    when `options.report_skipped`). Files named explicitly, and `-` (stdin), are always passed on.

    Args:
        paths: Files, folders, or `Path("-")`.
        options: Globs to apply; whether to report skipped files.

    Yields:
        A path to read (each file once, even when named twice or inside two folders given), or
        an IngestProblem for a path that does not exist or a folder with nothing to read.
    """
    seen: set[Path] = set()
    for path in paths:
        # A file is known by its absolute path, so "news/a.txt" and "/home/me/news/a.txt" are
        # one file, whatever folder the build runs from.
        if str(path) == STDIN:
            yield path
        elif path.is_dir():
            yield from _once(_walk(absolute(path), options), seen)
        elif path.exists():
            yield from _once([absolute(path)], seen)
        elif path.is_symlink():
            yield IngestProblem(str(path), "broken symbolic link")
        else:
            yield IngestProblem(str(path), "no such file or folder")


# A record's location is its file's and its row: "feed.jsonl:7" (a line), "list.json#2" (an item).
ROW_SUFFIX = re.compile(r"(?::\d+|#\d+)$")


def file_of(location: str) -> str:
    """The file a location belongs to (`feed.jsonl:7` and `list.json#2` -> the file)."""
    return ROW_SUFFIX.sub("", location)


def absolute(path: Path) -> Path:
    """The path made absolute, with "." and ".." removed but symbolic links kept."""
    return Path(os.path.abspath(path))


def _once(items: Iterable[Path | IngestProblem], seen: set[Path]) -> Iterator[Path | IngestProblem]:
    """Pass on each file the first time it comes (by resolved path), and every problem."""
    for item in items:
        if isinstance(item, Path):
            key = item.resolve()
            if key in seen:
                continue
            seen.add(key)
        yield item


def _walk(folder: Path, options: IngestOptions) -> Iterator[Path | IngestProblem]:
    """Files under one folder, depth first, sorted; see `iter_files`."""
    found = False
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        # os.walk reports a sub-folder it cannot list here, before moving on.
        while errors:
            error = errors.pop(0)
            yield IngestProblem(str(error.filename), f"cannot read folder ({error.strerror})")
        here = Path(root)
        rel_root = here.relative_to(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not _matches((rel_root / d).as_posix(), d, options.exclude)
        )
        for name in sorted(files):
            rel = (rel_root / name).as_posix()
            if name.startswith(".") or _matches(rel, name, options.exclude):
                continue
            if options.include and not _matches(rel, name, options.include):
                continue
            path = here / name
            suffix = path.suffix.lower()
            if suffix in FORMATS:
                found = True
                yield path
            elif options.report_skipped:
                kind = f"'{suffix}'" if suffix else "(no extension)"
                yield IngestProblem(
                    str(path), f"unsupported file type {kind}, skipped", unsupported=True
                )
    for error in errors:
        yield IngestProblem(str(error.filename), f"cannot read folder ({error.strerror})")
    if not found:
        yield IngestProblem(
            str(folder), f"folder holds no files to read ({', '.join(SUPPORTED_SUFFIXES)})"
        )


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    """Whether a relative path, or its bare name, matches any glob."""
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


# ---------------------------------------------------------------------------------------------
# Reading one file


def read_path(
    path: Path, options: IngestOptions = IngestOptions()
) -> Iterator[Document | IngestProblem]:
    """Read one file (or stdin, for `Path("-")`) into its documents.

    A JSONL, CSV or JSON-list file gives one document per row; everything else gives one.
    Duplicates are not dropped here (see `iter_documents` and `Deduplicator`).

    Args:
        path: The file, or `Path("-")`.
        options: Field map and size limit.

    Yields:
        Documents, and an IngestProblem for the file or for each bad row.
    """
    location = str(path)
    produced = False
    read: list[_Read] = []  # what the file-level warnings need of each document, not its text
    try:
        raw = _read_bytes(path, options.max_bytes)
        if location == STDIN:  # piped text has no file to name it: its content does, so a second
            location = f"stdin:{hashlib.sha256(raw).hexdigest()[:12]}"  # pipe adds, not replaces
        suffix = "" if str(path) == STDIN else path.suffix.lower()
        text = decode_bytes(raw, html=FORMATS.get(suffix) == "html")
        fmt = FORMATS.get(suffix) or sniff_format(text)
        default_source = "stdin" if str(path) == STDIN else path.stem
        records = list(_records(fmt, text, options.fields))
        # A file that writes "31/12/2023" somewhere writes "05/03/2024" day first too.
        day_first = writes_day_first(r.published for r in records if isinstance(r, Record))
        for item in records:
            produced = True
            if isinstance(item, RowError):
                yield IngestProblem(location + item.where, item.message, line=item.line)
                continue
            if day_first:
                item = replace(item, published=normalise_date(item.published, day_first=True))
            document = _to_document(item, location, default_source, options.source)
            if isinstance(document, Document):
                read.append(_Read(document.location, document.published, english_share(document.text)))
            yield document
        yield from _absent_fields(records, options.fields, location)
        yield from _unread_dates(records, read, location)
        yield from _not_english(read, location)
    except BadInput as exc:
        yield IngestProblem(location, str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - one odd file must not end a build of thousands.
        yield IngestProblem(
            location,
            f"internal error while reading ({type(exc).__name__}: {exc}); please report it",
        )
        return
    if not produced:
        yield IngestProblem(location, "no articles found")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """A file's bytes (or stdin's), refusing oversized and special files."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise BadInput(f"input is over the {_size(max_bytes)} limit (use --max-bytes)")
        if not data.strip():
            raise BadInput("empty input")
    else:
        try:
            stat = path.stat()
            if not path.is_file():
                raise BadInput("not a regular file")
            if stat.st_size > max_bytes:
                size, limit = _size(stat.st_size), _size(max_bytes)
                raise BadInput(f"file is {size}, over the {limit} limit (use --max-bytes)")
            data = path.read_bytes()
        except FileNotFoundError:
            raise BadInput("no such file or folder") from None
        except OSError as exc:
            raise BadInput(f"cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise BadInput("empty file")
    return data


def _size(n: int) -> str:
    """A byte count the way people say it (decimal units, as the limit is set)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            value = n / scale
            # One decimal below ten, so 1,500 bytes over a 1,000-byte limit does not read "2 kB".
            shown = f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"
            return f"{shown} {unit}"
    return f"{n} bytes"


def _records(fmt: str, text: str, fields: FieldMap) -> Iterator[Record | RowError]:
    """Dispatch decoded text to its format's reader."""
    if fmt == "text":
        return ingest_text.read_text(normalise_text(text))
    if fmt == "markdown":
        return ingest_text.read_markdown(normalise_newlines(text))
    if fmt == "html":
        return ingest_text.read_html(text)
    if fmt == "json":
        return ingest_records.read_json(text, fields)
    if fmt == "jsonl":
        return ingest_records.read_jsonl(text, fields)
    return ingest_records.read_csv(text, fields, delimiter="\t" if fmt == "tsv" else None)


# Field-map entries a flag names, the flag, and the Record attribute they fill.
NAMED_FIELDS = (("title", "--title-field", "title"), ("source", "--source-field", "source"),
                ("date", "--date-field", "published"), ("url", "--url-field", "url"))


def _absent_fields(records: Sequence[Record | RowError], fields: FieldMap, location: str) -> Iterator[IngestProblem]:
    """A warning for each field named by a flag that no row of a JSON / JSONL / CSV file fills:
    a misspelt `--date-field` would otherwise leave every article undated without a word."""
    rows = [r for r in records if isinstance(r, Record) and r.fields]
    for key, flag, attr in NAMED_FIELDS:
        name = getattr(fields, key)
        if name is not None and rows and all(getattr(r, attr) is None for r in rows):
            found = ", ".join(dict.fromkeys(f for r in rows for f in r.fields))
            yield IngestProblem(location, f"no row has a value in the field '{name}' named by {flag}; read without "
                                f"it (fields in the file: {found})", warning=True)


@dataclass(frozen=True)
class _Read:
    """One document as the file-level warnings see it."""

    location: str
    published: str | None
    english: float | None  # `english_share` of its text


def _unread_dates(records: Sequence[Record | RowError], documents: Sequence[_Read],
                  location: str) -> Iterator[IngestProblem]:
    """A warning when the rows of a JSON / JSONL / CSV file give dates and none of them could be
    read: every article would be undated (left out by --since / --until) without a word."""
    written = [r.published for r in records if isinstance(r, Record) and r.fields and r.published]
    if written and documents and all(d.published is None for d in documents):
        yield IngestProblem(location, f"none of the {len(written)} dates could be read (e.g. {written[0]!r}); "
                            "the articles are undated: dates are read as ISO (2024-03-05), '5 March 2024', "
                            "'March 5, 2024', '05/03/2024' and the like", warning=True)


# The commonest English function words. They are 24 to 50 % of the words of English news (the
# lowest of 423 FNC-1 bodies: 24 %; the seed articles: 36 %), under 6 % in German, French or
# Spanish news text, and 5 % in a page of JavaScript that an export left as an article body.
ENGLISH_WORDS = frozenset({
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "was", "on", "with", "as", "by", "at", "from",
    "his", "her", "it", "be", "are", "were", "has", "have", "had", "said", "not", "but", "an", "this", "which",
    "who", "will", "would", "they", "their", "been", "after", "more", "than", "about",
})
ENGLISH_SHARE = 0.15  # below this share of ENGLISH_WORDS a text is not read as English
MIN_WORDS_FOR_LANGUAGE = 30  # shorter texts are not judged


def english_share(text: str) -> float | None:
    """The share of a text's words that are common English function words; None for a text too
    short to judge."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return None
    return sum(w in ENGLISH_WORDS for w in words) / len(words)


def _not_english(documents: Sequence[_Read], location: str) -> Iterator[IngestProblem]:
    """A warning for a file whose text (or some of whose rows) does not look like English: the
    extractor and the relation model read English, so what they make of it may be wrong. The
    documents are indexed all the same."""
    foreign = [(d, d.english) for d in documents if d.english is not None and d.english < ENGLISH_SHARE]
    if not foreign:
        return
    note = "claimcheck reads English, so what it finds there may be wrong"
    if len(documents) == 1:
        yield IngestProblem(location, f"the text does not look like English: {foreign[0][1]:.0%} of its words are "
                            f"common English words (English news: 24% or more); {note}", warning=True)
    else:
        yield IngestProblem(location, f"{len(foreign)} of {len(documents)} articles do not look like English (first: "
                            f"{foreign[0][0].location}): under {ENGLISH_SHARE:.0%} of their words are common English "
                            f"words (English news: 24% or more); {note}", warning=True)


def _to_document(record: Record, location: str, default_source: str, named: str | None = None
                 ) -> Document | IngestProblem:
    """A Record with its metadata filled in: source falls back to the outlet the user named
    (`named`, --source), the URL's domain, then the file name (or "stdin")."""
    where = location + record.where
    try:
        return make_document(
            record.text,
            where,
            record.source or named or domain_of(record.url) or default_source,
            title=record.title,
            url=record.url,
            published=record.published,
            author=record.author,
        )
    except BadInput:
        message = "no article text besides the title" if record.title else "no article text"
        return IngestProblem(where, message, line=_line_of(record.where))


def _line_of(where: str) -> int | None:
    """The line number in a `:N` location suffix."""
    return int(where[1:]) if where.startswith(":") and where[1:].isdigit() else None


# ---------------------------------------------------------------------------------------------
# The whole input


def _fields_key(options: IngestOptions) -> str:
    """What the field options (and --source) add to a file's fingerprint: nothing by default, so
    that a file read again with other --text-field / --source-field / --source options is read
    again, not skipped."""
    if options.fields == FieldMap() and options.source is None:
        return ""
    key = repr(options.fields) + ("" if options.source is None else f"|source={options.source}")
    return "+" + hashlib.sha256(key.encode()).hexdigest()[:12]


def iter_documents(
    paths: Iterable[Path],
    options: IngestOptions = IngestOptions(),
    on_duplicate: Callable[[Document, Document], None] | None = None,
    unchanged: Callable[[Path, str], bool] | None = None,
) -> Iterator[Document | IngestProblem]:
    """Yield a Document or an IngestProblem for everything under `paths`.

    Args:
        paths: Files, folders, or `Path("-")` for stdin.
        options: Field map, globs, size limit, duplicate handling.
        on_duplicate: Called as `on_duplicate(kept, copy)` for each repeated article that is
            dropped: `kept` is the Document yielded earlier, `copy` the repeat (its location and
            source say where else the article was found).
        unchanged: For incremental builds: called as `unchanged(path, fingerprint)` for every
            file (not stdin) with its `file_fingerprint`; when it returns True the file is not
            read (nor decoded, parsed or checked for duplicates) and yields nothing.

    Yields:
        Documents in a stable order (first copy of each article only, unless `options.dedupe`
        is False), and an IngestProblem for every file or row that could not be used.
    """
    dedupe = Deduplicator(ratio=options.near_duplicate_ratio) if options.dedupe else None
    for item in iter_files(paths, options):
        if isinstance(item, IngestProblem):
            yield item
            continue
        if unchanged is not None and str(item) != STDIN:
            try:
                # An oversized file is not hashed: read_path refuses it without reading it.
                if item.stat().st_size <= options.max_bytes and unchanged(
                        item, sha256_file(item) + _fields_key(options)):
                    continue
            except OSError as exc:
                yield IngestProblem(str(item), f"cannot read ({exc.strerror or exc})")
                continue
        for result in read_path(item, options):
            if dedupe is not None and isinstance(result, Document):
                kept = dedupe.add(result)
                if kept is not None:
                    if on_duplicate is not None:
                        on_duplicate(kept, result)
                    continue
            yield result
