"""Document metadata for ingest: building a Document, ISO dates, domains, duplicate detection."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from claimcheck.errors import BadInput
from claimcheck.ingest_decode import normalise_text
from claimcheck.types import Document

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_EPOCH = re.compile(r"^\s*\d{9,13}(?:\.\d+)?\s*$")
# Years a news article can plausibly carry; anything else is a misread number.
_YEARS = range(1800, 2200)
# dateparser is slow on long strings and they are never just a date.
_MAX_DATE_CHARS = 64
# A four-digit year; without one no date is complete, so dateparser is not asked.
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
# Languages dateparser tries for written dates. Naming them matters: left to detect the language,
# dateparser loads every locale it has (half a minute) and takes ~0.5 s per unreadable string.
DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru")
# What two near-identical texts must share to be one article: their figures, their number words
# and their negations ("three beams" / "seven beams", "expected to pass" / "not expected to pass").
_FACT_TOKENS = re.compile(
    r"\d+(?:[.,]\d+)*|n't\b|\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|zero|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|trillion|dozen|dozens)\b")
# Near-duplicate candidates share at least one of the SKETCH_SIZE smallest hashes of their
# SHINGLE_WORDS-word shingles (a bottom-k MinHash); only those are compared with rapidfuzz.
SHINGLE_WORDS = 4
_WORD = re.compile(r"\w+")
SKETCH_SIZE = 16


def make_document(text: str, location: str, source: str, **meta: str | None) -> Document:
    """Build a Document: normalise the text and metadata, then hash the text.

    Args:
        text: Article body.
        location: Where it was read from.
        source: Outlet or site; when blank, the URL's domain, else "unknown".
        **meta: Optional `title`, `url`, `published` (any date format; stored as ISO
            YYYY-MM-DD, or None when it cannot be read) and `author`.

    Returns:
        The Document; `doc_id` is the first 16 hex digits of the sha256 of its text.

    Raises:
        BadInput: When the text is empty once whitespace is normalised.
    """
    text = normalise_text(text)
    if not text:
        raise BadInput(f"{location}: empty text")
    url = _one_line(meta.get("url"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(
        doc_id=digest[:16],
        location=location,
        source=_one_line(source) or domain_of(url) or "unknown",
        title=_one_line(meta.get("title")),
        url=url,
        published=normalise_date(meta.get("published")),
        text=text,
        content_hash=digest,
        author=_one_line(meta.get("author")),
    )


def _one_line(value: str | None) -> str | None:
    """Collapse whitespace in a metadata value; blank becomes None."""
    if value is None:
        return None
    return " ".join(normalise_text(str(value)).split()) or None


# A date in figures with the year last: "05/03/2024", "31.12.2023", "3-5-2024".
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:$|[T\s,])")


def writes_day_first(values: Iterable[str | None]) -> bool:
    """Whether a file writes its numeric dates day first: some date in it can only be read so
    ("31/12/2023"), and none only month first ("12/31/2023"). Then "05/03/2024" in the same file
    is 5 March, not May 3."""
    days = months = False
    for value in values:
        match = _NUMERIC_DATE.match(value or "")
        if match:
            days = days or int(match[1]) > 12
            months = months or int(match[2]) > 12
    return days and not months


def normalise_date(value: str | None, day_first: bool = False) -> str | None:
    """A publication date as ISO `YYYY-MM-DD`, or None when it is absent or unreadable.

    Only fully specified dates count: "March 2024" or "yesterday" give None rather than a guess.
    A date with a time zone keeps the calendar day as written.

    Args:
        value: ISO 8601, RFC 2822, a Unix timestamp (seconds or milliseconds), figures with the
            year last ("05/03/2024": month first unless `day_first`, or unless the first number
            is over 12; "05.03.2024", with dots, day first), or a date written out with a
            four-digit year in one of DATE_LANGUAGES ("5 March 2024", "5 мая 2020").
        day_first: Read an ambiguous numeric date day first (see `writes_day_first`).

    Returns:
        The ISO date, or None.
    """
    if value is None:
        return None
    value = str(value).strip()
    match = _NUMERIC_DATE.match(value)
    if match:  # read here, not by dateparser, which reads "05/03/2024" month first whatever the file
        first, second, year = (int(g) for g in match.groups())
        # Dots are the day-first countries' separator ("02.04.2024" is 2 April in Germany,
        # Russia, ...); the United States writes slashes.
        dotted = "." in value[match.start(1) : match.end(2)]
        day_first = (day_first or first > 12 or dotted) and second <= 12
        month, day = (second, first) if day_first else (first, second)
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        return found.isoformat() if found.year in _YEARS else None
    return _normalise_date(value)


@functools.lru_cache(maxsize=4096)
def _normalise_date(value: str) -> str | None:
    """`normalise_date` on a stripped string, cached: a feed repeats the same few dates."""
    if not value or len(value) > _MAX_DATE_CHARS:
        return None
    found = _iso(value) or _epoch(value) or _rfc2822(value)
    if found is None and _YEAR.search(value):
        found = _dateparser(value)
    return found.isoformat() if found is not None and found.year in _YEARS else None


def _iso(value: str) -> date | None:
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _epoch(value: str) -> date | None:
    if not _EPOCH.match(value):
        return None
    seconds = float(value)
    if seconds > 1e11:  # Milliseconds, as JavaScript and many APIs write them.
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _rfc2822(value: str) -> date | None:
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _dateparser(value: str) -> date | None:
    import dateparser  # Slow to import and to warm up; only for dates in free-form words.

    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        # No relative dates: "yesterday" depends on when the build runs, not on the article.
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    }
    try:
        parsed = dateparser.parse(value, languages=list(DATE_LANGUAGES), settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors; a date is optional.
        return None
    return parsed.date() if parsed is not None else None


def domain_of(url: str | None) -> str | None:
    """The host of an http(s) URL without `www.` ("bbc.co.uk"), or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or not host or "." not in host:
        return None
    return host.removeprefix("www.")


@dataclass(frozen=True)
class _Seen:
    """What the Deduplicator keeps of one document."""

    doc: Document
    key: str
    length: int
    numbers: tuple[str, ...]


class Deduplicator:
    """Remembers the documents seen so far and spots the same article seen again.

    Exact copies are found by content hash. Near-identical copies (a changed byline, a fixed typo,
    different boilerplate) are found by rapidfuzz's ratio on the first `prefix_chars` characters
    of the whitespace-collapsed, lower-cased text. Comparing every pair would be quadratic (minutes
    for 5,000 articles), so only candidates are compared: documents of similar length (a ratio of
    97 cannot hold between texts whose lengths differ by more than about 6 %) that share a
    shingle hash in their bottom-k MinHash sketches, which near-identical texts almost surely do.

    Two texts whose numbers, number words or negations differ are never near-duplicates, however
    alike: "300 residents" against "800 residents", "three beams" against "seven beams", "is
    expected to pass" against "is not expected to pass" are exactly the conflicts claimcheck
    exists to show.
    """

    def __init__(self, ratio: float = 97.0, prefix_chars: int = 2000) -> None:
        """Args:
        ratio: rapidfuzz ratio (0-100) at or above which two texts are the same article;
            above 100 turns near-duplicate detection off (exact copies are still found).
        prefix_chars: How much of each text to compare.
        """
        self.ratio = ratio
        self.prefix_chars = prefix_chars
        self._by_hash: dict[str, Document] = {}
        self._seen: list[_Seen] = []
        self._by_shingle: dict[int, list[int]] = {}

    def add(self, doc: Document) -> Document | None:
        """Record `doc`, or return the earlier document it duplicates (then `doc` is not recorded).

        Args:
            doc: A document just read.

        Returns:
            None when `doc` is new; else the earlier copy of the same article.
        """
        if doc.content_hash in self._by_hash:
            return self._by_hash[doc.content_hash]
        self._by_hash[doc.content_hash] = doc
        if self.ratio > 100:
            return None
        collapsed = " ".join(doc.text.split()).lower()
        seen = _Seen(
            doc, collapsed[: self.prefix_chars], len(collapsed), tuple(_FACT_TOKENS.findall(collapsed))
        )
        sketch = _sketch(seen.key)
        near = self._near(seen, sketch)
        if near is not None:
            del self._by_hash[doc.content_hash]
            return near
        self._seen.append(seen)
        for shingle in sketch:
            self._by_shingle.setdefault(shingle, []).append(len(self._seen) - 1)
        return None

    def _near(self, new: _Seen, sketch: list[int]) -> Document | None:
        """The most similar earlier candidate, if it is near-identical to `new`."""
        from rapidfuzz import fuzz, process

        # ratio = 2*matches/(len_a+len_b) >= r needs the shorter to be >= r/(2-r) of the longer.
        share = self.ratio / 100 / (2 - self.ratio / 100)
        candidates: dict[int, str] = {}
        for shingle in sketch:
            for i in self._by_shingle.get(shingle, ()):
                old = self._seen[i]
                if (
                    i not in candidates
                    and old.numbers == new.numbers
                    and share * old.length <= new.length <= old.length / share
                ):
                    candidates[i] = old.key
        if not candidates:
            return None
        best = process.extractOne(new.key, candidates, scorer=fuzz.ratio, score_cutoff=self.ratio)
        return self._seen[best[2]].doc if best is not None else None


def _sketch(key: str) -> list[int]:
    """The bottom-k MinHash sketch of a text's word shingles (the whole text when it is short)."""
    # Words without punctuation, so that curly against straight quotes changes no shingle.
    words = _WORD.findall(key)
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    # hash() is salted per process, which is fine: sketches live only as long as one ingest run.
    return sorted(hash(s) for s in shingles)[:SKETCH_SIZE]
