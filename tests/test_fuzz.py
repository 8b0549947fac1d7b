"""Property-based tests: arbitrary text and bytes through ingest never crash or hang.

Every outcome is a well-formed `Document` or an `IngestProblem` with a message; the lower-level
functions either return or raise a `ClaimcheckError` with a message. Example counts are kept
moderate so this file runs in well under 30 seconds on two cores (see MAX_EXAMPLES).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.errors import ClaimcheckError
from claimcheck.ingest import (
    SUPPORTED_SUFFIXES,
    IngestOptions,
    IngestProblem,
    iter_documents,
    make_document,
    normalise_date,
)
from claimcheck.ingest_decode import decode_bytes, normalise_text
from claimcheck.ingest_text import markdown_to_text
from claimcheck.types import Claim, Document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest" / "corpus"
SUFFIXES = (".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".tsv", "")
# Moderate by default so the file stays fast; CLAIMCHECK_FUZZ_EXAMPLES=2000 for a deep run.
MAX_EXAMPLES = int(os.environ.get("CLAIMCHECK_FUZZ_EXAMPLES", "30"))
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# A hang shows up as a deadline failure rather than a stuck test run. Typical examples take
# milliseconds; the deadline is generous because CI machines are shared and slow, and the first
# calls of slow libraries (dateparser loads its language data) are warmed up below.
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

normalise_date("5 March 2024")
normalise_date("5 Mxrch 2024")  # A miss loads the locales of every language dateparser tries.

# Text that looks like the inputs ingest meets: article-ish words, markup and JSON/CSV syntax,
# plus any Unicode at all.
SYNTAX = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\r\n",
        "#",
        "# ",
        "**",
        "_",
        "[",
        "](",
        ")",
        "<p>",
        "</p>",
        "<html>",
        "<title>",
        "{",
        "}",
        "[",
        "]",
        '"',
        ",",
        ":",
        ";",
        "\t",
        "---\n",
        "> ",
        "- ",
        "```",
        "\x00",
        "\ufeff",
        "text",
        "title",
        "2024-03-05",
    ]
)
WORDS = st.sampled_from(
    ["The", "bridge", "reopened", "on", "Monday", "4.2", "million", "said", "."]
)
ARTICLEISH = st.lists(st.one_of(SYNTAX, WORDS, st.text(max_size=8)), max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), ARTICLEISH)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "text",
                    "body",
                    "title",
                    "source",
                    "date",
                    "url",
                    "paragraphs",
                    "author",
                    "articles",
                    "x",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """One scratch folder for the whole module (hypothesis reruns a test body many times)."""
    with tempfile.TemporaryDirectory(prefix="claimcheck-fuzz-") as folder:
        yield Path(folder)


def check_outcomes(
    path: Path, options: IngestOptions | None = None
) -> list[Document | IngestProblem]:
    """Read `path` and check every outcome is a well-formed Document or IngestProblem."""
    items = list(iter_documents([path], options or IngestOptions()))
    assert items, "ingest must say something about every input"
    for item in items:
        if isinstance(item, IngestProblem):
            assert item.message.strip() and item.location.startswith(str(path))
            assert not item.message.startswith("internal error"), item
            continue
        assert isinstance(item, Document)
        assert item.text and item.text == normalise_text(item.text)
        assert item.source and "\n" not in item.source
        assert item.doc_id == item.content_hash[:16]
        assert item.published is None or ISO.match(item.published)
        item.text.encode("utf-8")  # Storable: no lone surrogates.
    return items


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(text=ANY_TEXT)
def test_any_text_in_any_format(workdir: Path, suffix: str, text: str) -> None:
    path = workdir / f"text{suffix}"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    check_outcomes(path)


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=600))
def test_any_bytes_in_any_format(workdir: Path, suffix: str, data: bytes) -> None:
    path = workdir / f"bytes{suffix}"
    path.write_bytes(data)
    check_outcomes(path, IngestOptions(max_bytes=500))


@pytest.mark.parametrize(
    "name",
    sorted(
        p.relative_to(FIXTURES).as_posix()
        for p in FIXTURES.rglob("*.*")
        if p.suffix in SUPPORTED_SUFFIXES
    ),
)
@FUZZ
@given(cut=st.floats(0, 1), junk=st.binary(max_size=16), where=st.floats(0, 1))
def test_damaged_fixture_files(
    workdir: Path, name: str, cut: float, junk: bytes, where: float
) -> None:
    """Real files of each format, truncated and with junk spliced in: the likeliest bad input."""
    data = (FIXTURES / name).read_bytes()
    data = data[: int(len(data) * cut)]
    at = int(len(data) * where)
    path = workdir / f"damaged{Path(name).suffix}"
    path.write_bytes(data[:at] + junk + data[at:])
    check_outcomes(path)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
@FUZZ
@given(values=st.lists(JSON_VALUES, min_size=1, max_size=4))
def test_any_json_structure(workdir: Path, suffix: str, values: list[object]) -> None:
    path = workdir / f"values{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(values if len(values) > 1 else values[0]), encoding="utf-8")
    else:
        path.write_text("\n".join(json.dumps(v) for v in values), encoding="utf-8")
    check_outcomes(path)


@FUZZ
@given(
    header=st.lists(
        st.sampled_from(["text", "title", "date", "url", "source", "x", ""]) | st.text(max_size=6),
        min_size=1,
        max_size=5,
    ),
    rows=st.lists(st.lists(st.text(max_size=30), max_size=6), max_size=5),
)
def test_any_csv_table(workdir: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = workdir / "table.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    check_outcomes(path)


@FUZZ
@given(data=st.binary(max_size=400) | ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    for item in iter_documents([Path("-")]):
        assert isinstance(item, (Document, IngestProblem))
        assert item.location.startswith(("-", "stdin:"))  # piped text is named by its content
        if isinstance(item, IngestProblem):
            assert not item.message.startswith("internal error"), item


@FUZZ
@given(
    text=ANY_TEXT,
    source=st.text(max_size=20),
    title=st.none() | st.text(max_size=30),
    url=st.none() | st.text(max_size=30),
    published=st.none() | ANY_TEXT,
)
def test_make_document_returns_or_raises_a_claimcheck_error(
    text: str, source: str, title: str | None, url: str | None, published: str | None
) -> None:
    try:
        doc = make_document(text, "loc", source, title=title, url=url, published=published)
    except ClaimcheckError as exc:
        assert str(exc).strip()
        return
    assert doc.text and doc.source
    assert doc.published is None or ISO.match(doc.published)


@FUZZ
@given(value=ANY_TEXT)
def test_normalise_date_never_fails(value: str) -> None:
    result = normalise_date(value)
    assert result is None or ISO.match(result)


@FUZZ
@given(text=ANY_TEXT)
def test_markdown_to_text_never_fails(text: str) -> None:
    title, body = markdown_to_text(text)
    assert title is None or "\n" not in title
    assert isinstance(body, str)


@FUZZ
@given(data=st.binary(min_size=1, max_size=600))
def test_decode_bytes_returns_text_or_raises_a_claimcheck_error(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except ClaimcheckError as exc:
        assert str(exc).strip()
        return
    assert "\r" not in text


@pytest.fixture(scope="module")
def extract_claims() -> Callable[[Document], list[Claim]]:
    """claimcheck.extract.extract_claims, warmed up (its models load on the first call)."""
    extract = pytest.importorskip("claimcheck.extract")
    function = getattr(extract, "extract_claims", None)
    if function is None:
        pytest.skip("claimcheck.extract has no extract_claims")
    function(make_document("The bridge reopened on Monday, the council said.", "warm", "warm"))
    return function


@settings(
    max_examples=20,
    deadline=timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=ANY_TEXT)
def test_extract_claims_on_any_text(
    extract_claims: Callable[[Document], list[Claim]], text: str
) -> None:
    """Extraction of whatever ingest lets through: claims, or a ClaimcheckError."""
    try:
        doc = make_document(text, "fuzz", "fuzz")
    except ClaimcheckError:
        return
    try:
        claims = list(extract_claims(doc))
    except ClaimcheckError as exc:
        assert str(exc).strip()
        return
    for claim in claims:
        assert 0 <= claim.start <= claim.end <= len(doc.text)


@FUZZ
@given(text=st.text(max_size=200) | ANY_TEXT)
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
