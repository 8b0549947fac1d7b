"""Make claims self-contained: resolve pronouns and descriptions that point back.

Deliberately simple rules over what `extract_people` remembers: "he"/"she"/"him"/"his" mean the
last person named as a subject before them (never the speaker of the quotation they sit in, never
a person the article calls "Mr." for "she" or "Ms." for "he", never a name the claim already has);
a "his"/"him"/"her" whose own sentence names someone else first is left as written; role
descriptions ("the 51-year-old Syrian leader") mean the last person whose mentions share a
word with them; a bare "the resolution" is spelt out as the article introduced it; a claim-initial
"It"/"They" takes the previous sentence's subject when that names a thing or a group.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimcheck.extract_people import (
    ROLE_NOUNS,
    PersonMemory,
    definite_reference,
    doc_name_chains,
    name_key,
    stands_as_place,
    titled_name,
)
from claimcheck.facts import doc_ents

_SUBJECT_PRONOUNS = frozenset({"he", "she"})
_OBJECT_PRONOUNS = frozenset({"him"})
_POSSESSIVE_PRONOUNS = frozenset({"his"})


def role_description(tok: Token) -> Span | None:
    """The noun phrase when `tok` heads a description of a person with no name in it."""
    if tok.lower_ not in ROLE_NOUNS or tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return None
    left = tok.left_edge
    span = tok.doc[left.i : tok.i + 1]
    if any(t.ent_type_ == "PERSON" for t in span) or any(c.dep_ == "appos" for c in tok.children):
        return None
    clauses = {t.i for c in tok.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    if any(t.pos_ == "PROPN" and t.i > tok.i and t.i not in clauses for t in tok.subtree):
        return None  # "Special Envoy for Syria Staffan de Mistura": the name follows
    if tok.i + 1 < len(tok.doc) and tok.nbor().pos_ == "PROPN":
        return None  # "President Obama": a title, not a description
    if span[0].lower_ == "the" or (span[0].pos_ in ("ADJ", "PROPN") and tok.dep_ == "nsubj"):
        return span
    return None


def replacements(
    tokens: list[Token], offset: int, memory: PersonMemory, exclude: str | None = None
) -> dict[int, str]:
    """Token index -> replacement text for pronouns and role descriptions among `tokens`.

    A replaced description maps its first token to the name and the rest to "". `exclude`: a
    name the pronouns cannot mean (the speaker of a direct quotation).
    """
    out: dict[int, str] = {}
    # Surnames already in the claim: their pronouns are clear as they are, and a pronoun naming
    # them again would make "she had never met Weiner" into "Anthony Weiner had never met Weiner".
    seen: set[str] = {name_key(t.text) for t in tokens if t.pos_ == "PROPN"}
    for tok in tokens:
        seen.add(name_key(out.get(tok.i) or tok.text))
        if tok.i in out:
            continue
        described = definite_reference(tok, memory, offset + tok.idx)
        if described is not None:
            out[tok.i] = described  # "the resolution" -> "the draft resolution submitted by ..."
            continue
        span = role_description(tok)
        if span is not None:
            name = memory.describe(span, offset + span.start_char)
            if name and name_key(name) not in seen and all(t.i not in out for t in span):
                out[span.start] = name
                out.update({t.i: "" for t in span[1:]})
                seen.add(name_key(name))
            continue
        name = _pronoun_referent(tok, offset, memory, exclude)
        if name is None or name_key(name) in seen:
            continue
        low = tok.lower_
        if low in _POSSESSIVE_PRONOUNS or (low == "her" and tok.tag_ == "PRP$"):
            out[tok.i] = f"{name}’s"
        else:
            out[tok.i] = name
            _expand_contraction(tok, out)
        seen.add(name_key(name))
    return out


def pronoun_gender(word: str) -> str | None:
    """ "m" for he / him / his, "f" for she / her / hers, else None."""
    return {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}.get(word.lower())


def _pronoun_referent(
    tok: Token, offset: int, memory: PersonMemory, exclude: str | None
) -> str | None:
    """The person a he/she/him/his/her token means, or None when `tok` is no such pronoun."""
    low = tok.lower_
    is_pronoun = (
        (low in _SUBJECT_PRONOUNS and tok.tag_ == "PRP")
        or low in _OBJECT_PRONOUNS
        or low in _POSSESSIVE_PRONOUNS
        or low == "her"
    )
    if not is_pronoun:
        return None
    referent = memory.last_before(offset + tok.idx, exclude)
    if referent is not None and memory.other_gender(referent, pronoun_gender(low)):
        # "she" after "Mr. Christie": somebody the article has not named as a person (or named
        # too long ago); going further back would pick a wrong name, so it stays "she".
        return None
    if low in _POSSESSIVE_PRONOUNS or low in _OBJECT_PRONOUNS or low == "her":
        # A possessive or object pronoun may as well mean a person named earlier in its own
        # sentence ("the bill backed by Mr. Trump, which ... for his proposed border wall") as the
        # last subject before it. When those two differ, the pronoun is left as it is: a wrong
        # name makes false conflicts, an unresolved "his" does not.
        near = memory.last_between(offset + tok.sent.start_char, offset + tok.idx, exclude)
        if near is not None and near != referent:
            return None
    return referent


_CONTRACTIONS = {"'ll": " will", "'d": " would", "'ve": " has", "'m": " am"}


def _expand_contraction(tok: Token, out: dict[int, str]) -> None:
    """ "he'll" -> "Donald Trump will", not "Donald Trump'll"."""
    if tok.i + 1 >= len(tok.doc):
        return
    nxt = tok.nbor()
    low = nxt.lower_.replace("’", "'")
    if low == "'s":
        after = nxt.nbor() if nxt.i + 1 < len(tok.doc) else None
        out[nxt.i] = " has" if after is not None and after.tag_ == "VBN" else " is"
    elif low in _CONTRACTIONS:
        out[nxt.i] = _CONTRACTIONS[low]


def speaker_name(tokens: list[Token], offset: int, memory: PersonMemory) -> str | None:
    """The speaker phrase as a name: a person's fullest name, a resolved pronoun, or the phrase."""
    if not tokens:
        return None
    doc = tokens[0].doc
    ids = {t.i for t in tokens}
    people = [e for e in doc_ents(doc) if e.label_ == "PERSON" and e.start in ids and not stands_as_place(e)]
    if people:
        return memory.canonical(people[0].text)
    head = min(tokens, key=lambda t: len(list(t.ancestors)))
    described = role_description(head)
    if head.lower_ in _SUBJECT_PRONOUNS | {"him", "her"} or described is not None:
        name = (
            memory.describe(described, offset + described.start_char)
            if described is not None
            else memory.last_before(offset + head.idx)
        )
        if described is None and name is not None and memory.other_gender(name, pronoun_gender(head.lower_)):
            name = None  # "she said" right after "Mr. Christie" is somebody else
        if name is not None:
            memory.add(offset + head.idx, name, subject=True)  # "he said" keeps him salient
            return name
        if described is None:
            return None
    titled = titled_name(head, {e.text for e in doc_ents(doc) if e.label_ in ("GPE", "NORP")})
    if titled is not None:
        return memory.canonical(titled.text)
    for chain in doc_name_chains(doc):
        if chain.start in ids and name_key(chain.text) in memory.fullest:
            return memory.canonical(chain.text)
    drop = {t.i for c in head.children if c.dep_ in ("relcl", "appos", "acl") for t in c.subtree}
    kept = [t for t in tokens if t.i not in drop]
    while kept and kept[-1].is_punct:  # the comma that closed a dropped clause ("..., who said ...,")
        kept.pop()
    text = doc[kept[0].i : kept[-1].i + 1].text.strip(" ,;") if kept else ""
    return memory.canonical(text) if head.pos_ == "PROPN" else text or None


_LIGHT_VERBS = frozenset({"be", "seem", "appear", "remain", "take", "make", "look", "become"})


def thing_subject(sent: Span) -> tuple[str, bool] | None:
    """The sentence's subject when it names a thing or a group, and whether it is plural.

    "The text of the resolution" (singular) or "Tea Party groups" (plural); people, pronouns
    and long phrases give None.
    """
    subject = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.ent_type_ == "PERSON" or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    plural = subject.tag_ in ("NNS", "NNPS")
    words = list(subject.subtree)
    if len(words) > 10 or any(t.dep_ in ("relcl", "appos") for t in subject.children):
        return None
    if not plural and (subject.pos_ != "NOUN" or words[0].lower_ not in ("the", "this", "that")):
        return None
    return sent.doc[words[0].i : words[-1].i + 1].text, plural


def refers_back(tok: Token, plural: bool) -> bool:
    """A claim-initial "It" / "They" that is the subject of a contentful verb.

    "It also calls for ..." points back; "It is unclear whether ..." and "It seems ..." point
    forward and are left alone.
    """
    if tok.text != ("They" if plural else "It") or tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = tok.head
    if head.lemma_.lower() in _LIGHT_VERBS and tok.dep_ == "nsubj" and not plural:
        return False
    return not any(c.dep_ in ("ccomp", "csubj") for c in head.children)
