"""Attribution: split a parsed sentence into who says what.

Each sentence becomes one or more `Part`s: the tokens of the content, the tokens of the speaker
(empty when the outlet states it itself), the reporting verb and the channel that relayed it.
Works on spaCy's dependency parse: a reporting verb's subject is the speaker and its clausal
complement (or the quotation, or the rest of the sentence when the verb is parenthetical) is the
content. "according to X" is handled the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

REPORTING_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "claim",
        "announce",
        "insist",
        "note",
        "warn",
        "declare",
        "argue",
        "explain",
        "write",
        "report",
        "confirm",
        "quote",
        "stress",
        "predict",
        "acknowledge",
        "admit",
        "assert",
        "contend",
        "emphasize",
        "emphasise",
        "reiterate",
        "estimate",
        "allege",
        "testify",
        "tweet",
        "observe",
        "complain",
        "maintain",
        "recall",
        "reply",
        "respond",
        "conclude",
        "caution",
        "promise",
        "vow",
        "disclose",
        "reveal",
        "concede",
        "boast",
        "charge",
        "counter",
        "remark",
        "point",
        "agree",
        "go",
    }
)
# Lemmas that report only with a particle ("pointed out") or only with a clause after them.
_NEEDS_PARTICLE = {"point": "out", "go": "on"}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_INHERIT_DEPS = frozenset({"conj", "advcl", "xcomp", "pcomp"})
QUOTE_MARKS = frozenset({"“", "”", '"', "''", "``", "«", "»", "‘", "’"})


@dataclass(frozen=True)
class Part:
    """One statement found in a sentence.

    Attributes:
        tokens: Doc token indices of the content, sorted.
        speaker: Doc token indices of the speaker phrase; () when the outlet states it.
        verb: The reporting verb as written ("said", "pointed out", "according to").
        channel: Who relayed the speech ("Syria's official news agency, SANA").
        direct: True when the content is a direct quotation.
    """

    tokens: tuple[int, ...]
    speaker: tuple[int, ...] = ()
    verb: str | None = None
    channel: str | None = None
    direct: bool = False


# A report whose speaker does not assert its content: "X denied that Y", "X did not confirm that
# Y", "X falsely claimed that Y". Taking Y out as X's claim would state what X disputes, so such a
# sentence stays whole, as the outlet's own statement about X.
_NOT_ASSERTING_ADVERBS = frozenset({"falsely", "wrongly", "incorrectly", "mistakenly", "erroneously",
                                    "baselessly", "misleadingly", "never"})


def _is_reporting(tok: Token) -> bool:
    """A verb that introduces reported speech its speaker asserts."""
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in REPORTING_LEMMAS:
        return False
    if any(c.dep_ == "neg" or c.lower_ in _NOT_ASSERTING_ADVERBS for c in tok.children):
        return False
    # "he had been warned about the cracks", "officials were told that ...": the passive subject
    # is who heard it, not who said it ("was quoted as saying" names the speaker; "it was
    # reported that ..." names nobody).
    if tok.lemma_.lower() != "quote" and any(c.dep_ == "nsubjpass" and c.lower_ != "it" for c in tok.children) \
            and not any(c.lower_ == "as" for c in tok.children):  # "was reported as saying" names the speaker
        return False
    particle = _NEEDS_PARTICLE.get(tok.lemma_.lower())
    return particle is None or any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children)


def _subtree(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _speaker(verb: Token) -> Token | None:
    """The subject of a reporting verb, inherited along conj/advcl ("X said ..., adding ...")."""
    tok: Token | None = verb
    for _ in range(4):
        assert tok is not None
        subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            # "..., who said ...": the speaker is the noun the relative clause hangs on, unless
            # that is a singular common noun ending an adverbial phrase of a verb: in "women who
            # were teenagers at the time who claimed" the clause the phrase belongs to says who
            # (the women, not the time). A named noun keeps it ("his successor, Felipe Calderón,
            # who asserted").
            if subject.tag_ in ("WP", "WDT") and tok.dep_ == "relcl" and tok.head.i != tok.i:
                head = tok.head
                adverbial = (head.tag_ == "NN" and not head.ent_type_ and head.dep_ == "pobj"
                             and head.head.dep_ == "prep" and head.head.head.pos_ in ("VERB", "AUX")
                             and not any(c.dep_ == "appos" for c in head.children))
                if adverbial and head.head.head.i != tok.i:
                    found = _speaker(head.head.head)
                    if found is not None:
                        return found
                return head
            return subject
        if tok.dep_ not in _INHERIT_DEPS or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _verb_text(verb: Token) -> str:
    """The reporting verb with its particle or passive frame ("pointed out", "was quoted as saying")."""
    words = [verb]
    words += [c for c in verb.children if c.dep_ in ("prt", "auxpass") and c.i > verb.i - 3]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
        words += [prep] + [g for g in prep.children if g.dep_ == "pcomp"]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


_MEDIA_NOUNS = frozenset({"interview", "statement", "address", "post", "tweet", "appearance"})


def _channel(verb: Token) -> str | None:
    """Who relayed the speech: the agent of a passive report ("quoted ... by Syria's official
    news agency, SANA") or a named outlet of an interview ("in an interview with ... RTL",
    "told Fox News")."""
    frontier = [verb] + [g for c in verb.children if c.lower_ == "as" for g in c.children]
    for tok in frontier:
        for child in tok.children:
            if child.dep_ in ("agent", "prep") and child.lower_ == "by":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return _with_appositive(objs[0]).text.strip(" ,;")
    return _interview_outlet(verb)


def _interview_outlet(verb: Token) -> str | None:
    """ "said in an interview with X" / "told X" where X names an organisation."""
    for child in verb.children:
        if child.dep_ in ("dative", "dobj") and child.ent_type_ == "ORG":
            return _noun_phrase(child)
        if child.dep_ == "prep" and child.lower_ in ("in", "on", "during"):
            for medium in (g for g in child.children if g.lemma_.lower() in _MEDIA_NOUNS):
                for prep in (g for g in medium.children if g.lower_ in ("with", "on", "to")):
                    outlet = next((g for g in prep.children if g.dep_ == "pobj"), None)
                    if outlet is not None and any(
                        t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME")
                        for t in outlet.subtree
                    ):
                        return _noun_phrase(outlet)
    return None


def _noun_phrase(tok: Token) -> str:
    """A noun with its modifiers, without the clauses hanging off it ("..., which is ...")."""
    drop = {t.i for c in tok.children if c.dep_ in ("relcl", "acl", "punct") for t in c.subtree}
    kept = [t for t in tok.subtree if t.i not in drop]
    return tok.doc[kept[0].i : kept[-1].i + 1].text.strip(" ,;") if kept else tok.text


def _with_appositive(tok: Token) -> Span:
    """A noun phrase plus a trailing name in apposition the parser left outside it
    ("Syria's official news agency, SANA")."""
    doc, end = tok.doc, tok.right_edge.i + 1

    def is_name(t: Token) -> bool:  # the small model tags "SANA" as ADJ at times
        return t.pos_ in ("PROPN", "ADJ", "NOUN") and t.text[:1].isupper()

    while end - 1 > tok.i and doc[end - 1].is_punct:
        end -= 1
    if end + 1 < len(doc) and doc[end].text == "," and is_name(doc[end + 1]):
        end += 1
        while end < len(doc) and is_name(doc[end]):
            end += 1
    return doc[tok.left_edge.i : end]


def _complement(verb: Token) -> Token | None:
    """The clause a reporting verb introduces: its ccomp, or the ccomp under "as saying"."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child
    for child in verb.children:
        if child.dep_ in ("prep", "advcl", "xcomp") and child.lower_ in ("as", "saying"):
            found = next((g for g in child.subtree if g.dep_ == "ccomp"), None)
            if found is not None:
                return found
    return None


def _content(verb: Token, sent: Span, quoted: set[int]) -> tuple[set[int], bool] | None:
    """Content tokens of one reporting verb and whether it is a direct quotation."""
    whole = set(range(sent.start, sent.end))
    comp = _complement(verb)
    if comp is not None:
        content = set().union(*(_subtree(c) for c in verb.children if c.dep_ == "ccomp"))
        content |= _subtree(comp)
        if content <= quoted | {t.i for t in sent if t.is_punct}:
            return (quoted | content), True  # "Q1," he said, "Q2." keeps both halves
        for conj in (c for c in verb.children if c.dep_ == "conj" and not _is_reporting(c)):
            if _subtree(conj) & quoted:
                content |= _subtree(conj)  # "said X, but the “battle continues ...”"
        return content, False
    if verb.dep_ in ("parataxis", "ccomp") and verb.head.i not in quoted:
        return whole - _subtree(verb), False  # "..., which, he said, will help ..."
    if quoted - _subtree(verb) or (quoted and verb.dep_ == "ROOT"):
        return quoted - {verb.i}, True
    return None


def _according(sent: Span) -> Part | None:
    """'CLAUSE, according to X' and 'According to X, CLAUSE'."""
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            objs = [g for g in tok.nbor().children if g.dep_ == "pobj"]
            if not objs:
                continue
            source = _subtree(objs[0])
            content = set(range(sent.start, sent.end)) - _subtree(tok) - {tok.i, tok.i + 1}
            return Part(tuple(sorted(content)), tuple(sorted(source)), "according to")
    return None


def _root_claim(verb: Token, sent: Span) -> set[int]:
    """All of a sentence whose root reports, except further reports hanging off it.

    "“Q,” Assad said, and added that ..." / "..., he told reporters, adding that ...": the
    added clause is a second report by the same speaker, left for its own part.
    """
    further = [c for c in verb.children if c.dep_ in ("conj", "advcl") and _is_reporting(c)]
    skip = set().union(*(_subtree(c) for c in further)) if further else set()
    skip |= {c.i for c in verb.children if c.dep_ == "cc" and further and c.i < further[0].i}
    return set(range(sent.start, sent.end)) - skip


def _quoted_predicate_source(sent: Span, quoted: set[int]) -> tuple[int, ...]:
    """The subject when a document is quoted as the predicate: 'The text of the resolution
    “welcomes and supports efforts ...”' is the resolution speaking, not the outlet."""
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if root.i not in quoted or subject is None or subject.i in quoted or subject.pos_ == "PRON":
        return ()
    return tuple(sorted(_subtree(subject)))


def quoted_tokens(sent: Span, depths: list[int]) -> set[int]:
    """Token indices inside quotation marks (marks included)."""
    return {t.i for t in sent if depths[t.i] > 0 or t.text in QUOTE_MARKS - {"’", "‘"}}


def attribute(sent: Span, depths: list[int]) -> list[Part]:
    """Split one sentence into attributed parts (content, speaker, verb, channel).

    Args:
        sent: The sentence, a span of a parsed Doc.
        depths: Quotation depth before each token of the Doc (see `quote_depths`).

    Returns:
        Parts in sentence order; one part with no speaker when the outlet states it all.
    """
    quoted = quoted_tokens(sent, depths)
    according = _according(sent)
    if according is not None:
        return [according]
    verbs = sorted(
        (t for t in sent if t.i not in quoted and _is_reporting(t)),
        key=lambda t: len(list(t.ancestors)),
    )
    parts: list[Part] = []
    claimed: set[int] = set()
    for verb in verbs:
        if verb.i in claimed:
            continue  # nested report inside someone else's content
        subject = _speaker(verb)
        found = _content(verb, sent, quoted)
        if subject is None or found is None or not found[0] - claimed:
            continue
        content, direct = found
        content -= claimed
        speaker = _subtree(subject) - content
        if verb.i in speaker:  # "the spokesman, who said ...": the speaker is not the clause itself
            speaker -= _subtree(verb)
        parts.append(
            Part(
                tuple(sorted(content)),
                tuple(sorted(speaker)),
                _verb_text(verb),
                _channel(verb),
                direct,
            )
        )
        claimed |= content | _subtree(verb) if verb.dep_ != "ROOT" else _root_claim(verb, sent)
        if subject.head.i == verb.i:  # an inherited subject ("X rejected ..., and said ...")
            claimed |= speaker  # stays with the outlet's own clause about X
    rest = [t for t in sent if t.i not in claimed]
    if not parts:
        return [Part(tuple(t.i for t in sent), _quoted_predicate_source(sent, quoted))]
    if (
        sum(1 for t in rest if t.pos_ in ("VERB", "AUX"))
        and sum(1 for t in rest if t.is_alpha) >= 4
    ):
        parts.append(Part(tuple(t.i for t in rest)))
    return sorted(parts, key=lambda p: p.tokens[0] if p.tokens else 0)
