"""Frozen dataclasses that flow between the pipeline stages.

ingest -> Document; extract -> Claim; relate -> Relation; query -> Verdict (with Evidence);
crossmatch -> Conflict / Corroboration. No stage passes anything else to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Relation labels, in the one order used for probability vectors everywhere in the project.
RELATION_LABELS: tuple[str, str, str] = ("supports", "refutes", "neutral")

VERDICTS: tuple[str, ...] = ("SUPPORTED", "REFUTED", "CONFLICTING", "NOT_ENOUGH_EVIDENCE")


@dataclass(frozen=True)
class Document:
    """One article as read from disk (or stdin).

    Attributes:
        doc_id: Stable id: the first 16 hex digits of the content hash.
        location: Where it was read from (path, `path:line` for JSONL rows, or `-`).
        source: Outlet or domain when the input says so, else the file name without extension.
        title: Title when known.
        url: Canonical URL when known.
        published: Publication date as ISO `YYYY-MM-DD` when known.
        text: The article body (title excluded unless it was glued to the body).
        content_hash: sha256 of `text`.
        author: Author when known.
    """

    doc_id: str
    location: str
    source: str
    title: str | None
    url: str | None
    published: str | None
    text: str
    content_hash: str
    author: str | None = None


@dataclass(frozen=True)
class Quantity:
    """A number mentioned in a claim, with its unit when one follows it."""

    text: str
    value: float
    unit: str | None = None


@dataclass(frozen=True)
class DateMention:
    """A date or time expression and its ISO normalisation (None when it cannot be resolved)."""

    text: str
    iso: str | None = None


@dataclass(frozen=True)
class Entity:
    """A named entity mention (spaCy label such as PERSON, ORG, GPE)."""

    text: str
    label: str


@dataclass(frozen=True)
class Claim:
    """One self-contained factual statement extracted from a document.

    Attributes:
        text: The statement as shown and embedded (pronouns resolved, attribution removed).
        sentence: The original sentence it came from.
        start: Character offset of `sentence` in the document text.
        end: Character end offset of `sentence` in the document text.
        speaker: Who asserts it when it is reported speech, else None (the outlet itself).
        checkworthiness: 0..1, how much it reads like a checkable factual claim.
        original: The claim's own words before pronoun resolution.
        verb: The reporting verb when reported speech ("said", "told").
        channel: Who relayed the speech ("Syria's official news agency, SANA").
        entities: Named entities mentioned.
        quantities: Numbers with units.
        dates: Date expressions with ISO forms.
        doc_id: Id of the document it came from.
        source: Source (outlet) of that document.
    """

    text: str
    sentence: str
    start: int
    end: int
    speaker: str | None = None
    checkworthiness: float = 1.0
    original: str = ""
    verb: str | None = None
    channel: str | None = None
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    doc_id: str = ""
    source: str = ""


@dataclass(frozen=True)
class SpanDiff:
    """A span that differs between two aligned statements ("91" vs "19")."""

    kind: str
    a: str
    b: str


@dataclass(frozen=True)
class Relation:
    """How statement A relates to statement B ("does A support / refute B").

    Attributes:
        label: One of RELATION_LABELS.
        probabilities: Probability of each label, summing to 1.
        reasons: Human-readable reasons, most important first.
        diffs: The differing spans that back the reasons.
        similarity: Cosine similarity of the two statements' embeddings (0 when not computed).
    """

    label: str
    probabilities: dict[str, float]
    reasons: tuple[str, ...] = ()
    diffs: tuple[SpanDiff, ...] = ()
    similarity: float = 0.0


@dataclass(frozen=True)
class StoredClaim:
    """A claim as it lives in an index, with its document's metadata."""

    claim_id: int
    text: str
    sentence: str
    source: str
    document: str
    doc_id: str
    title: str | None = None
    published: str | None = None
    speaker: str | None = None
    checkworthiness: float = 1.0
    start: int = 0
    end: int = 0
    original: str = ""  # its own words before pronoun resolution (see `Claim.original`)
    carried_by: tuple[str, ...] = ()  # every source of its article, word for word, when several

    @property
    def source_label(self) -> str:
        """Its source as shown to a reader: every outlet of a word-for-word copy, as one source."""
        if self.carried_by:
            return f"{' = '.join(self.carried_by)} (word for word: counted as one source)"
        return self.source


@dataclass(frozen=True)
class Evidence:
    """An indexed claim retrieved for a query, with its relation to the queried claim."""

    claim: StoredClaim
    relation: Relation
    score: float
    similarity: float


@dataclass(frozen=True)
class Verdict:
    """The answer to one queried claim."""

    claim: str
    verdict: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    rationale: str = ""


@dataclass(frozen=True)
class Conflict:
    """Two claims from different sources (or speakers) that refute each other."""

    a: StoredClaim
    b: StoredClaim
    score: float
    reasons: tuple[str, ...]
    diffs: tuple[SpanDiff, ...] = ()
    kind: str = "conflict"  # conflict | speaker-disagreement | possible-update
    similarity: float = 0.0
    p_refutes: float | None = None  # a contradiction's P(refutes); `score` weighs it by similarity
    also_in: tuple[tuple[str, str], ...] = ()  # other (source, source) pairs carrying the same two statements


@dataclass(frozen=True)
class Corroboration:
    """A group of claims that say the same thing, with the independent sources that carry it."""

    claims: tuple[StoredClaim, ...]
    sources: tuple[str, ...]
    score: float
    syndicated: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def independent(self) -> int:
        """How many independent sources carry the group: each set of wire copies counts once."""
        return len(self.sources) - sum(len(s) - 1 for s in self.syndicated)


@dataclass(frozen=True)
class IndexInfo:
    """What an index holds."""

    path: str
    documents: int
    claims: int
    sources: tuple[str, ...]
    embedder: str
    dimension: int
    built_at: str
    format_version: int
    relations: int = 0
    extra: dict[str, object] = field(default_factory=dict)
