"""People and things an article names, remembered line by line for later resolution.

The small spaCy NER model misses many names, so a person is a PERSON entity, a name after a title
("Sen. Olympia Snowe"), a name with a "who" clause, or a later mention of a known surname. Each
person keeps the fullest name the article uses ("Assad" -> "Bashar al-Assad") and the words said
about them ("Syrian", "president"), which descriptions such as "the Syrian leader" are matched to.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

# Nouns that describe a person by role: "the 51-year-old Syrian leader", "the congressman".
ROLE_NOUNS = frozenset(
    """
    president leader minister premier chancellor envoy spokesman spokeswoman spokesperson
    senator congressman congresswoman lawmaker governor mayor secretary ambassador king
    queen prince emperor chairman chairwoman chief director commander general official
    candidate nominee democrat republican representative judge justice executive ceo founder
    diplomat dictator monarch pope cleric attorney prosecutor sheriff billionaire
    businessman politician speaker runner frontrunner mogul hopeful incumbent challenger
    star strategist adviser advisor aide lawyer activist
    """.split()  # noqa: SIM905 - a word list reads better as words
)
HONORIFICS = {"mr": "m", "ms": "f", "mrs": "f", "miss": "f"}
# Words that make a role another role: a "vice president" or "former president" description must
# match a person described with the same word.
ROLE_QUALIFIERS = frozenset({"vice", "deputy", "assistant", "former", "acting", "first", "ex"})
# A description with one of these is about whoever fits it, not somebody named before.
NOT_ANAPHORIC = frozenset({"only", "wrong", "ideal", "perfect", "eventual", "likely", "possible", "potential"})
# Words of company and institution names that NER sometimes labels as people ("Velden Works").
ORGANISATION_WORDS = frozenset({"works", "inc", "corp", "corporation", "company", "co", "group", "bank", "ltd",
                                "llc", "holdings", "industries", "partners", "associates", "university",
                                "institute", "foundation", "agency", "ministry", "department", "council"})
_NAME_PARTICLES = frozenset({"de", "al", "bin", "van", "von", "der", "da", "le", "la", "el", "ibn"})
_KEY_RE = re.compile(r"[\s\-]+")
_PERSON_TITLES = frozenset(
    {
        "mr.",
        "mrs.",
        "ms.",
        "miss",
        "dr.",
        "sen.",
        "rep.",
        "gov.",
        "gen.",
        "president",
        "senator",
        "speaker",
        "governor",
        "secretary",
        "minister",
        "judge",
        "justice",
        "pope",
        "king",
        "queen",
        "prince",
        "sir",
        "lord",
        "lady",
        "mayor",
        "congressman",
        "congresswoman",
        "ambassador",
    }
)


def name_key(name: str) -> str:
    """The surname that links "Assad", "al-Assad" and "Bashar al-Assad"."""
    words = [w for w in _KEY_RE.split(name.strip(" ’'s")) if w]
    return words[-1].lower() if words else ""


@dataclass
class PersonMemory:
    """People named so far in one article, in order, with the fullest name for each surname."""

    # (char offset, name, is a subject): subjects are what a later "he"/"she" most often means.
    mentions: list[tuple[int, str, bool]] = field(default_factory=list)
    fullest: dict[str, str] = field(default_factory=dict)
    # Head lemma -> (char offset, description) of things introduced as "a draft resolution
    # submitted by Russia and Turkey", so a later bare "the resolution" can be spelt out.
    phrases: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Surname -> words said about the person ("syrian", "president"): what descriptions match.
    context: dict[str, set[str]] = field(default_factory=dict)
    # Surname -> "m" / "f" where the article says so with an honorific ("Mr. Christie",
    # "Ms. Pelosi"): a "she" is then not Mr. Christie.
    gender: dict[str, str] = field(default_factory=dict)

    def other_gender(self, name: str, pronoun_gender: str | None) -> bool:
        """Whether the article marks `name` with the other gender than the pronoun's."""
        known = self.gender.get(name_key(name))
        return bool(pronoun_gender and known and known != pronoun_gender)

    def add(self, offset: int, name: str, subject: bool = False) -> None:
        """Record a person named at `offset` in the document text."""
        name = name.strip(" ,’'").removesuffix("’s").removesuffix("'s")
        key = name_key(name)
        if not key or len(name) < 2:
            return
        if len(name) > len(self.fullest.get(key, "")):
            self.fullest[key] = name
        bisect.insort(self.mentions, (offset, name, subject))

    def describe(self, span: Span, offset: int) -> str | None:
        """The person a description ("the 51-year-old Syrian leader") most likely means.

        The last person named before `offset` whose own mentions share a word with the
        description wins; otherwise the last subject named, unless that person is known by
        another role ("the president" is not "Press Secretary Sarah Sanders"), has the other
        gender than the role ("the congressman"), or has a company's name ("Velden Works"). A
        description that fits whoever it fits ("the wrong candidate") means nobody named.
        """
        words = {t.lower_ for t in span if t.is_alpha and t.lower_ not in ("the", "a", "an")}
        qualifiers = words & ROLE_QUALIFIERS  # "the vice president" is not "the president's son"
        for pos, name, _ in reversed(self.mentions):
            context = self.context.get(name_key(name), set())
            if pos < offset and context & words and qualifiers <= context:
                return self.canonical(name)
        roles = words & ROLE_NOUNS
        if words & NOT_ANAPHORIC:
            return None  # "the wrong candidate", "the only announced candidate": nobody named before
        gender = next((g for r in roles for suffix, g in (("woman", "f"), ("man", "m")) if r.endswith(suffix)), None)

        def other_role(name: str) -> bool:
            context = self.context.get(name_key(name), set())
            known = context & ROLE_NOUNS
            return (bool(roles and known and not known & roles) or not qualifiers <= context
                    or self.other_gender(name, gender)
                    or bool(set(name.lower().split()) & ORGANISATION_WORDS))  # "Velden Works"

        # Only the last person named as a subject: when that one does not fit, going further back
        # finds a wrong name more often than a right one, and a wrong name makes false conflicts.
        last = self.last_before(offset)
        return None if last is None or other_role(last) else last

    def canonical(self, name: str) -> str:
        """The fullest form of `name` seen in the article."""
        return self.fullest.get(name_key(name), name)

    def last_between(self, start: int, end: int, exclude: str | None = None) -> str | None:
        """The canonical name of the last person named in [start, end), or None."""
        for pos, name, _ in reversed(self.mentions):
            name = self.canonical(name)
            if start <= pos < end and name != exclude:
                return name
        return None

    def last_before(self, offset: int, exclude: str | None = None,
                    skip: Callable[[str], bool] | None = None) -> str | None:
        """The canonical name of the person a pronoun at `offset` most likely means.

        The last person named as a subject wins over people named later as objects ("he said
        to Fox News' Bill Hemmer" does not make Hemmer the next "he"); `exclude` skips one name
        (a speaker's own quotation says "I", so its "he" is somebody else); `skip` passes over
        the names it is true of.
        """
        for want_subject in (True, False):
            for pos, name, subject in reversed(self.mentions):
                name = self.canonical(name)
                if pos < offset and (subject or not want_subject) and name != exclude \
                        and not (skip and skip(name)):
                    return name
        return None


def titled_name(subject: Token, known_places: set[str]) -> Span | None:
    """The name after a title in a subject phrase: "... Envoy for Syria Staffan de Mistura"."""
    words = list(subject.subtree)
    if not any(w.lower_ in ROLE_NOUNS for w in words):
        return None
    end = len(words)
    while end and words[end - 1].is_punct:
        end -= 1
    start = end
    while start and (
        words[start - 1].pos_ == "PROPN" or words[start - 1].lower_ in _NAME_PARTICLES
    ):
        start -= 1
    while start < end and (words[start].text in known_places or words[start].lower_ in ROLE_NOUNS):
        start += 1
    if end - start < 2:
        return None
    return subject.doc[words[start].i : words[end - 1].i + 1]


# Where a name stands when the small NER model calls a town a person: "12 people died in
# Brindle", "Brindle's mayor said".
_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "throughout"})  # not "at": "lashed out at Trump"
_PLACE_HEADS = frozenset({"mayor", "governor", "residents", "police", "council", "government", "parliament",
                          "capital", "citizens", "authorities", "streets"})


def person_entity(ent: Span) -> bool:
    """A PERSON entity that can be a name: the small model sometimes labels a possessive and the
    next word ("the president’s Asia trip" -> "’s Asia"), which must not become a person that
    "the president" later resolves to; and a place it labels PERSON stands where places do."""
    return ent.label_ == "PERSON" and ent[0].tag_ != "POS" and ent[0].text.lower() not in ("'s", "’s", "s") \
        and any(t.pos_ == "PROPN" for t in ent) and not stands_as_place(ent)


# "the port of Kelby", "the town of Brindle": the name after "of" is the place itself.
_PLACE_NOUNS = frozenset({"port", "town", "city", "village", "island", "province", "region", "county", "district",
                          "state", "harbour", "harbor", "municipality", "suburb", "borough", "valley"})


def stands_as_place(ent: Span) -> bool:
    """Whether a name stands where a place does ("died in Brindle", "Brindle's mayor", "the port
    of Kelby")."""
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in _PLACE_NOUNS and len(ent) == 1:
        return True  # one word only: "the private island of Jeffrey Epstein" is his
    return root.dep_ == "poss" and root.head.lower_ in _PLACE_HEADS


def register_people(doc: Doc, offset: int, memory: PersonMemory) -> None:
    """Add the people named in one parsed line to `memory` (offset: the line's start)."""
    places = {e.text for e in doc.ents if e.label_ in ("GPE", "NORP", "LOC", "FAC")}
    found = [(e.start_char, e.text, _is_subject(e.root)) for e in doc.ents if person_entity(e)]
    for tok in doc:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN":
            span = titled_name(tok, places)
            if (
                span is not None
                and span.text not in places
                and not any(e.label_ == "PERSON" for e in span.ents)
            ):
                found.append((span.start_char, span.text, True))
    covered = {i for e in doc.ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
    for chain in name_chains(doc):
        if chain.start in covered or chain.text in places:
            continue
        if _looks_like_person(chain, memory):
            found.append((chain.start_char, chain.text, _is_subject(chain[-1])))
    for start, name, subject in found:
        memory.add(offset + start, name, subject)
        span = doc.char_span(start, start + len(name), alignment_mode="expand")
        if span is not None:
            memory.context.setdefault(name_key(name), set()).update(_context_words(span))
            title = doc[span.start - 1].lower_.rstrip(".") if span.start > 0 else ""
            if title in HONORIFICS:
                memory.gender.setdefault(name_key(name), HONORIFICS[title])


def _context_words(span: Span) -> set[str]:
    """Words around a name that descriptions may repeat: titles, appositives, relative clauses."""
    doc = span.doc
    near = list(span.root.subtree) + list(doc[max(span.start - 4, 0) : span.start])
    if span.root.dep_ == "appos" or span.root.head.dep_ == "appos":
        near += list(span.root.head.subtree)
    names = {t.i for t in span}
    return {t.lower_ for t in near if t.i not in names and t.is_alpha and len(t) > 2}


def name_chains(doc: Doc) -> list[Span]:
    """Maximal runs of proper nouns (with name particles inside): candidate names."""
    chains, start = [], None
    for tok in doc:
        inside = tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha
        inside = inside or (start is not None and tok.lower_ in _NAME_PARTICLES | {"-"})
        if inside and start is None:
            start = tok.i
        elif not inside and start is not None:
            chains.append(doc[start : tok.i])
            start = None
    if start is not None:
        chains.append(doc[start:])
    return [c for c in chains if c[-1].pos_ == "PROPN"]


def doc_name_chains(doc: Doc) -> list[Span]:
    """`name_chains(doc)`, found once per doc (asked once per claim)."""
    chains = doc.user_data.get("claimcheck_name_chains")
    if chains is None:
        chains = doc.user_data["claimcheck_name_chains"] = name_chains(doc)
    return chains


def _looks_like_person(chain: Span, memory: PersonMemory) -> bool:
    """The small NER model misses many names; these cues catch most of the rest."""
    if name_key(chain.text) in memory.fullest:
        return True  # "Trump" after "Donald Trump", whatever label NER gave it
    prev = chain.doc[chain.start - 1] if chain.start > 0 else None
    if prev is not None and prev.lower_ in _PERSON_TITLES:
        return True  # "Sen. Olympia Snowe", "Mr. Boehner"
    root = chain[-1]
    return any(
        c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children) for c in root.children
    )  # "Felipe Calderon, who was president of Mexico"


def register_phrases(doc: Doc, offset: int, memory: PersonMemory) -> None:
    """Remember indefinite noun phrases with modifiers ("a draft resolution submitted by ...")."""
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() in memory.phrases:
            continue
        det = [c for c in tok.children if c.dep_ == "det"]
        if len(det) != 1 or det[0].lower_ not in ("a", "an"):
            continue
        words = []
        for t in tok.subtree:
            if t.i <= det[0].i:
                continue
            if t.text in (",", ";", "(", "—", "–") or t.dep_ in ("relcl", "appos"):
                break
            words.append(t)
        if 2 <= len(words) <= 12 and words[-1].pos_ in ("NOUN", "PROPN", "VERB", "NUM"):
            memory.phrases[tok.lemma_.lower()] = (
                offset + tok.idx,
                doc[words[0].i : words[-1].i + 1].text,
            )


def definite_reference(tok: Token, memory: PersonMemory, pos: int) -> str | None:
    """The remembered description when `tok` is a bare "the <noun>" that points back to it."""
    found = memory.phrases.get(tok.lemma_.lower()) if tok.pos_ == "NOUN" else None
    children = list(tok.children)
    if found is None or found[0] >= pos or len(children) != 1 or children[0].lower_ != "the":
        return None
    return found[1] if children[0].i == tok.i - 1 else None


def _is_subject(tok: Token) -> bool:
    """A name that is (part of) a clause subject: "Mr. Boehner said", "Rep. Bob Etheridge, ..."."""
    for _ in range(3):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ not in ("compound", "appos", "flat") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False
