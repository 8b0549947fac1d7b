"""Ingest: formats, metadata, duplicates, and every kind of bad input (one problem each)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claimcheck.errors import BadInput
from claimcheck.ingest import (
    Deduplicator,
    IngestOptions,
    IngestProblem,
    file_fingerprint,
    iter_documents,
    iter_files,
    make_document,
    normalise_date,
    read_path,
)
from claimcheck.ingest_text import markdown_to_text, split_title
from claimcheck.types import Document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPUS = FIXTURES / "corpus"
DUPES = FIXTURES / "dupes"


def read_all(
    paths: list[Path], options: IngestOptions | None = None
) -> tuple[list[Document], list[IngestProblem]]:
    """Documents and problems from `iter_documents`, split."""
    items = list(iter_documents(paths, options or IngestOptions()))
    docs = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, IngestProblem)]
    return docs, problems


def by_location(docs: list[Document]) -> dict[str, Document]:
    """Documents keyed by location relative to the corpus folder."""
    return {Path(d.location).relative_to(CORPUS).as_posix(): d for d in docs}


# ---------------------------------------------------------------------------------------------
# Formats and metadata on the fixture corpus


@pytest.fixture(scope="module")
def corpus() -> dict[str, Document]:
    docs, problems = read_all([CORPUS])
    assert problems == []
    return by_location(docs)


# location -> (source, title, url, published, author)
EXPECTED = {
    "ferry.txt": (
        "ferry",
        "Ferry service to Birch Island suspended for two weeks",
        None,
        None,
        None,
    ),
    "drafts/draft.txt": ("draft", "Draft: do not publish", None, None, None),
    "council.md": (
        "Lakeside Weekly",
        "Council approves new library",
        "https://lakesideweekly.example/council-library",
        "2024-02-20",
        "Ines Alder",
    ),
    "courier/bridge.html": (
        "Lakeside Courier",
        "Harbour bridge reopens after repairs",
        "https://www.lakesidecourier.example/news/harbour-bridge-reopens",
        "2024-03-05",
        "Mara Lind",
    ),
    "pages/school-meals.htm": (
        "school-meals",
        "Free school meals extended",
        None,
        "2024-02-12",
        None,
    ),
    "feeds/api.json#1": (
        "Coastal Post",
        "Harbour dredging begins",
        "https://coastalpost.example/dredging",
        "2024-05-02",
        "J. Perrin",
    ),
    "feeds/api.json#2": (
        "River News",
        "Fish count up",
        "https://rivernews.example/fish",
        "2024-05-03",
        None,
    ),
    "feeds/basil_style.jsonl:1": (
        "example-times",
        "Bridge tolls to end in May",
        "https://exampletimes.example/tolls",
        "2023-04-02",
        None,
    ),
    "feeds/export.csv:2": (
        "Metro Daily",
        "Tram line opens",
        "https://metrodaily.example/tram",
        "2024-03-04",
        None,
    ),
    "feeds/export.csv:3": (
        "Metro Daily",
        "Rents rise",
        "https://metrodaily.example/rents",
        "2024-03-05",
        None,
    ),
    "feeds/wire.jsonl:1": (
        "Valley Wire",
        "Storm closes mountain pass",
        "https://valleywire.example/storm-pass",
        "2024-01-12",
        None,
    ),
    "feeds/wire.jsonl:2": ("Farm Today", "Dairy prices rise again", None, "2024-01-15", None),
    "feeds/wire.jsonl:3": (
        "northgazette.example",
        "School roof repaired",
        "https://www.northgazette.example/school-roof",
        None,
        None,
    ),
}


def test_corpus_reads_every_article_once_in_stable_order(corpus: dict[str, Document]) -> None:
    assert sorted(corpus) == sorted(EXPECTED)
    again, _ = read_all([CORPUS])
    assert [d.location for d in again] == [d.location for d in corpus.values()]


@pytest.mark.parametrize("location", sorted(EXPECTED))
def test_metadata(corpus: dict[str, Document], location: str) -> None:
    doc = corpus[location]
    assert (doc.source, doc.title, doc.url, doc.published, doc.author) == EXPECTED[location]
    assert len(doc.content_hash) == 64 and doc.doc_id == doc.content_hash[:16]
    assert doc.text == doc.text.strip() and "\r" not in doc.text


def test_text_file_title_is_not_part_of_the_body(corpus: dict[str, Document]) -> None:
    text = corpus["ferry.txt"].text
    assert text.startswith("The ferry between Lakeside and Birch Island will not run")
    assert "suspended for two weeks" not in text


def test_html_keeps_the_article_and_drops_navigation_comments_and_ads(
    corpus: dict[str, Document],
) -> None:
    text = corpus["courier/bridge.html"].text
    assert text.split("\n\n") == [
        (
            "The harbour bridge in Lakeside reopened on Monday after eleven weeks of repairs,"
            " the city council said."
        ),
        (
            "Council engineer Tom Berg said the repairs cost 4.2 million euros, slightly less than"
            " the 4.5 million budgeted in January."
        ),
        (
            "About 18,000 vehicles cross the bridge every day, according to figures from the"
            " regional transport office."
        ),
    ]


def test_markdown_markup_is_stripped(corpus: dict[str, Document]) -> None:
    assert corpus["council.md"].text == (
        "The Lakeside city council voted 9 to 2 on Tuesday to build a new public library on Mill"
        " Street, Mayor Petra Holm said.\n\nCost\n\nThe library will cost 12 million euros, to be"
        ' paid over four years.\n\n"This is the biggest investment in culture in twenty years,"'
        " Holm said.\n\nConstruction starts in June.\nThe old library closes in 2026."
    )


def test_paragraph_lists_and_multiline_csv_cells_keep_paragraphs(
    corpus: dict[str, Document],
) -> None:
    assert corpus["feeds/basil_style.jsonl:1"].text.count("\n\n") == 1
    assert corpus["feeds/export.csv:3"].text.endswith(
        "found.\n\nIt said demand from students was the main cause."
    )


def test_hidden_files_are_skipped() -> None:
    assert not any(".hidden" in str(p) for p in iter_files([CORPUS]))


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (
            (),
            ("drafts",),
            {
                "council.md",
                "ferry.txt",
                "courier/bridge.html",
                "feeds/api.json",
                "feeds/basil_style.jsonl",
                "feeds/export.csv",
                "feeds/wire.jsonl",
                "pages/school-meals.htm",
            },
        ),
        (("*.txt",), (), {"ferry.txt", "drafts/draft.txt"}),
        (("feeds/*",), ("*.csv", "api.*"), {"feeds/basil_style.jsonl", "feeds/wire.jsonl"}),
        (("*.md", "courier/*"), (), {"council.md", "courier/bridge.html"}),
    ],
)
def test_include_and_exclude_globs(
    include: tuple[str, ...], exclude: tuple[str, ...], expected: set[str]
) -> None:
    found = iter_files([CORPUS], IngestOptions(include=include, exclude=exclude))
    assert {p.relative_to(CORPUS).as_posix() for p in found if isinstance(p, Path)} == expected


def test_a_file_named_twice_is_read_once() -> None:
    found = list(iter_files([CORPUS / "ferry.txt", CORPUS, CORPUS / "drafts"]))
    assert len(found) == len(set(found)) == 9


def test_field_map_names_other_fields(tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text(
        '{"story": "The mill closed in 1990.", "paper": "Mill Times", "when": "3 May 2001",'
        ' "head": "Mill closes", "web": "https://milltimes.example/a"}\n',
        encoding="utf-8",
    )
    options = IngestOptions(
        text_field="story",
        source_field="paper",
        date_field="when",
        title_field="head",
        url_field="web",
    )
    (doc,) = list(read_path(path, options))
    assert isinstance(doc, Document)
    assert (doc.text, doc.source, doc.published, doc.title, doc.url) == (
        "The mill closed in 1990.",
        "Mill Times",
        "2001-05-03",
        "Mill closes",
        "https://milltimes.example/a",
    )


def test_a_named_field_that_no_row_fills_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"story": "The mill closed in 1990.", "pub": "3 May 2001"}\n'
                    '{"story": "The mill reopened in 1995.", "pub": ""}\n', encoding="utf-8")
    *docs, warning = list(read_path(path, IngestOptions(text_field="story", date_field="published")))
    assert all(isinstance(d, Document) and d.published is None for d in docs) and len(docs) == 2
    assert isinstance(warning, IngestProblem) and warning.warning and warning.location == str(path)
    assert warning.message == ("no row has a value in the field 'published' named by --date-field; read without it "
                               "(fields in the file: story, pub)")
    # A CSV column named by a flag and absent is the same warning, not a skipped file.
    table = tmp_path / "dated.csv"
    table.write_text("text,pub\nThe lake froze.,2024-01-02\n", encoding="utf-8")
    *docs, warning = list(read_path(table, IngestOptions(date_field="when")))
    assert len(docs) == 1 and isinstance(docs[0], Document) and warning.warning
    assert warning.message.endswith("(fields in the file: text, pub)")
    # One row with the field is enough; a text file has no fields to name.
    assert all(isinstance(d, Document) for d in read_path(path, IngestOptions(text_field="story", date_field="pub")))
    text = tmp_path / "a.txt"
    text.write_text("The mill closed in 1990.\n", encoding="utf-8")
    assert all(isinstance(d, Document) for d in read_path(text, IngestOptions(date_field="published")))


def test_html_in_a_json_text_field_becomes_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "cms.json"
    path.write_text(
        json.dumps(
            {"Body": "<p>The mill &amp; dam <b>closed</b>.</p><p>Staff moved.<br>All 40.</p>"}
        ),
        encoding="utf-8",
    )
    (doc,) = list(read_path(path, IngestOptions(text_field="body")))
    assert isinstance(doc, Document)
    assert doc.text == "The mill & dam closed.\n\nStaff moved.\n\nAll 40."


def test_tsv_and_semicolon_csv(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text(
        "title\ttext\nT\tThe dam was finished in 1962.\n", encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text("title;body\nT;The canal opened in 1881.\n", encoding="utf-8")
    docs, problems = read_all([tmp_path])
    assert problems == []
    assert [d.text for d in docs] == ["The dam was finished in 1962.", "The canal opened in 1881."]


# ---------------------------------------------------------------------------------------------
# stdin


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Quarry reopens\n\nThe quarry reopened on Monday.\n", [("-", "stdin", "Quarry reopens")]),
        (
            (
                b'{"text": "The pier was rebuilt.", "source": "Pier News"}\n'
                b'{"text": "The pier is 300 m long."}\n'
            ),
            [("-:1", "Pier News", None), ("-:2", "stdin", None)],
        ),
        (
            b'[{"body": "Two new buses entered service.", "url": "https://www.busnews.example/x"}]',
            [("-#1", "busnews.example", None)],
        ),
        (
            (
                b"<html><head><title>Rail strike</title></head><body><p>Rail workers walked out"
                b" on Monday over pay, their union said.</p></body></html>"
            ),
            [("-", "stdin", "Rail strike")],
        ),
    ],
)
def test_stdin_formats_are_sniffed(
    monkeypatch: pytest.MonkeyPatch, data: bytes, expected: list[tuple[str, str, str | None]]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    docs, problems = read_all([Path("-")])
    assert problems == []
    # Piped text is named by its content, so a second pipe adds a document instead of replacing it.
    named = "stdin:" + hashlib.sha256(data).hexdigest()[:12]
    assert [(d.location, d.source, d.title) for d in docs] == [
        (location.replace("-", named, 1), source, title) for location, source, title in expected]


def test_stdin_text_that_starts_like_json_is_text(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"[Lakeside] The harbour bridge reopened on Monday."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (doc,) = list(iter_documents([Path("-")]))
    assert isinstance(doc, Document) and doc.text == data.decode()


def test_an_unexpected_error_in_a_reader_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> None:
        raise ValueError("boom")

    monkeypatch.setattr("claimcheck.ingest_text.read_text", broken)
    (tmp_path / "a.txt").write_text("The ice melted.", encoding="utf-8")
    (tmp_path / "b.md").write_text("The ice melted again.", encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    assert items[0] == IngestProblem(
        str(tmp_path / "a.txt"), "internal error while reading (ValueError: boom); please report it"
    )
    assert isinstance(items[1], Document)


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n")))
    assert list(iter_documents([Path("-")])) == [IngestProblem("-", "empty input")]


# ---------------------------------------------------------------------------------------------
# Encodings


GERMAN = "Der Bürgermeister sagte am Montag, die Brücke über die Förde sei wieder geöffnet."
RUSSIAN = "Прокуратура сообщила в понедельник, что мост снова открыт после ремонта."
GREEK = "Η γέφυρα άνοιξε ξανά τη Δευτέρα, είπε ο δήμαρχος."
JAPANESE = "日本語のテキストです。東京で会議が開かれた。"
BRIDGE = "The bridge reopened on Monday, the council said."


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (GERMAN, "cp1252"),
        (GERMAN, "latin-1"),
        (RUSSIAN, "cp1251"),
        (GREEK, "cp1253"),
        (JAPANESE, "shift_jis"),
        ("Zażółć gęślą jaźń, powiedział burmistrz.", "cp1250"),
        ("Café crème", "latin-1"),  # too short for charset-normalizer alone
        ("€100 fine", "cp1252"),
        (BRIDGE, "utf-16"),  # with a byte-order mark
        (BRIDGE, "utf-16-le"),  # without one
        (BRIDGE, "utf-16-be"),
        (BRIDGE, "utf-32"),
        (BRIDGE, "utf-8-sig"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, text: str, codec: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(codec))
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document), doc
    assert doc.text == text


def test_a_short_windows_1252_file_is_not_read_as_a_mac_code_page(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    body = ("The city council approved the mayor’s “green streets” plan on Monday by 9 votes to 4 — "
            "a plan worth €12 million, the council said.")
    path.write_bytes(f"Mayor’s plan approved\n\n{body}\n".encode("cp1252"))
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document) and (doc.title, doc.text) == ("Mayor’s plan approved", body)


def test_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(
        b"Pier reopens\r\n\r\nThe pier reopened,\r\nthe council said.\rOld Mac line.\r\n"
    )
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document)
    assert (doc.title, doc.text) == (
        "Pier reopens",
        "The pier reopened,\nthe council said.\nOld Mac line.",
    )


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(
        '<html><head><meta charset="iso-8859-1"><title>Café</title></head><body>'
        "<p>The café on the square reopened after the flood, the owner said.</p>"
        "</body></html>".encode("latin-1")
    )
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document)
    assert doc.title == "Café" and "café on the square" in doc.text


@pytest.mark.parametrize(("title", "source"), [
    # QA pass (session twelve): with no site-name metadata the outlet fell back to the file name.
    ("Brightwave to axe 1,800 jobs in latest blow to tech workers | Technology | The Guardian", "The Guardian"),
    ("&#39;Like a bomb went off&#39;: Seven dead in Delmont blast | Harwick Gazette", "Harwick Gazette"),
    ("Seven dead in Delmont blast", "page"),  # no suffix: the file name, as before
    # A section, a byline, a page or a date is no outlet (code review).
    ("Seven dead in Delmont blast - Opinion", "page"),
    ("Seven dead in Delmont blast | By Jane Doe", "page"),
    ("Seven dead in Delmont blast | Page 2", "page"),
    ("Seven dead in Delmont blast | Updated March 5, 2024", "page"),
])
def test_an_html_page_without_a_site_name_is_named_by_its_title_suffix(tmp_path: Path, title: str,
                                                                        source: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head><title>{title}</title></head><body><article><h1>{title.split(' | ')[0]}</h1>"
        "<p>An explosion at the Delmont chemical plant killed seven workers on Tuesday, police said.</p>"
        "<p>Twenty-three others were injured, and 120 residents were evacuated overnight.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document)
    assert doc.source == source and "|" not in (doc.title or "")


def test_an_embedded_social_media_post_is_not_the_pages_text(tmp_path: Path) -> None:
    # QA pass (session twelve): a blog quoted a tweet only to say it was wrong; the tweet's text
    # became the blog's own claim and a second source for it.
    path = tmp_path / "blog.html"
    path.write_text(
        "<html><head><title>What happened at the council</title></head><body><article>"
        "<h1>What happened at the council</h1>"
        "<p>The Marlow City Council did not approve the stadium subsidy on Monday, the clerk said.</p>"
        '<blockquote class="twitter-tweet"><p lang="en">Marlow council approves $42M ballpark subsidy 7-2</p>'
        "&mdash; Marlow Courier (@MarlowCourier) March 10, 2025</blockquote>"
        "<p>That tweet was wrong: members voted 5-4 to delay a final vote until April 7.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document)
    assert "did not approve" in doc.text and "5-4" in doc.text
    assert "approves $42M" not in doc.text and "@MarlowCourier" not in doc.text


# ---------------------------------------------------------------------------------------------
# Bad input: one problem each, naming the file (and line), the rest goes on

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)


def _sparse(size: int) -> Callable[[Path], None]:
    """Make a file of `size` bytes without writing them (a sparse file)."""

    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return make


# (file name, content: bytes or a function making the file, options, expected problems as
#  (location suffix after the file name, message))
BAD_INPUT = [
    ("missing.txt", None, IngestOptions(), [("", "no such file or folder")]),
    ("empty.txt", b"", IngestOptions(), [("", "empty file")]),
    ("blank.md", b" \n\t\n", IngestOptions(), [("", "empty file")]),
    ("photo.txt", PNG, IngestOptions(), [("", "binary file (looks like PNG image)")]),
    (
        "report.html",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        IngestOptions(),
        [("", "binary file (looks like PDF document)")],
    ),
    (
        "blob.txt",
        b"ab\x00\x01\x02\x03cd\x00\xff\xfe\x00\x10" * 20,
        IngestOptions(),
        [("", "binary file (not text)")],
    ),
    (
        "garbled.txt",
        bytes(range(128, 256)),
        IngestOptions(),
        [("", "not UTF-8 and no encoding could be detected")],
    ),
    (
        "huge.txt",
        _sparse(210_000_000),
        IngestOptions(),
        [("", "file is 210 MB, over the 50 MB limit (use --max-bytes)")],
    ),
    (
        "small-limit.txt",
        b"x" * 1500,
        IngestOptions(max_bytes=1000),
        [("", "file is 1.5 kB, over the 1 kB limit (use --max-bytes)")],
    ),
    (
        "feed.jsonl",
        (
            b'{"text": "The first line is fine."}\n{"text": "Broken" "line"}\n'
            b'{"text": "So is the third."}\n'
        ),
        IngestOptions(),
        [(":2", "malformed JSON at column 19 (Expecting ',' delimiter)")],
    ),
    (
        "scalars.jsonl",
        b'[1, 2]\n"just a string"\n',
        IngestOptions(),
        [
            (":1", "expected a JSON object, found a list"),
            (":2", "expected a JSON object, found a string"),
        ],
    ),
    (
        "notext.jsonl",
        b'{"title": "No body", "url": "https://x.example/1"}\n',
        IngestOptions(),
        [(":1", "no text field (fields: title, url; name it with --text-field)")],
    ),
    (
        "story.jsonl",
        b'{"text": "Not the story."}\n',
        IngestOptions(text_field="story"),
        [(":1", "missing field 'story' (fields: text)")],
    ),
    (
        "nested.jsonl",
        b'{"text": {"en": "Nested."}}\n{"text": "   "}\n',
        IngestOptions(),
        [
            (":1", "field 'text' is not text (found an object)"),
            (":2", "empty text in field 'text'"),
        ],
    ),
    (
        "broken.json",
        b'{"text": "Unclosed',
        IngestOptions(),
        [("", "malformed JSON at line 1 column 10 (Unterminated string)")],
    ),
    (
        "number.json",
        b"42",
        IngestOptions(),
        [("", "expected a JSON object or a list of objects, found a number")],
    ),
    ("emptylist.json", b"[]", IngestOptions(), [("", "empty JSON list")]),
    (
        "table.csv",
        b"title,summary\nA,B\n",
        IngestOptions(),
        [
            (
                "",
                (
                    "missing column 'text' (columns: title, summary;"
                    " name the text column with --text-field)"
                ),
            )
        ],
    ),
    (
        "named.csv",
        b"title,text\nA,The lake froze.\n",
        IngestOptions(text_field="story"),
        [("", "missing column 'story' (columns: title, text; check --text-field)")],
    ),
    (
        "rows.csv",
        b"title,text\nA,The lake froze.\nB,\n",
        IngestOptions(),
        [(":3", "empty text in field 'text'")],
    ),
    ("header.csv", b"title,text\n", IngestOptions(), [("", "no rows after the header")]),
    (
        "nav.html",
        b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>",
        IngestOptions(),
        [("", "no article text found in the HTML")],
    ),
    (
        "heading.md",
        b"# Only a heading\n",
        IngestOptions(),
        [("", "no article text besides the title")],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_is_one_clear_problem(
    tmp_path: Path,
    name: str,
    content: bytes | Callable[[Path], None] | None,
    options: IngestOptions,
    expected: list[tuple[str, str]],
) -> None:
    path = tmp_path / name
    if callable(content):
        content(path)
    elif content is not None:
        path.write_bytes(content)
    problems = [i for i in iter_documents([path], options) if isinstance(i, IngestProblem)]
    assert [(p.location, p.message) for p in problems] == [
        (str(path) + suffix, message) for suffix, message in expected
    ]


def test_a_bad_line_names_its_line_and_the_other_lines_go_on(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "One."}\n{oops\n\n{"text": "Four."}\n')
    items = list(iter_documents([path]))
    assert [(type(i).__name__, i.location) for i in items] == [
        ("Document", f"{path}:1"),
        ("IngestProblem", f"{path}:2"),
        ("Document", f"{path}:4"),
    ]
    assert items[1].line == 2


def test_a_bad_file_does_not_stop_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The ice melted in April.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(PNG)
    (tmp_path / "c.txt").write_text("The lake was stocked with trout.", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(PNG)
    items = list(iter_documents([tmp_path, tmp_path / "gone.txt"]))
    assert [(Path(i.location).name, type(i).__name__) for i in items] == [
        ("a.txt", "Document"),
        ("b.txt", "IngestProblem"),
        ("c.txt", "Document"),
        ("gone.txt", "IngestProblem"),
    ]


def test_unsupported_files_in_a_folder_can_be_reported_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The ice melted in April.", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "README").write_text("notes", encoding="utf-8")
    assert [i for i in iter_files([tmp_path]) if isinstance(i, IngestProblem)] == []
    assert [
        i
        for i in iter_files([tmp_path], IngestOptions(report_skipped=True))
        if isinstance(i, IngestProblem)
    ] == [
        IngestProblem(
            str(tmp_path / "README"), "unsupported file type (no extension), skipped", unsupported=True
        ),
        IngestProblem(
            str(tmp_path / "photo.png"), "unsupported file type '.png', skipped", unsupported=True
        ),
    ]


def test_a_file_named_explicitly_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    (tmp_path / "article.data").write_text("Pier reopens\n\nThe pier reopened.", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(PNG)
    items = list(iter_documents([tmp_path / "article.data", tmp_path / "photo.png"]))
    assert isinstance(items[0], Document) and items[0].title == "Pier reopens"
    assert items[1] == IngestProblem(
        str(tmp_path / "photo.png"), "binary file (looks like PNG image)"
    )


def test_folder_with_nothing_to_read(tmp_path: Path) -> None:
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    assert list(iter_documents([tmp_path])) == [
        IngestProblem(
            str(tmp_path),
            "folder holds no files to read (.txt, .text, .md, .markdown, .html, .htm,"
            " .xhtml, .json, .jsonl, .ndjson, .csv, .tsv)",
        )
    ]


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    assert list(iter_documents([link])) == [IngestProblem(str(link), "broken symbolic link")]


def test_unreadable_sub_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("The ice melted.", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: str | Path = ".") -> Iterator[os.DirEntry[str]]:
        # chmod cannot lock root out, so the refusal is simulated where os.walk lists folders.
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(iter_documents([tmp_path]))
    assert [(Path(i.location).name, type(i).__name__) for i in items] == [
        ("a.txt", "Document"),
        ("locked", "IngestProblem"),
    ]
    assert items[1] == IngestProblem(str(locked), "cannot read folder (Permission denied)")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        # chmod cannot lock root out, so the refusal is simulated.
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert list(iter_documents([path])) == [
        IngestProblem(str(path), "cannot read (Permission denied)")
    ]


# ---------------------------------------------------------------------------------------------
# Duplicates


def test_duplicates_are_yielded_once_and_reported() -> None:
    seen: list[tuple[str, str]] = []
    items = list(
        iter_documents(
            [CORPUS / "ferry.txt", DUPES],
            on_duplicate=lambda kept, copy: seen.append((kept.location, copy.location)),
        )
    )
    assert [i.location for i in items] == [str(CORPUS / "ferry.txt")]
    assert seen == [
        (str(CORPUS / "ferry.txt"), str(DUPES / "a" / "ferry.txt")),
        (str(CORPUS / "ferry.txt"), str(DUPES / "b" / "ferry-copy.txt")),
        (str(CORPUS / "ferry.txt"), str(DUPES / "b" / "ferry-exact.txt")),
    ]


def test_dedupe_can_be_turned_off() -> None:
    docs, _ = read_all([DUPES], IngestOptions(dedupe=False))
    assert len(docs) == 3
    assert docs[0].content_hash == docs[2].content_hash != docs[1].content_hash


def test_changed_numbers_are_not_duplicates() -> None:
    text = (CORPUS / "ferry.txt").read_text(encoding="utf-8")
    dedupe = Deduplicator()
    assert dedupe.add(make_document(text, "a", "A")) is None
    assert dedupe.add(make_document(text.replace("300", "800"), "b", "B")) is None
    assert dedupe.add(make_document(text.replace("Friday", "Friday "), "c", "C")) is not None


def test_changed_number_words_or_negations_are_not_duplicates() -> None:
    # QA pass: "three support beams" / "seven support beams" and "is expected to pass" / "is not
    # expected to pass" were dropped as near-duplicates, so the conflict never reached the index.
    text = ("Riverton officials shut the Elm Street bridge on Monday after cracks were found in three support "
            "beams. The council vote on the repair budget is expected to pass next week, aides said. ") * 3
    dedupe = Deduplicator()
    assert dedupe.add(make_document(text, "a", "A")) is None
    assert dedupe.add(make_document(text.replace("three", "seven"), "b", "B")) is None
    assert dedupe.add(make_document(text.replace("is expected", "is not expected"), "c", "C")) is None
    assert dedupe.add(make_document(text.replace("aides said", "aides  said"), "d", "D")) is not None


def test_different_articles_are_not_duplicates(corpus: dict[str, Document]) -> None:
    dedupe = Deduplicator()
    assert all(dedupe.add(doc) is None for doc in corpus.values())


# ---------------------------------------------------------------------------------------------
# Building blocks


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T23:30:00-05:00", "2024-03-05"),
        ("2024-3-5", "2024-03-05"),
        ("Tue, 05 Mar 2024 08:00:00 GMT", "2024-03-05"),
        ("March 5, 2024", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("1709625600", "2024-03-05"),
        ("1709625600000", "2024-03-05"),
        ("March 2024", None),
        ("yesterday", None),
        ("2024-02-30", None),
        ("03/05/2024", "2024-03-05"),  # figures: month first, as US feeds write them
        ("31/12/2023", "2023-12-31"),  # unless the first cannot be a month
        ("31/02/2024", None),
        ("02.04.2024", "2024-04-02"),  # dots: day first, as the countries that write them do
        ("04.13.2024", "2024-04-13"),  # unless the second cannot be a month
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_date(value: str | None, expected: str | None) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nBody one.\n\nBody two.", ("Title", "Body one.\n\nBody two.")),
        ("One paragraph only.", (None, "One paragraph only.")),
        ("Line one\nline two\n\nBody.", (None, "Line one\nline two\n\nBody.")),
        ("Title only\n\n", (None, "Title only")),
        ("A lede sentence.\n\nMore text.", (None, "A lede sentence.\n\nMore text.")),
        ("Is it a headline?\n\nYes.", ("Is it a headline?", "Yes.")),
        ("x" * 201 + "\n\nBody.", (None, "x" * 201 + "\n\nBody.")),
    ],
)
def test_split_title(text: str, expected: tuple[str | None, str]) -> None:
    assert split_title(text) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "# Head\n\nSome **bold** and _italic_ and `code`.",
            ("Head", "Some bold and italic and code."),
        ),
        (
            "Head\n====\n\nSee [the report](http://x.example) <https://y.example>.",
            ("Head", "See the report https://y.example."),
        ),
        (
            "Intro para.\n\n## Sub\n\n* one\n* two\n\n```\ncode block\n```",
            (None, "Intro para.\n\nSub\n\none\ntwo\n\ncode block"),
        ),
        ("snake_case_name stays", (None, "snake_case_name stays")),
        (
            "Head\n---\n\nText.\n\nSub\n---\nMore.\n\n***\n\nEnd.",
            ("Head", "Text.\n\nSub\n\nMore.\n\nEnd."),
        ),
        (
            "[ref]: http://x.example\n\n> Quoted words.\n\n---\n\nEnd.",
            (None, "Quoted words.\n\nEnd."),
        ),
        (
            "__Bold__ start and *nested **strong** words*",
            (None, "Bold start and nested strong words"),
        ),
    ],
)
def test_markdown_to_text(markdown: str, expected: tuple[str | None, str]) -> None:
    assert markdown_to_text(markdown) == expected


def test_make_document() -> None:
    doc = make_document(
        "  The dam  holds.\r\n\r\n\r\n\r\nIt was built in 1962.\x07 ",
        "x.txt",
        "",
        url="https://www.damnews.example/a",
        published="5 March 2024",
        title=" A\n title ",
    )
    assert doc.text == "The dam  holds.\n\nIt was built in 1962."
    assert (doc.source, doc.title, doc.published) == ("damnews.example", "A title", "2024-03-05")
    assert doc.doc_id == doc.content_hash[:16]
    assert make_document(doc.text, "y.txt", "other").content_hash == doc.content_hash


def test_make_document_refuses_empty_text() -> None:
    with pytest.raises(BadInput, match="x.txt: empty text"):
        make_document(" \n\x00 ", "x.txt", "src")


def test_unchanged_files_are_hashed_but_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("The old pier was closed in 1990.", encoding="utf-8")
    new.write_text("The new pier opened in 2024.", encoding="utf-8")
    known = {str(old): file_fingerprint(old)}
    asked: list[str] = []

    def unchanged(path: Path, fingerprint: str) -> bool:
        asked.append(path.name)
        return known.get(str(path)) == fingerprint

    read: list[str] = []
    real_read_path = read_path
    monkeypatch.setattr(
        "claimcheck.ingest.read_path",
        lambda path, options: read.append(path.name) or real_read_path(path, options),
    )
    docs, problems = read_all_with(tmp_path, unchanged)
    assert (asked, read, [d.location for d in docs], problems) == (
        ["new.txt", "old.txt"],
        ["new.txt"],
        [str(new)],
        [],
    )


def read_all_with(
    folder: Path, unchanged: Callable[[Path, str], bool]
) -> tuple[list[Document], list[IngestProblem]]:
    """`read_all` with an `unchanged` callback."""
    items = list(iter_documents([folder], unchanged=unchanged))
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, IngestProblem)],
    )


def test_file_fingerprint(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    assert file_fingerprint(a) == file_fingerprint(b) == hashlib.sha256(b"same bytes").hexdigest()
    b.write_bytes(b"other bytes")
    assert file_fingerprint(a) != file_fingerprint(b)
    with pytest.raises(BadInput, match="cannot read"):
        file_fingerprint(tmp_path / "gone.txt")


def test_csv_with_doubled_quotes_and_an_unquoted_header(tmp_path: Path) -> None:
    # Regression: sniffing the dialect from a quote-free header turned off doubled quotes.
    path = tmp_path / "bodies.csv"
    path.write_text(
        'id,articleBody\n1,"The mayor said ""no comment"", then left.\n\nShe returned at 5."\n'
        '2,"A second, quoted, body."\n',
        encoding="utf-8",
    )
    docs, problems = read_all([path])
    assert problems == []
    assert [d.text for d in docs] == [
        'The mayor said "no comment", then left.\n\nShe returned at 5.',
        "A second, quoted, body.",
    ]


# ---------------------------------------------------------------------------------------------
# Real exports from ../shared/data (skipped when absent)


def test_basil_articles_jsonl(shared_data: Path) -> None:
    path = shared_data / "basil" / "articles.jsonl"
    docs, problems = read_all([path])
    assert problems == []
    assert len(docs) == 165
    assert {d.source for d in docs} == {"fox", "nyt", "hpo"}
    assert all(d.url and d.published and len(d.published) == 10 for d in docs)
    assert sum(d.title is None for d in docs) == 1  # one row has an empty title
    assert all("\n\n" in d.text for d in docs)  # paragraphs joined with blank lines


def test_fnc1_bodies_csv_with_its_repeated_bodies(shared_data: Path) -> None:
    path = shared_data / "fnc1" / "bodies.csv"
    repeats: list[tuple[str, str]] = []
    items = list(
        iter_documents(
            [path], on_duplicate=lambda kept, copy: repeats.append((kept.location, copy.location))
        )
    )
    problems = [i for i in items if isinstance(i, IngestProblem)]
    # One body is a page of JavaScript an export kept ("var twitterVia = ..."): not English.
    assert [p.message.split(" (")[0] for p in problems] == ["1 of 456 articles do not look like English"]
    assert problems[0].warning
    assert len(items) - len(problems) + len(repeats) == 456  # every body is read, each repeat reported once
    assert len(repeats) == 5


def test_a_file_that_writes_dates_day_first_is_read_day_first(tmp_path: Path) -> None:
    rows = [("The governor said 30 bridges were closed after the storm.", "05/03/2024"),
            ("The mayor said 12 schools stayed shut because of flooding.", "{}")]
    for last, expected in (("31/12/2023", ["2024-03-05", "2023-12-31"]), ("12/31/2023", ["2024-05-03", "2023-12-31"])):
        table = tmp_path / "t.csv"
        table.write_text("text,date\n" + "".join(f'"{t}",{d.format(last)}\n' for t, d in rows), encoding="utf-8")
        docs, problems = read_all([table])
        assert problems == [] and [d.published for d in docs] == expected


@pytest.mark.parametrize(
    ("name", "content", "published", "author"),
    [
        ("a.md", "# Bridges shut\n\n*Published 2024-04-02 by Marlow Post*\n\nThe governor said 30 bridges were closed.\n",
         "2024-04-02", "Marlow Post"),
        ("b.txt", "Bridges shut\n\nPosted on March 5, 2024 by Jane Doe\nThe governor said 30 bridges were closed.\n",
         "2024-03-05", "Jane Doe"),
        ("c.txt", "Bridges shut\n\nPublished figures show 30 bridges were closed.\nMore text.\n", None, None),
        ("d.txt", "Bridges shut\nPublished 2024-04-02 by Marlow Post\n\nThe governor said 30 bridges were closed.\n",
         "2024-04-02", "Marlow Post"),  # the byline right under the title
        ("e.txt", "Bridges shut\n\nBy Jane Doe | March 5, 2024\nThe governor said 30 bridges were closed.\n",
         "2024-03-05", "Jane Doe"),
    ],
)
def test_a_byline_line_gives_the_date_and_is_not_article_text(tmp_path: Path, name: str, content: str,
                                                              published: str | None, author: str | None) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    docs, problems = read_all([tmp_path / name])
    assert problems == [] and (docs[0].published, docs[0].author) == (published, author)
    assert ("Published" in docs[0].text or "By Jane" in docs[0].text) == (published is None)
    assert docs[0].title == "Bridges shut"


def test_hugo_toml_front_matter_gives_the_metadata(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text('+++\ntitle = "Senate approves budget"\ndate = 2024-04-02T09:00:00Z\nauthors = ["Jane Doe"]\n'
                    '+++\n\nThe Senate approved the budget on Tuesday by a vote of 62 to 38.\n', encoding="utf-8")
    (doc,) = list(read_path(path))
    assert isinstance(doc, Document)
    assert (doc.title, doc.published, doc.author) == ("Senate approves budget", "2024-04-02", "Jane Doe")
    assert doc.text.startswith("The Senate approved")


def test_a_front_page_of_headline_links_is_not_an_article(tmp_path: Path) -> None:
    links = "".join(f'<li><a href="/n{i}">Headline number {i}: minister resigns over scandal in the capital</a></li>'
                    for i in range(40))
    path = tmp_path / "front.html"
    path.write_text(f"<html><head><title>News</title></head><body><nav><ul>{links}</ul></nav></body></html>")
    (problem,) = list(read_path(path))
    assert isinstance(problem, IngestProblem) and "list of links" in problem.message


GERMAN = ("Die Bundesregierung hat am Dienstag neue Maßnahmen gegen die steigenden Energiepreise beschlossen. "
          "Nach Angaben des Finanzministeriums sollen Haushalte mit niedrigem Einkommen bis zu 300 Euro erhalten. "
          "Die Opposition kritisierte das Paket als unzureichend und forderte weitere Entlastungen für Familien.")
ENGLISH = ("The government on Tuesday approved new measures against rising energy prices. According to the finance "
           "ministry, households on low incomes will receive up to 300 euros. The opposition said the package was "
           "not enough and called for more help for families and pensioners in the months to come.")


def test_text_that_does_not_look_like_english_is_indexed_with_a_warning(tmp_path: Path) -> None:
    german = tmp_path / "de.txt"
    german.write_text(GERMAN + "\n", encoding="utf-8")
    doc, warning = list(read_path(german))
    assert isinstance(doc, Document) and isinstance(warning, IngestProblem) and warning.warning
    assert warning.message.startswith("the text does not look like English: ")
    english = tmp_path / "en.txt"
    english.write_text(ENGLISH + "\n", encoding="utf-8")
    assert all(isinstance(d, Document) for d in read_path(english))
    rows = tmp_path / "feed.jsonl"
    rows.write_text("".join(json.dumps({"text": t}) + "\n" for t in (ENGLISH, GERMAN, ENGLISH)), encoding="utf-8")
    *docs, warning = list(read_path(rows))
    assert len(docs) == 3 and warning.warning
    assert warning.message.startswith(f"1 of 3 articles do not look like English (first: {rows}:2)")


def test_dates_that_none_of_the_rows_give_readably_are_a_warning(tmp_path: Path) -> None:
    rows = tmp_path / "f.jsonl"
    rows.write_text(json.dumps({"text": ENGLISH, "date": "soon"}) + "\n"
                    + json.dumps({"text": ENGLISH + " Again.", "date": "yesterday evening"}) + "\n", encoding="utf-8")
    *docs, warning = list(read_path(rows))
    assert len(docs) == 2 and warning.warning
    assert warning.message.startswith("none of the 2 dates could be read (e.g. 'soon')")
    rows.write_text(json.dumps({"text": ENGLISH, "date": "soon"}) + "\n"
                    + json.dumps({"text": ENGLISH + " Again.", "date": "2024-03-05"}) + "\n", encoding="utf-8")
    assert all(isinstance(d, Document) for d in read_path(rows))  # one readable date is enough
