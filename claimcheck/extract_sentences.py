"""Sentence segmentation for claim extraction: lines, credits, datelines and quote-safe sentences.

spaCy's parser finds sentence boundaries inside a line; the rules here repair what news text
breaks: a newline is always a boundary (headlines, captions and lines without a final period),
photo credits glued to the next sentence are masked out, and a sentence never ends inside an
open quotation or right after a title abbreviation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

# "Photo: AFP/Getty Images", "Image copyright Reuters", "(AP Photo/Evan Vucci)" and the like.
_CREDIT_RE = re.compile(
    r"^\(?\s*(?:photo|photos|photograph|image|images|picture|video|file photo|credit|"
    r"photo credit|image copyright|image caption)\b\s*(?:copyright|credit|by)?\s*[:|/-]?\s*",
    re.IGNORECASE,
)
_AGENCY_RE = re.compile(
    r"\b(?:AFP|AP|Reuters|Getty|Images|EPA|Shutterstock|Bloomberg|Xinhua|Anadolu|Sputnik|"
    r"TASS|pool|file|handout)\b",
    re.IGNORECASE,
)
# A lower-case letter immediately followed by "Upper lower": where a credit is glued to a sentence.
_GLUE_RE = re.compile(r"(?<=[a-z)])(?=[A-Z][a-z])")
_BYLINE_RE = re.compile(
    r"^(?:by|written by|reporting by|editing by|compiled by)\s+[A-Z][\w.'’-]*"
    r"(?:[ ,]+(?:and\s+)?[A-Z][\w.'’-]*){0,8}\s*(?:[|,;-].{0,40})?$",
    re.IGNORECASE,
)
# "WASHINGTON (Reuters) - ", "DAMASCUS, Syria — ", "LONDON: ": a place in capitals and a dash.
_DATELINE_RE = re.compile(
    # "KYIV, Ukraine, March 11 (AFP) - ", "NEW YORK, N.Y., Monday, March 11 (AP) - ", "BEIJING, China,
    # 2024-03-11 (Xinhua) -- ": a region, a day and a date may follow the place
    r"^(?:[A-Z][A-Z .'’-]{2,30}(?:,\s*(?:[A-Z][\w .]{1,25}|\d{4}-\d{2}-\d{2})){0,3}\s*(?:\([\w .&]{1,25}\))?"
    # "Denver (AP) – ": a place in ordinary capitals, then the agency
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}(?:,\s*[A-Z][\w .]{1,25})?\s*\((?:AP|Reuters|AFP|UPI|dpa|Xinhua)\))"
    r"\s*[-—–:]{1,2}\s+"
)
# Sentences about the publication, not the world: copyright and reprint notices, credits for
# reporting, reading links and disclaimers. Agency copy carries them into every outlet that
# prints it ("Copyright 2024 The Associated Press. All rights reserved."), where they would
# corroborate each other across sources. A correction or an "UPDATE:" states a fact, and stays.
_NOTICE_START_RE = re.compile(
    r"^[\s\"“'‘(]*(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d{4}|all rights reserved"
    r"|(?:related|read more|read also|also read|see also|more on this|watch|listen|recommended|"
    r"trending|most read|editor['’]?s note|disclaimer)\s*[:|])",
    re.IGNORECASE,
)
# A credit for the reporting, without a verb of its own: "Additional reporting by Tom Brown in
# London." ("Reporting by the Guardian revealed that ..." is news).
_CREDIT_LINE_RE = re.compile(
    r"^[\s(]*(?:additional |contributing )?(?:reporting|editing|writing)(?: and \w+)? by\b"
    r"(?!.*\b(?:found|finds|revealed|reveals|showed|shows|suggested|suggests|said|says|has|have|had|is|are|was|were)\b)",
    re.IGNORECASE,
)
_NOTICE_LINE_RE = re.compile(  # the whole sentence, nothing else in it
    r"^(?:terms of (?:use|service)|privacy policy)(?: and (?:terms of (?:use|service)|privacy policy))?"
    r"(?: apply)?[.!]?$",
    re.IGNORECASE,
)
_NOTICE_ANYWHERE_RE = re.compile(
    r"\ball rights reserved\b"
    r"|\bthis (?:material|article|content|story) may not be (?:re)?(?:published|produced|broadcast|rewritten|copied|"
    r"distributed|redistributed)"
    r"|\bcontributed(?: reporting)? to this (?:report|story|article)\b"
    r"|\bthis (?:article|story|report|post|piece|material) (?:was|has been|had been|is) "
    r"(?:(?:originally|first) (?:published|posted|appeared)|updated|republished)\b"
    r"|\btrust principles\b"
    r"|\bviews expressed in this (?:article|story|piece|post|column)\b"
    # appeals to the reader: "Contact our newsroom on ...", "Contact the author"
    r"|\bcontact (?:us|our newsroom|the newsroom) (?:at|on|via|by)\b|\bcontact the author\b"
    r"|\bsupport our journalism\b"
    r"|\bsecurely (?:on|via) (?:signal|whatsapp)\b"
    # the signature of an embedded post: "Harwick Fire Service (@HarwickFire) March 12, 2025"
    r"|\(@\w{1,30}\)\s*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}",
    re.IGNORECASE,
)
# "please consider becoming a supporter for $5 a month": an appeal, not "Ukraine's bid to become
# a member of the European Union".
_APPEAL_RE = re.compile(r"\bbecom(?:e|ing) a (?:paying )?(?:supporter|member|subscriber|patron)\b", re.IGNORECASE)
_APPEAL_CUE_RE = re.compile(r"\b(?:please|consider|today|join us)\b|[$£€]\s?\d", re.IGNORECASE)
_OPENERS = frozenset({"“", "«"})
_CLOSERS = frozenset({"”", "»"})
_OPENER_IDS = frozenset(get_string_id(q) for q in _OPENERS)
_CLOSER_IDS = frozenset(get_string_id(q) for q in _CLOSERS)
_STRAIGHT_IDS = frozenset(get_string_id(q) for q in ('"', "''", "``"))
# Abbreviations that precede a name or number, so a boundary right after them is wrong.
_TITLE_ABBREVIATIONS = frozenset(
    {
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "gen.",
        "sen.",
        "rep.",
        "gov.",
        "lt.",
        "col.",
        "sgt.",
        "st.",
        "no.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "capt.",
        "cmdr.",
        "adm.",
        "pres.",
        "rev.",
        "hon.",
        "vs.",
        "v.",
    }
)


@dataclass(frozen=True)
class Line:
    """One non-empty line of a document, with its kind and offset in the document text."""

    start: int
    text: str
    kind: str  # "body" | "title" | "credit" | "byline"


def mask_credit(line: str) -> tuple[str, str]:
    """Split a leading photo credit off a line.

    Returns:
        (credit, rest): the credit text ("" when none) and the remainder of the line, both
        taken so that len(credit) + len(rest) == len(line).
    """
    head = _CREDIT_RE.match(line)
    if not head:
        return "", line
    glue = _GLUE_RE.search(line, head.end())
    if glue and glue.start() - head.end() <= 60:
        return line[: glue.start()], line[glue.start() :]
    if len(line) <= 90 or _AGENCY_RE.search(line[: head.end() + 40]):
        return line, ""
    return "", line


# Words a sentence does not end on: a line that ends on one was wrapped ("It will open in" /
# "March 2025, the council said.").
_OPEN_ENDINGS = frozenset({
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "with", "by", "from", "into", "than", "its", "their",
})


def _wrapped(line: str, following: str) -> bool:
    """Whether `following` continues the sentence `line` was cut in, by a hard wrap: the line
    has no final punctuation and the next one starts in lower case ("The new stadium in the city
    centre" / "holds 50,000 fans"), or the line ends on a word no sentence ends on."""
    line, following = line.rstrip(), following.lstrip()
    if not line or not following or line[-1] in ".!?:;\"”’')…" or following[0] in "-*•#>":
        return False
    words = line.split()
    if sum(w[:1].isupper() for w in words) > 0.6 * len(words) > 1:
        return False  # a heading in title case ("5. The App Was Only Added to Apple TV") over a tag line
    return following[0].islower() or following[0].isdigit() or words[-1].lower() in _OPEN_ENDINGS


def _unwrap(text: str) -> Iterator[tuple[int, str]]:
    """(offset, raw line) for each line of `text`, with hard-wrapped lines of one sentence joined
    by a space in place of their line break (so every offset still points into `text`)."""
    offset = 0
    raws = text.split("\n")
    i = 0
    while i < len(raws):
        start, joined = offset, raws[i]
        offset += len(raws[i]) + 1
        while i + 1 < len(raws) and _wrapped(joined, raws[i + 1]) and not _BYLINE_RE.match(raws[i + 1].strip()):
            i += 1
            joined += " " + raws[i]
            offset += len(raws[i]) + 1
        yield start, joined
        i += 1


def split_lines(text: str) -> Iterator[Line]:
    """Yield the lines of `text` with offsets, credits split off and kinds set.

    A first line without final punctuation followed by a blank line is the headline; it is
    kept as a line of its own so it never glues onto the first paragraph. Lines of one sentence
    cut by a hard wrap are one line (see `_wrapped`).
    """
    first = True
    for start, raw in _unwrap(text):
        body = raw
        stripped = body.strip()
        if not stripped:
            continue
        start += len(body) - len(body.lstrip())
        credit, rest = mask_credit(stripped)
        if credit:
            yield Line(start, credit, "credit")
            start, stripped = start + len(credit), rest.strip()
            if not stripped:
                first = False
                continue
        if _BYLINE_RE.match(stripped) and len(stripped) < 80:
            yield Line(start, stripped, "byline")
            continue
        kind = "title" if first and stripped[-1] not in ".!?\"”’'" else "body"
        first = False
        for offset, piece in _pieces(stripped):
            yield Line(start + offset, piece, kind)


MAX_LINE_CHARS = 100_000  # spaCy's parser needs about 1 GB per 100,000 characters of one text


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """A line cut, at sentence ends where it has them, into pieces the parser can take: a
    paragraph is a few thousand characters, but a file can be one megabyte-long line (spaCy
    refuses texts over 1,000,000 characters)."""
    offset = 0
    while len(line) - offset > MAX_LINE_CHARS:
        end = offset + MAX_LINE_CHARS
        cut = line.rfind(". ", offset, end) + 1
        if cut <= offset + MAX_LINE_CHARS // 2:
            cut = line.rfind(" ", offset, end)
        if cut <= offset:
            cut = end
        yield offset, line[offset:cut]
        offset = cut
        while offset < len(line) and line[offset] == " ":
            offset += 1
    if offset < len(line):
        yield offset, line[offset:]


def dateline_length(text: str) -> int:
    """Characters of a leading dateline ("WASHINGTON (Reuters) - ") to skip, else 0."""
    match = _DATELINE_RE.match(text)
    return match.end() if match else 0


def quote_depths(doc: Doc) -> list[int]:
    """Quotation depth before each token (curly, guillemet and straight double quotes)."""
    depths, depth, straight_open = [], 0, False
    # Token ids, not Token objects: this runs over every token of every line.
    for orth in doc.to_array(ORTH).tolist():
        depths.append(depth + int(straight_open))
        if orth in _OPENER_IDS:
            depth += 1
        elif orth in _CLOSER_IDS:
            depth = max(depth - 1, 0)
        elif orth in _STRAIGHT_IDS:
            straight_open = not straight_open
    return depths


def _must_merge(doc: Doc, prev: Span, nxt: Span, depths: list[int]) -> bool:
    """Whether the boundary between `prev` and `nxt` is one spaCy should not have made."""
    if depths[nxt.start] > 0:
        return True  # never cut inside a quotation
    first = nxt[0]
    if first.is_alpha and first.text[0].islower():
        return True  # "... terrorists… that's": a continuation, not a new sentence
    if first.is_punct and first.text in _CLOSERS | {'"', ",", ")", ";"}:
        return True
    return prev[-1].lower_ in _TITLE_ABBREVIATIONS


def sentence_spans(doc: Doc, depths: list[int] | None = None) -> list[Span]:
    """Sentences of one parsed line, with spaCy's wrong boundaries merged away.

    `depths`: the line's `quote_depths`, when the caller has them already.
    """
    depths = quote_depths(doc) if depths is None else depths
    merged: list[Span] = []
    for sent in doc.sents:
        if merged and _must_merge(doc, merged[-1], sent, depths):
            merged[-1] = doc[merged[-1].start : sent.end]
        else:
            merged.append(sent)
    cut = [piece for span in merged for piece in _split_before_quotes(span, depths)]
    return [trimmed for s in cut if (trimmed := _strip_space(s)) is not None]


def _strip_space(span: Span) -> Span | None:
    """The span without leading or trailing whitespace tokens (double spaces in the text)."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end] if end > start else None


def _split_before_quotes(span: Span, depths: list[int]) -> list[Span]:
    """Cut where a sentence ends and a quotation opens ('... party. "That is ...'), which the
    parser misses with straight quotes."""
    doc, start, out = span.doc, span.start, []
    text = span.text  # not doc.text[...]: Doc.text joins the whole line on every call
    if "“" not in text and '"' not in text:
        return [span]
    for tok in span[:-2]:
        nxt, after = doc[tok.i + 1], doc[tok.i + 2]
        if (
            tok.text in (".", "!", "?")
            and depths[tok.i] == 0
            and depths[nxt.i] == 0
            and nxt.text in ("“", '"')
            and after.text[:1].isupper()
        ):
            out.append(doc[start : tok.i + 1])
            start = tok.i + 1
    out.append(doc[start : span.end])
    return out


def is_publishing_notice(text: str) -> bool:
    """A sentence about the publication rather than the world: "Copyright 2024 The Associated
    Press.", "This material may not be published, broadcast, rewritten or redistributed.",
    "Additional reporting by Tom Brown.", "This story has been updated.", "Related: ..."."""
    text = text.strip()
    return (_NOTICE_START_RE.match(text) is not None or _CREDIT_LINE_RE.match(text) is not None
            or _NOTICE_LINE_RE.match(text) is not None or _NOTICE_ANYWHERE_RE.search(text) is not None
            or (_APPEAL_RE.search(text) is not None and _APPEAL_CUE_RE.search(text) is not None))


def is_question(sent: Span) -> bool:
    """A sentence that asks rather than states (its last non-quote character is '?')."""
    text = sent.text.rstrip().rstrip("”\"’'»)")
    return text.endswith("?")
