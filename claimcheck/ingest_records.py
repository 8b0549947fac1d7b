"""Ingest readers for structured formats: JSON, JSON Lines and CSV/TSV, with a field map.

Each reader yields a `Record` per article and a `RowError` for one bad row (the other rows go on);
a problem with the whole file raises `BadInput`. Field names come from the field map, else from
the usual names of news APIs and exports (text/body/content, title/headline, ...).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from claimcheck.errors import BadInput
from claimcheck.ingest_text import Record, RowError, clean

# Default field names, tried in order; the first one present in a record wins.
TEXT_FIELDS = ("text", "body", "content", "articleBody", "article", "paragraphs", "maintext")
TITLE_FIELDS = ("title", "headline", "name")
SOURCE_FIELDS = ("source", "outlet", "publisher", "site", "site_name", "sitename", "source_name")
DATE_FIELDS = (
    "date",
    "published",
    "publishedAt",
    "published_at",
    "pubDate",
    "datePublished",
    "date_publish",
    "publish_date",
    "publication_date",
)
URL_FIELDS = ("url", "link", "canonical_url", "href")
AUTHOR_FIELDS = ("author", "authors", "byline", "creator")


# Tags that end a paragraph or line in an HTML body, and any other tag.
_HTML_BLOCK = re.compile(
    r"<(?:/?(?:p|div|li|h[1-6]|blockquote|section|article)|br\s*/?)\b[^>]*>", re.IGNORECASE
)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold what; None means "try the defaults"."""

    text: str | None = None
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None


def read_json(text: str, fields: FieldMap) -> Iterator[Record | RowError]:
    """Read a JSON object (one article), a list of them, or an object wrapping such a list.

    A file that is really JSON Lines (several objects one after another) is read as JSON Lines.

    Raises:
        BadInput: Malformed JSON, or JSON that holds no article objects.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from read_jsonl(text, fields)
            return
        raise BadInput(
            f"malformed JSON at line {exc.lineno} column {exc.colno} ({_reason(exc)})"
        ) from exc
    except RecursionError as exc:
        raise BadInput("malformed JSON (nested too deeply)") from exc
    if isinstance(data, dict):
        items = _wrapped_list(data, fields)
        if items is None:
            yield _record(data, "", fields)
            return
        data = items
    if not isinstance(data, list):
        raise BadInput(f"expected a JSON object or a list of objects, found {_json_kind(data)}")
    if not data:
        raise BadInput("empty JSON list")
    for number, item in enumerate(data, start=1):
        where = f"#{number}"
        if isinstance(item, dict):
            yield _record(item, where, fields)
        else:
            yield RowError(where, f"expected a JSON object, found {_json_kind(item)}")


def _wrapped_list(data: dict[str, object], fields: FieldMap) -> list[object] | None:
    """The article list of a wrapper such as a news API's `{"articles": [...]}`, if it is one."""
    if _find_key(data, fields.text, TEXT_FIELDS) is not None:
        return None
    lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    return lists[0] if len(lists) == 1 else None


def read_jsonl(text: str, fields: FieldMap) -> Iterator[Record | RowError]:
    """Read JSON Lines: one article object per line; a bad line is one `RowError`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f":{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RowError(where, f"malformed JSON at column {exc.colno} ({_reason(exc)})", number)
            continue
        except RecursionError:
            yield RowError(where, "malformed JSON (nested too deeply)", number)
            continue
        if isinstance(item, dict):
            record = _record(item, where, fields)
            yield (
                RowError(where, record.message, number) if isinstance(record, RowError) else record
            )
        else:
            yield RowError(where, f"expected a JSON object, found {_json_kind(item)}", number)


def read_csv(
    text: str, fields: FieldMap, delimiter: str | None = None
) -> Iterator[Record | RowError]:
    """Read a CSV (or TSV) export: a header row, then one article per row.

    Raises:
        BadInput: No header, or no text column. (A title, source, date or URL column named in
            `fields` that is absent leaves that field empty; the reader's caller warns.)
    """
    # Article bodies overflow csv's default 128 KiB field limit; the file size limit still holds.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _delimiter(text))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise BadInput("empty CSV") from None
    except csv.Error as exc:
        raise BadInput(f"malformed CSV at line {reader.line_num} ({exc})") from exc
    columns = ", ".join(header)
    if fields.text is not None and _find_key(dict.fromkeys(header), fields.text, ()) is None:
        raise BadInput(f"missing column '{fields.text}' (columns: {columns}; check --text-field)")
    if _find_key(dict.fromkeys(header), fields.text, TEXT_FIELDS) is None:
        raise BadInput(
            f"missing column 'text' (columns: {columns}; name the text column with --text-field)"
        )
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            if not rows:
                raise BadInput("no rows after the header") from None
            return
        except csv.Error as exc:
            yield RowError(f":{start}", f"malformed CSV ({exc})", start)
            return  # The reader cannot resynchronise after a broken quote.
        rows += 1
        if not any(cell.strip() for cell in row):
            continue
        record = _record(dict(zip(header, row, strict=False)), f":{start}", fields)
        yield (
            RowError(record.where, record.message, start)
            if isinstance(record, RowError)
            else record
        )


def _delimiter(text: str) -> str:
    """The delimiter of a CSV export, sniffed from its header line (comma when unsure).

    Only the delimiter is sniffed: from one line the sniffer also guesses quoting, and guesses it
    wrong (no doubled quotes) whenever the header itself has no quotes.
    """
    header = text[:8192].split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


# ---------------------------------------------------------------------------------------------
# Field mapping


def _record(item: Mapping[str, object], where: str, fields: FieldMap) -> Record | RowError:
    """Map one JSON object or CSV row onto a Record, by the field map or the default names."""
    key = _find_key(item, fields.text, TEXT_FIELDS)
    if key is None:
        names = ", ".join(map(str, item)) or "none"
        if fields.text is not None:
            return RowError(where, f"missing field '{fields.text}' (fields: {names})")
        return RowError(where, f"no text field (fields: {names}; name it with --text-field)")
    text = _as_text(item[key])
    if text is None:
        return RowError(where, f"field '{key}' is not text (found {_json_kind(item[key])})")
    if not text.strip():
        return RowError(where, f"empty text in field '{key}'")
    return Record(
        text=text,
        where=where,
        title=_pick(item, fields.title, TITLE_FIELDS),
        source=_pick(item, fields.source, SOURCE_FIELDS),
        url=_pick(item, fields.url, URL_FIELDS),
        published=_pick(item, fields.date, DATE_FIELDS),
        author=_pick(item, None, AUTHOR_FIELDS),
        fields=tuple(map(str, item)),
    )


def _find_key(
    item: Mapping[str, object], wanted: str | None, defaults: tuple[str, ...]
) -> str | None:
    """The key holding a field: the one named, else the first default, case-insensitively."""
    names = (wanted,) if wanted is not None else defaults
    lowered = {str(k).lower(): k for k in item}
    for name in names:
        if name in item:
            return name
        if name.lower() in lowered:
            return str(lowered[name.lower()])
    return None


def _pick(item: Mapping[str, object], wanted: str | None, defaults: tuple[str, ...]) -> str | None:
    """A short metadata value (title, source, date...) as a clean string, or None."""
    key = _find_key(item, wanted, defaults)
    if key is None:
        return None
    value = item[key]
    if isinstance(value, dict):
        # News APIs nest the outlet: {"source": {"id": "bbc-news", "name": "BBC News"}}.
        value = value.get("name") or value.get("title") or value.get("id")
    if isinstance(value, list):
        value = ", ".join(
            str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()
        )
    if isinstance(value, bool) or value is None:
        return None
    return clean(str(value)) if isinstance(value, (str, int, float)) else None


def _as_text(value: object) -> str | None:
    """An article body: a string, or a list of paragraphs (BASIL's `paragraphs`) joined; HTML
    markup in it (CMS exports often store the body as HTML) becomes plain paragraphs."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value if v.strip())
    if not isinstance(value, str):
        return None
    if _HTML_BLOCK.search(value):
        value = _HTML_TAG.sub("", _HTML_BLOCK.sub("\n\n", value))
        value = html.unescape(value)
    return value


def _reason(exc: json.JSONDecodeError) -> str:
    """json's message without its dangling position words ("Unterminated string starting at")."""
    return re.sub(r"\s+(?:starting )?at$", "", exc.msg)


def _json_kind(value: object) -> str:
    """A JSON value's type in JSON's words, for messages."""
    kinds = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return kinds.get(type(value), type(value).__name__)
