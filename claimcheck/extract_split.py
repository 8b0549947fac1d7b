"""Atomic claims: split a part into separate assertions where that is safe.

"A and B" / "A; B" / "A, while B" become two claims only when each half has its own subject and
verb; a list of objects of one verb ("praised Russia, Iran and Hezbollah") stays whole. Direct
quotations that hold several sentences become one claim per sentence, never cut elsewhere.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimcheck.attribution import QUOTE_MARKS, Part

_SPLIT_MARKS = frozenset({"while", "whereas"})
_SPLIT_CCS = frozenset({"and", "but", "while", "whereas", "yet"})
_SENTENCE_END = frozenset({".", "!", "?", "…", "...", ";"})
_CTA_STARTS = frozenset(
    {
        "click",
        "subscribe",
        "follow",
        "sign",
        "read",
        "watch",
        "share",
        "download",
        "join",
        "listen",
        "register",
        "call",
        "visit",
        "contact",
        "see",
        "check",
        "get",
        "let",
        "don't",
        "please",
        "tap",
        "scroll",
        "email",
        "like",
    }
)
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in verb.children)


def _balanced(tokens: list[Token]) -> bool:
    """Even quote marks: a half with an odd count would cut a quotation."""
    opens = sum(t.text in ("“", "«") for t in tokens)
    closes = sum(t.text in ("”", "»") for t in tokens)
    straight = sum(t.text == '"' for t in tokens)
    return opens == closes and straight % 2 == 0


def _split_point(tokens: list[Token]) -> Token | None:
    """A clause in `tokens` coordinated with the main one that has its own subject and verb."""
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if (t.head.i not in ids or t.head.i == t.i) and not t.is_punct]
    if len(roots) != 1 or roots[0].pos_ not in ("VERB", "AUX") or not _has_subject(roots[0]):
        return None
    if any(c.dep_ in _SUBJECTS and c.lower_ == "you" for c in roots[0].children):
        return None  # "You take 18 of them ... and those districts are ...": one hypothetical
    # Coordinated clauses hang off the root, or off its predicate ("are less organized ... and
    # turnout may be depressed" attaches the second clause to "organized").
    heads = [roots[0]] + [c for c in roots[0].children if c.dep_ in ("acomp", "attr", "dobj")]
    last = max(t.i for t in tokens if not t.is_punct) if any(not t.is_punct for t in tokens) else -1
    for child in (c for h in heads for c in h.children):
        if child.i not in ids or child.pos_ not in ("VERB", "AUX") or not _has_subject(child):
            continue
        if child.head.i != roots[0].i and (child.dep_ != "conj" or child.right_edge.i < last):
            continue
        if child.dep_ == "conj":
            joiners = [t for t in tokens if roots[0].i < t.i < child.left_edge.i]
            if any(t.lower_ in _SPLIT_CCS or t.text == ";" for t in joiners):
                return child
        if child.dep_ == "advcl" and any(c.lower_ in _SPLIT_MARKS for c in child.children):
            return child
        if (
            child.dep_ in ("ccomp", "parataxis")
            and child.i < roots[0].i
            and any(t.text == ";" for t in tokens if child.right_edge.i < t.i < roots[0].i)
        ):
            return child  # "A fell; B rose": the parser hangs A under B
    return None


def atomic_pieces(tokens: list[Token]) -> list[list[Token]]:
    """Split coordinated full clauses apart, recursively; otherwise return `[tokens]`."""
    point = _split_point(tokens)
    if point is None:
        return [tokens]
    inner = {s.i for s in point.subtree}
    second = [t for t in tokens if t.i in inner]
    first = [t for t in tokens if t.i < second[0].i]
    if point.i < point.head.i:  # the split-off clause comes first: keep sentence order
        first, second = second, [t for t in tokens if t.i > second[-1].i]
    second = [t for t in second if t.lower_ not in _SPLIT_MARKS or t.head.i != point.i]
    if sum(t.is_alpha for t in first) < 4 or sum(t.is_alpha for t in second) < 4:
        return [tokens]
    if not (_balanced(first) and _balanced(second)):
        return [tokens]
    return atomic_pieces(first) + atomic_pieces(second)


def quote_pieces(tokens: list[Token]) -> list[list[Token]]:
    """Cut quoted content at its inner sentence ends ("... terrorists…We will ...")."""
    pieces: list[list[Token]] = [[]]
    for n, tok in enumerate(tokens):
        pieces[-1].append(tok)
        nxt = next(
            (t for t in tokens[n + 1 :] if t.text not in QUOTE_MARKS and not t.is_space), None
        )
        ends = tok.text in _SENTENCE_END or tok.text.endswith("…")
        # Two quotations around an attribution ("Q1," he said. "Q2.") are two statements.
        gap = tok.text == "," and nxt is not None and nxt.i > tok.i + 3
        if (ends or gap) and nxt is not None and nxt.text[:1].isupper() and nxt.i > tok.i:
            pieces.append([])
    return [p for p in pieces if p]


def is_call_to_action(sent: Span) -> bool:
    """An imperative addressed to the reader ("Sign up for our newsletter", "Let's be clear")."""
    words = [t for t in sent if not t.is_punct and t.text not in QUOTE_MARKS]
    if not words:
        return True
    first = words[0]
    if first.lower_ == "please" and len(words) > 2 and words[1].pos_ in ("VERB", "AUX") and words[2].lower_ != "that":
        return True  # "Please continue to avoid the area." ("Please know that ..." states something)
    if first.tag_ != "VB" or _has_subject(first) or any(t.dep_ == "aux" for t in first.children):
        return False
    if first.i + 1 < len(first.doc) and first.nbor().text == ",":
        return False  # "Listen, if Republicans were ...": a discourse marker, not an order
    return first.lower_ in _CTA_STARTS or first.dep_ in ("ROOT", "ccomp") and len(words) < 12


def title_speaker(sent: Span, parts: list[Part]) -> list[Part]:
    """Headline attribution "Assad: Our Goal is To Eliminate Terrorists"."""
    colon = next((t for t in sent[:5] if t.text == ":"), None)
    if colon is None or len(parts) != 1 or parts[0].speaker:
        return parts
    before = sent.doc[sent.start : colon.i]
    if not before or not all(t.pos_ == "PROPN" for t in before):
        return parts
    content = tuple(i for i in parts[0].tokens if i > colon.i)
    return [Part(content, tuple(t.i for t in before), None, None, True)]
