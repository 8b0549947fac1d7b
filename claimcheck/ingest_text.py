"""Ingest readers for prose formats: plain text, Markdown and HTML become article `Record`s.

Each reader takes the whole decoded text of one file (or of stdin) and yields a `Record` per
article; a problem with the whole file raises `BadInput`. Readers know nothing about paths, sizes
or encodings; `claimcheck.ingest` handles those and turns records into `Document`s. The structured
formats (JSON, JSON Lines, CSV) are in `claimcheck.ingest_records`.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from claimcheck.errors import BadInput
from claimcheck.ingest_meta import normalise_date

# A first line longer than this is a paragraph, not a title.
MAX_TITLE_CHARS = 200
# Words trafilatura sometimes takes for an author from a byline like "Posted on ... by ...".
_NOT_AUTHORS = frozenset({"posted", "by", "admin", "administrator", "staff", "editor", "unknown"})
# Fewer words than this extracted from a web page means there was no article in it.
MIN_HTML_WORDS = 5


@dataclass(frozen=True)
class Record:
    """One article as a reader found it, before normalisation.

    Attributes:
        text: The article body.
        where: Suffix that locates it inside its file (`:7` for line 7, `#3` for the third item
            of a JSON list), empty for a one-article file.
        title: Title when the format carries one.
        source: Outlet, site name or domain when the format carries one.
        url: URL when the format carries one.
        published: Publication date as written (not yet normalised).
        author: Author when the format carries one.
        fields: The names of the row's fields (JSON, JSON Lines, CSV), for messages.
    """

    text: str
    where: str = ""
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    """One row of a multi-article file that could not be used."""

    where: str
    message: str
    line: int | None = None


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown


def split_title(text: str) -> tuple[str | None, str]:
    """Split off a first line that is followed by a blank line, the usual saved-article layout.

    Args:
        text: Normalised text (`\\n` line ends).

    Returns:
        (title or None, body). A lone paragraph keeps its first line: there is no body without it.
        A first line ending in "." is a lede sentence, not a headline, so it stays in the body.
    """
    head, sep, rest = text.strip().partition("\n\n")
    if sep and "\n" not in head and _title_like(head) and rest.strip():
        return head.strip(), rest.strip()
    return None, text.strip()


def _title_like(line: str) -> bool:
    """Short enough for a title, and not ending as a sentence does."""
    return len(line) <= MAX_TITLE_CHARS and not line.rstrip().endswith(".")


# A byline line at the top of the body: "Published 2024-04-02 by Marlow Post", "Posted on
# March 5, 2024 by Jane Doe", "Updated: 5 March 2024". It is metadata, not a claim.
_BYLINE = re.compile(
    r"^\W*(?:published|posted|updated|first published)\W*(?:on\s+)?(?P<date>.+?)(?:\s+by\s+(?P<who>[^\n]{2,80}?))?\W*$",
    re.IGNORECASE,
)


# "By Jane Doe | March 5, 2024", "By Jane Doe - 2024-03-05": an author, a separator, a date.
_BY_DATE = re.compile(r"^\W*by\s+(?P<who>[^|•·—–-]{2,80}?)\s*[|•·—–-]\s*(?P<date>[^|•·—–]+?)\W*$", re.IGNORECASE)


def split_byline(body: str) -> tuple[str | None, str | None, str]:
    """(date as written, author, body without it) when the body opens with a byline line whose
    date can be read; otherwise (None, None, body)."""
    first, _, rest = body.partition("\n")
    line = first.strip()
    match = (_BYLINE.match(line) or _BY_DATE.match(line)) if len(first) <= 160 else None
    if match is None or normalise_date(match["date"]) is None or not rest.strip():
        return None, None, body
    return match["date"], match["who"], rest.strip()


def read_text(text: str) -> Iterator[Record]:
    """Read a plain-text article (first line is the title when a blank line follows it; a
    byline line after it gives the date)."""
    title, body = split_title(text)
    if title is None:  # "Senate approves budget\nPublished 2024-04-02 by Marlow Post\n\n...": no blank line
        head, _, rest = text.strip().partition("\n")
        published, author, after = split_byline(rest)
        if published is not None and _title_like(head):
            yield Record(text=after, title=head.strip(), published=published, author=author)
            return
    published, author, body = split_byline(body)
    yield Record(text=body, title=title, published=published, author=author)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1")
# Underscores mark emphasis only at word edges, so snake_case_names survive.
_UNDERSCORE = re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_CODE = re.compile(r"`([^`]*)`")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Read simple `key: value` YAML front matter (Jekyll/Hugo exports), or Hugo's TOML front
    matter between `+++` lines, and strip it."""
    toml = _TOML_FRONT_MATTER.match(text)
    if toml:
        import tomllib

        try:
            table = tomllib.loads(toml.group(1))
        except tomllib.TOMLDecodeError:
            table = {}
        flat = {k: (", ".join(map(str, v)) if isinstance(v, list) else str(v))
                for k, v in table.items() if not isinstance(v, dict)}
        return flat, text[toml.end() :]
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _first(meta: dict[str, str], *names: str) -> str | None:
    """The first front-matter value present under any of `names` (case-insensitive)."""
    lowered = {key.lower(): value for key, value in meta.items()}
    return next((clean(lowered[n]) for n in names if clean(lowered.get(n))), None)


def _strip_inline(line: str) -> str:
    """Drop inline Markdown markup, keeping the words a reader sees."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _TAG.sub("", line)
    # Emphasis markers twice, for nested **_bold italic_**.
    for _ in range(2):
        line = _UNDERSCORE.sub(r"\2", _EMPHASIS.sub(r"\2", line))
    return line


def markdown_to_text(text: str) -> tuple[str | None, str]:
    """Turn Markdown into plain paragraphs and find its title.

    Args:
        text: Markdown source without front matter.

    Returns:
        (title, body): the title is the first heading when the document opens with one, else a
        first line followed by a blank line, as for plain text.
    """
    lines: list[str] = []
    title: str | None = None
    for raw in text.split("\n"):
        if _SETEXT.match(raw) and lines and lines[-1].strip():
            # An underline (before the rule check: "---" is both) makes the line above a heading.
            above = lines.pop().strip()
            if title is None and not any(line.strip() for line in lines):
                title = above
            else:
                lines.extend(["", above, ""])
            continue
        if _FENCE.match(raw) or _RULE.match(raw) or _LINK_DEF.match(raw):
            lines.append("")
            continue
        heading = _HEADING.match(raw)
        if heading:
            words = _strip_inline(heading.group(1)).strip()
            if title is None and not any(line.strip() for line in lines):
                title = words
            else:
                lines.extend(["", words, ""])
            continue
        lines.append(_strip_inline(_LIST_MARK.sub("", _QUOTE.sub("", raw))).rstrip())
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if title is None:
        return split_title(body)
    return title or None, body


def read_markdown(text: str) -> Iterator[Record]:
    """Read a Markdown article; front matter may give its title, date, source, URL and author."""
    meta, text = _front_matter(text)
    heading, body = markdown_to_text(text)
    dated, by, body = split_byline(body)
    yield Record(
        text=body,
        title=_first(meta, "title", "headline") or heading,
        source=_first(meta, "source", "publisher", "site", "outlet"),
        url=_first(meta, "url", "link", "canonical_url", "permalink"),
        published=_first(meta, "date", "published", "publishdate", "pubdate") or dated,
        author=_first(meta, "author", "authors", "byline") or by,
    )


# ---------------------------------------------------------------------------------------------
# HTML


def read_html(html: str) -> Iterator[Record]:
    """Read a saved web page: main text via trafilatura, without navigation, comments or ads.

    Raises:
        BadInput: When no article text can be found in the page.
    """
    import trafilatura  # Heavy-ish import, needed only on the build path.

    html = _without_embedded_posts(html)
    try:
        found = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup.
        raise BadInput(f"could not parse the HTML ({type(exc).__name__})") from exc
    text = (getattr(found, "text", None) or "") if found is not None else ""
    # A page of navigation alone still yields a word or two ("Home"); that is not an article.
    if len(text.split()) < MIN_HTML_WORDS:
        raise BadInput("no article text found in the HTML")
    title = clean(getattr(found, "title", None))
    # trafilatura puts one block per line; blank lines make them paragraphs like other formats.
    blocks = [line.strip() for line in text.split("\n") if line.strip()]
    if _mostly_links(html, blocks):
        raise BadInput("the page is a list of links (a front or section page), not an article")
    if title and blocks and blocks[0] == title and len(blocks) > 1:
        blocks = blocks[1:]
    published = clean(getattr(found, "date", None)) or _htmldate(html)
    url = clean(getattr(found, "url", None))
    yield Record(
        text="\n\n".join(blocks),
        title=title,
        source=clean(getattr(found, "sitename", None)) or _title_site(html, title),
        url=url if url and url.startswith(("http://", "https://")) else None,
        published=published,
        author=_author(getattr(found, "author", None)),
    )


# Embedded social-media posts (Twitter/X, Instagram, TikTok, Facebook, Bluesky, Threads, Mastodon):
# what someone else posted, quoted by the page; kept, their text became the outlet's own claims
# ("Marlow council approves $42M ballpark subsidy 7-2", quoted by a blog only to say it was wrong,
# then counted as a second source) and their signature line a claim of its own.
_EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "bluesky-embed",
                  "text-post-media", "mastodon-embed")
_EMBED_RE = re.compile(
    r"<blockquote\b[^>]*\bclass\s*=\s*[\"'][^\"']*\b(?:" + "|".join(_EMBED_CLASSES) + r")\b[^>]*>.*?</blockquote>",
    re.IGNORECASE | re.DOTALL,
)


def _without_embedded_posts(html: str) -> str:
    """The page without its embedded social-media posts (an embed is one <blockquote>)."""
    if not any(name in html for name in _EMBED_CLASSES):
        return html
    return _EMBED_RE.sub("", html)


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•:-]{1,2}\s+")
# What else a <title> ends with: a section, a byline, a page or a date.
_SECTION_WORDS = frozenset({
    "opinion", "editorial", "editorials", "analysis", "comment", "commentary", "news", "world", "politics",
    "business", "technology", "tech", "science", "health", "sport", "sports", "culture", "arts", "entertainment",
    "lifestyle", "travel", "video", "videos", "live", "blog", "blogs", "home", "local", "national", "us", "uk",
    "europe", "asia", "africa", "americas", "middle east", "economy", "markets", "money", "climate", "environment",
    "letters", "features", "feature", "interview", "review", "reviews", "obituaries", "breaking news", "latest news",
})
_NOT_A_SITE = re.compile(r"^(?:by|page|part|updated|published|posted|photos?|watch)\b|\d{4}|\b\d{1,2},", re.IGNORECASE)
# (searched: a date anywhere in the part, "March 5, 2024", is no outlet either)


def _title_site(html: str, title: str | None) -> str | None:
    """The outlet a page names only after its headline in <title>, when it has no site-name
    metadata: "Brightwave to axe 1,800 jobs | Technology | The Guardian" -> "The Guardian" (the
    last part after the headline trafilatura found; a section name may come between)."""
    match = _TITLE_TAG.search(html[:200_000])
    if not title or match is None:
        return None
    raw = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())
    head = " ".join(title.split())
    if not raw.startswith(head) or raw == head:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(raw[len(head):]) if p.strip()]
    if not _TITLE_SEPARATORS.match(raw[len(head):]) or not parts:
        return None
    site = parts[-1]
    if len(site) > 50 or not 1 <= len(site.split()) <= 6 or not site[:1].isupper() \
            or site.lower() in _SECTION_WORDS or _NOT_A_SITE.search(site):
        return None
    return site


LINK_LIST_SHARE = 0.8  # of the extracted blocks that are whole link texts


def _mostly_links(html: str, blocks: list[str]) -> bool:
    """Whether the text found is mostly the texts of links: a front page of headlines, which
    trafilatura falls back to when a page has no article."""
    if len(blocks) < 3:
        return False
    import lxml.html

    try:
        links = {" ".join(a.text_content().split()) for a in lxml.html.fromstring(html).iter("a")}
    except (ValueError, lxml.etree.ParserError):
        return False
    linked = sum(" ".join(b.lstrip("-*• ").split()) in links for b in blocks)
    return linked >= LINK_LIST_SHARE * len(blocks)


def _author(value: str | None) -> str | None:
    """trafilatura's author, unless it is a byline's filler word ("Posted", "Admin")."""
    author = clean(value)
    return None if author is None or author.lower() in _NOT_AUTHORS else author


def _htmldate(html: str) -> str | None:
    """Publication date by htmldate, for pages where trafilatura's metadata has none."""
    try:
        from htmldate import find_date

        return find_date(html, original_date=True, extensive_search=False)
    except Exception:  # noqa: BLE001 - a date is optional: an unparseable page has none.
        return None


def clean(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes None."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
