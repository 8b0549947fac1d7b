"""Cross-match: relate claims across sources, then answer contradictions and corroborations.

At build time each new claim is paired with its nearest neighbours (FAISS) from other documents;
pairs that are similar enough go to the relation engine, and the non-neutral relations are stored
in the index's SQLite store. `contradictions` and `corroborations` then read the store only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from claimcheck.errors import IndexCorrupt
from claimcheck.relate import logistic
from claimcheck.signals import (
    FULL_MONTHS,
    NUMBER,
    name_words,
    number_value,
    spell_negations_alike,
    tokens,
)
from claimcheck.store import Store
from claimcheck.types import Conflict, Corroboration, StoredClaim


@dataclass(frozen=True)
class MatchSettings:
    """How candidate pairs are chosen at build time.

    Attributes:
        neighbours: Nearest neighbours looked at per claim.
        min_similarity: Cosine similarity below which two claims are not paired.
        same_source: Also pair claims of the same source when their speakers differ.
        anchored_below: Under this similarity a pair must also be about the same thing: share
            a named entity (fuzzy match, rapidfuzz token-set ratio >= `entity_ratio`), a number
            or a resolved date. Two claims near in embedding space but with nothing concrete in
            common ("The vote was delayed" / "The trial was postponed") are different stories
            often enough that relating them only adds noise to contradictions.
        entity_ratio: See `anchored_below`.
    """

    neighbours: int = 10
    min_similarity: float = 0.55
    same_source: bool = True
    anchored_below: float = 0.7
    entity_ratio: float = 90.0


SYNDICATION_RATIO = 90.0  # rapidfuzz ratio over two sentences above which they are one wire copy


def candidate_pairs(store: Store, search: Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]],
                    new_ids: Sequence[int], new_vectors: np.ndarray,
                    settings: MatchSettings = MatchSettings(),
                    vector_of: Callable[[int], np.ndarray] | None = None) -> list[tuple[int, int, float]]:
    """Pairs (a, b, similarity) of a new claim and a neighbour from another document.

    A claim's neighbours are its `settings.neighbours` nearest claims from other documents (the
    search goes deeper, so the claims of its own document do not take their places). A pair is
    made from the new claims' neighbours, and, when `vector_of` gives stored vectors, from the
    neighbours' own neighbours too: an older claim whose nearest claims now include a new one
    is paired with it even when the new claim's list does not reach back (nearest-neighbour
    lists are not symmetric). So adding documents finds the pairs a full rebuild would.

    Args:
        store: The store being written (holds the new claims already).
        search: FAISS search over all vectors, new ones included.
        new_ids: Claim ids added in this build.
        new_vectors: Their vectors, row for row.
        settings: Pairing thresholds.
        vector_of: A stored claim's vector (re-checks older neighbours; None: new claims only).

    Returns:
        Each unordered pair once, the smaller id first.
    """
    if not len(new_ids):
        return []
    fresh = {int(i) for i in new_ids}
    lists, reached = _neighbour_lists(store, search, [int(i) for i in new_ids], new_vectors, settings)
    if vector_of is not None:
        # An older claim that may hold a new one among its nearest is one the new claims' deep
        # search reached (not only their top `neighbours`): its own list decides.
        older = sorted(o for o in reached if o not in fresh)
        if older:
            back, _ = _neighbour_lists(store, search, older, np.vstack([vector_of(i) for i in older]), settings)
            lists.update({cid: [(o, s) for o, s in hits if o in fresh] for cid, hits in back.items()})
    ids = sorted({cid for cid in lists} | {o for hits in lists.values() for o, _ in hits})
    meta = store.claims_by_id(ids)
    anchors = {cid: _anchors(f) for cid, f in store.claim_facts(ids).items()}
    pairs: dict[tuple[int, int], float] = {}
    for cid, hits in lists.items():
        own = meta.get(cid)
        if own is None:
            continue
        for other_id, score in hits:
            other = meta.get(other_id)
            if other is None or score < settings.min_similarity or not _pairable(own, other, settings):
                continue
            if score < settings.anchored_below and not _same_thing(
                anchors.get(own.claim_id), anchors.get(other.claim_id), settings.entity_ratio
            ):
                continue
            key = (min(own.claim_id, other.claim_id), max(own.claim_id, other.claim_id))
            pairs[key] = max(pairs.get(key, -1.0), score)
    return [(a, b, s) for (a, b), s in sorted(pairs.items())]


SEARCH_SLACK = 3  # search this many times deeper, for claims of the query's own document


def _neighbour_lists(store: Store, search: Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]],
                     ids: list[int], vectors: np.ndarray, settings: MatchSettings
                     ) -> tuple[dict[int, list[tuple[int, float]]], set[int]]:
    """Each claim's `settings.neighbours` nearest claims from other documents, with similarity;
    and every claim of another document the deeper search reached at `min_similarity`."""
    scores, found = search(vectors, SEARCH_SLACK * settings.neighbours + 1)
    docs = store.doc_ids_of(sorted({int(i) for i in found.ravel() if i >= 0} | set(ids)))
    lists: dict[int, list[tuple[int, float]]] = {}
    reached: set[int] = set()
    for row, cid in enumerate(ids):
        own = docs.get(cid)
        hits = [(int(o), float(sc)) for sc, o in zip(scores[row], found[row])
                if o >= 0 and int(o) != cid and docs.get(int(o)) not in (None, own)]
        lists[cid] = hits[: settings.neighbours]
        reached.update(o for o, sc in hits if sc >= settings.min_similarity)
    return lists, reached


_Anchors = tuple[frozenset[str], frozenset[tuple[float, str]], frozenset[str]]


def _anchors(facts: dict[str, Any]) -> _Anchors:
    """What a claim is concretely about: entity names (lowercased, no leading "the"), figures with
    their units, dates."""
    names = set()
    for entity in facts.get("entities", ()):
        if entity.get("label") in ("CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"):
            continue  # numbers and dates are compared as values below
        name = str(entity.get("text", "")).lower().strip()
        name = name.removeprefix("the ")
        name = name[:-2] if name.endswith(("'s", "’s")) else name
        if name:
            names.add(name)
    values = {(float(q["value"]), str(q.get("unit") or "")) for q in facts.get("quantities", ())
              if q.get("value") is not None}
    dates = {str(d["iso"]) for d in facts.get("dates", ()) if d.get("iso")}
    return frozenset(names), frozenset(values), frozenset(dates)


# Two figures of one unit within this factor of each other may be one quantity told two ways
# ("$3 billion could be diverted" / "divert $3.6 billion"): the very pairs a conflict is about.
CLOSE_FIGURES = 2.0


def _close_figures(a: frozenset[tuple[float, str]], b: frozenset[tuple[float, str]]) -> bool:
    for x, unit in a:
        for y, other in b:
            if x == y:
                return True
            if unit and unit == other and x > 0 and y > 0 and max(x, y) / min(x, y) <= CLOSE_FIGURES:
                return True
    return False


def _same_thing(a: _Anchors | None, b: _Anchors | None, entity_ratio: float) -> bool:
    """Whether two claims share an entity (fuzzy), a date, a number, or figures of one unit
    close to each other (`CLOSE_FIGURES`)."""
    if a is None or b is None:
        return False
    if a[2] & b[2] or _close_figures(a[1], b[1]):
        return True
    return any(x == y or fuzz.token_set_ratio(x, y) >= entity_ratio for x in a[0] for y in b[0])


def _pairable(a: StoredClaim, b: StoredClaim, settings: MatchSettings) -> bool:
    if a.doc_id == b.doc_id:
        return False
    if a.source != b.source:
        return True
    return settings.same_source and bool(a.speaker and b.speaker and not same_person(a.speaker, b.speaker))


def relate_candidates(store: Store, engine: Any, pairs: Sequence[tuple[int, int, float]],
                      batch: int = 256, progress: Callable[[int], None] | None = None) -> int:
    """Run the relation engine on candidate pairs and store every relation (neutral ones too:
    "related but neither agrees nor conflicts" is part of how two articles relate)."""
    stored = 0
    for start in range(0, len(pairs), batch):
        chunk = pairs[start : start + batch]
        ids = [i for a, b, _ in chunk for i in (a, b)]
        claims = store.claims_by_id(ids)
        words = entity_words(store.claim_facts(ids))
        texts = [(claims[a].text, claims[b].text) for a, b, _ in chunk]
        # Without the extractor's entities for both claims (older stores, stand-in extractors),
        # capitals alone mark names, as in `claimcheck compare`.
        names = [(words[a], words[b]) if a in words and b in words else None for a, b, _ in chunk]
        relations = engine.relate_pairs(texts, similarities=[s for _, _, s in chunk], names=names, either_way=True)
        # A conflict that exists only in our rewriting (a pronoun resolved to different people in
        # two articles: "His refusal..." -> "Netanyahu's refusal" / "Durbin's refusal") is not the
        # sources'; such pairs are related again on their original sentences.
        redo = [k for k, (a, b, _) in enumerate(chunk)
                if _resolution_artifact(claims[a], claims[b], relations[k])]
        if redo:
            again = engine.relate_pairs([(claims[chunk[k][0]].sentence, claims[chunk[k][1]].sentence) for k in redo],
                                        similarities=[chunk[k][2] for k in redo], names=[names[k] for k in redo],
                                        either_way=True)
            for k, relation in zip(redo, again):
                relations[k] = relation
        store.add_relations([(a, b, r) for (a, b, _), r in zip(chunk, relations)])
        stored += len(chunk)
        if progress:
            progress(len(chunk))
    return stored


# Entity labels that name something; numbers, dates and amounts have signals of their own.
NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
                         "LANGUAGE"})


def entity_words(facts: dict[int, dict[str, Any]]) -> dict[int, dict[str, set[str]]]:
    """Per claim, the lower-cased words of the named entities the extractor found in it, each
    with the labels of the entities it is part of (claims whose facts hold no entity list are
    left out)."""
    out: dict[int, dict[str, set[str]]] = {}
    for cid, fact in facts.items():
        if "entities" not in fact:
            continue
        words: dict[str, set[str]] = {}
        for entity in fact.get("entities", ()):
            if entity.get("label") in NAME_LABELS:
                for w in name_words(entity.get("text", "")):
                    words.setdefault(w, set()).add(entity["label"])
        out[cid] = words
    return out


def _resolution_artifact(a: StoredClaim, b: StoredClaim, relation: Any) -> bool:
    """Whether a `refutes` rests on an entity difference that neither original sentence has."""
    if relation.label != "refutes":
        return False
    return any(
        d.kind == "entity" and (d.a.lower() not in a.sentence.lower() or d.b.lower() not in b.sentence.lower())
        for d in relation.diffs
    )


# --- reading the stored relations -------------------------------------------------------------


@dataclass(frozen=True)
class ConflictFilter:
    """Filters for `contradictions`; `min_score` applies to `conflict_rank`."""

    sources: tuple[str, ...] = ()
    min_score: float = 0.25
    since: str | None = None
    until: str | None = None
    limit: int | None = 50


def _in_window(claim: StoredClaim, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    if claim.published is None:
        return False
    return (since is None or claim.published >= since) and (until is None or claim.published <= until)


def same_person(a: str, b: str) -> bool:
    """Whether two speaker names name one person: "Trump" / "Donald Trump", "Adam Schiff" /
    "Adam B. Schiff", "Benjamin Todd Jealous" / "Ben Jealous" (same surname, or one name inside
    the other)."""
    x, y = a.lower().strip(), b.lower().strip()
    if x == y or fuzz.token_set_ratio(x, y) >= 90:
        return True
    last = [re.findall(r"[^\W\d_][\w'’-]+", n) for n in (x, y)]
    return bool(last[0] and last[1] and last[0][-1] == last[1][-1] and len(last[0][-1]) > 2)


def _figures(text: str) -> set[float]:
    """The values of the numerals a statement writes (digits only: "one" is too common a word
    to compare)."""
    return {v for t in tokens(text) if NUMBER.match(t) and (v := number_value(t)) is not None}


PERIOD_WORDS = frozenset({"quarter", "half", "year", "month", "week", "season", "term"})


def _same_period(a: str, b: str) -> bool:
    """Whether two statements name the same period (a year, a month, "the first quarter"): then
    figures published on different days still describe one fixed fact, and differing ones
    conflict ("unemployment was 6 percent in the first quarter" / "9 percent in the first
    quarter" is no update, whatever day each was printed)."""
    def periods(text: str) -> set[str]:
        raw = tokens(text)
        toks = [t.lower() for t in raw]
        found = {t for t in toks if re.fullmatch(r"(1[89]|20)\d\d", t)}
        # A month names a period beside a day or a year ("March 5", "in March 2024"), not as an
        # event's name ("the March earthquake"); "may" only capitalised.
        found |= {t for i, t in enumerate(toks) if t in FULL_MONTHS and raw[i][:1].isupper()
                  and any(n[:1].isdigit() for n in toks[i + 1 : i + 2] + toks[max(0, i - 1) : i])}
        # Ordinal periods only: "last year" in two articles a year apart is two years.
        found |= {f"{toks[i - 1]} {t}" for i, t in enumerate(toks) if t in PERIOD_WORDS and i
                  and toks[i - 1] in ("first", "second", "third", "fourth")}
        return found
    return bool(periods(a) & periods(b))


# Words by which a report says that a figure has moved since an earlier one.
# "rose to" is left out: it is how any market or earnings report states its figure.
UPDATE_WORDS = re.compile(
    r"\b(?:(?:has|have|had) (?:now )?(?:risen|climbed|increased|grown|fallen|dropped|reached|jumped|doubled|been revised)"
    r"|revised (?:up|down)|now stands? at|latest (?:figures?|toll|count))\b",
    re.IGNORECASE,
)


def conflict_kind(a: StoredClaim, b: StoredClaim, diff_kinds: set[str],
                  diffs: Sequence[Any] = ()) -> tuple[str, str | None]:
    """Label a conflict: between two quoted speakers, a possible update over time, or a conflict.

    Two statements of one fact that disagree on it share the rest of their figures ("12 vs 14
    members" in an otherwise identical report). When two or more figures differ and the two
    statements share none, they are more likely two readings of a changing quantity ("the Nasdaq
    was up 7.60 points, or 0.46 percent, at 1,653.62" / "up 5.91 points, or 0.35 percent, at
    1,674.35": two days' market reports), and are labelled a possible update even without dates.

    Returns:
        (kind, note) where note names the newer statement for a possible update, or says why.
    """
    update: str | None = None
    if a.published and b.published and a.published != b.published and diff_kinds & {"number", "date"} \
            and not _same_period(a.text, b.text):
        newer = a if a.published > b.published else b
        update = f"newer: {newer.source} on {newer.published}"
        if UPDATE_WORDS.search(newer.text) and not UPDATE_WORDS.search((b if newer is a else a).text):
            # "has risen to 31" three days after "killed 12": the newer report says the figure
            # moved, whoever is quoted for each.
            return "possible-update", update
    if a.speaker and b.speaker and not same_person(a.speaker, b.speaker):
        # Two people quoted as disagreeing: the outlets report a dispute, they do not contradict
        # each other (or themselves).
        where = f"both quoted by {a.source}" if a.source == b.source else f"quoted by {a.source} and {b.source}"
        return "speaker-disagreement", f"{a.speaker} and {b.speaker}, {where}"
    if update is not None:
        return "possible-update", update
    changed = sum(1 for d in diffs if d.kind == "number")
    if changed >= 2 and not (_figures(a.text) & _figures(b.text)):
        return "possible-update", f"all {changed} figures differ and none is shared: likely two moments"
    return "conflict", None


# Two statements less similar than about this are seldom about the same fact: in a hand-judged
# sample of the BASIL top 30 (bench/eval_crossmatch.py), 16 of the 22 false alarms had cosine
# similarity under 0.70 and none of the 8 real conflicts or disagreements did. Chosen after that
# judgement (not independent of it); the next sample was judged afresh.
SAME_FACT_MID = 0.65
SAME_FACT_SLOPE = 15.0
# A conflict that only the NLI model sees (no number, date, negation, antonym or entity span
# differs) must be closer still: in the next judged sample, 10 of the 12 such pairs in the top 30
# were noise, most between two loosely related quotes (similarity 0.55-0.67). Chosen after that
# judgement; the sample after it was judged afresh.
SAME_FACT_MID_MODEL_ONLY = 0.75


def same_fact_weight(similarity: float, explicit: bool = True) -> float:
    """0..1: how surely two statements with this similarity are about the same fact; a conflict
    with no explicit differing span (`explicit=False`) needs more similarity."""
    mid = SAME_FACT_MID if explicit else SAME_FACT_MID_MODEL_ONLY
    return logistic(similarity, mid, SAME_FACT_SLOPE)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def carried_by_both(a: StoredClaim, b: StoredClaim, diffs: Sequence[Any] = (), ratio: float = 90.0) -> bool:
    """Whether both outlets carry both statements: one claim's words are inside the other's
    sentence (two claims split from one quotation that both quote), and every differing span of
    the pair is in both sentences. Such a pair is not a conflict between the two outlets. A
    changed number ("since 2002" / "since 2003") is in one sentence only, so it still counts.
    A claim's words are also read as the sentence has them, before pronouns were resolved: "She
    wanted fame and fortune" and "This was not why she had the surgery" split from one sentence
    that both outlets carry are "Jasmine Tridevil wanted..." / "...why Jasmine Tridevil had...".
    """
    if min(len(_normal(a.text)), len(_normal(b.text))) < 20:
        return False
    sa, sb = _normal(a.sentence), _normal(b.sentence)
    inside = [fuzz.partial_ratio(_normal(x), other) for claim, other in ((a, sb), (b, sa))
              for x in {claim.text, claim.original or claim.text}]
    if max(inside) < ratio:
        return False
    spans = [_normal(span) for d in diffs for span in (d.a, d.b)]
    return all(f" {span} " in f" {sa} " and f" {span} " in f" {sb} " for span in spans if span)


# Newsroom process, not a fact about the story: "X declined to comment", "did not respond to a
# request for comment", "could not be reached", "We don't comment on rumors", "Follow X on
# Twitter". Two of them differ only in who kept silent (or who wrote).
NEWSROOM = re.compile(
    r"\b(?:declined|refused)\s+(?:to\s+)?(?:comment|respond|elaborate)|\bno\s+(?:immediate\s+)?comment\b"
    r"|\b(?:did\s+not|didn't|has\s+not|hasn't|have\s+not|haven't)\s+(?:immediately\s+)?"
    r"(?:respond|return|reply|answer)(?:ed)?(?=\s*(?:[.,;]|$)|\s+to\s+(?:a|an|our|the|multiple|repeated|several)?\s*"
    r"(?:requests?|e-?mails?|messages?|(?:phone\s+)?calls?|inquir\w*|questions?))"
    r"|\bnot\s+(?:immediately\s+)?(?:be\s+)?reached\b"
    r"|\brequests?\s+for\s+comment\b|\bseeking\s+comment\b|\bcomment\s+on\s+(?:rumou?rs|speculation)\b"
    r"|^\W*follow\s+.{1,60}\s+on\s+(?:twitter|facebook|instagram)\b",
    re.IGNORECASE,
)


def newsroom_process(text: str) -> bool:
    """Whether a statement only reports the newsroom's process ("HP declined to comment")."""
    return bool(NEWSROOM.search(text))


# Two near-identical wordings that contradict each other show it in the wording: a number, a
# date, a name, a negation or an antonym that differs. When none is found, the relation model's
# "contradiction" between such rewordings is its own error ("The deal is valued at more than $2
# billion" / "The deal would value Mojang at more than $2 billion": contradiction 0.73). Measured
# as rapidfuzz's token_set_ratio over the two statements. Written after judging the FNC-1 corpus
# list, where it removes three noise pairs of the top 30 and no real conflict (the closest real
# one, "The NHL is considering expansion" / "The NHL has no plans to expand", is at 53).
REWORDING_RATIO = 80.0


def model_only_rewording(a: StoredClaim, b: StoredClaim, relation: Any) -> bool:
    """Whether a `refutes` rests on the relation model alone between two rewordings of one text
    ("was not aware" and "was unaware" are one wording here)."""
    return not relation.diffs and fuzz.token_set_ratio(*spell_negations_alike(a.text, b.text)) >= REWORDING_RATIO


def _with_carriers(store: Store, claims: dict[int, StoredClaim]) -> dict[int, StoredClaim]:
    """The claims, each naming every outlet of its article when several carry it word for word."""
    carriers = store.carriers(sorted({c.doc_id for c in claims.values()}))
    return {i: replace(c, carried_by=carriers[c.doc_id]) if len(carriers.get(c.doc_id, ())) > 1 else c
            for i, c in claims.items()}


def _listed_claims(store: Store, ids: set[int]) -> dict[int, StoredClaim]:
    """The claims that stored relations name; a relation whose claim is gone means the store was
    edited or damaged, which `claimcheck info --check` reports in full."""
    claims = store.claims_by_id(sorted(ids))
    if len(claims) < len(ids):
        missing = sorted(ids - claims.keys())
        raise IndexCorrupt(f"the index's store holds relations of {len(missing)} claims it does not hold "
                           f"(first: claim {missing[0]}); run `claimcheck info --check`, then rebuild")
    return claims


def conflict_rank(relation: Any) -> float:
    """A contradiction's score: P(refutes) weighted by `same_fact_weight`, how likely the two
    statements conflict *about one fact*. The default floor (`ConflictFilter.min_score`, 0.25) is
    even odds on each: a refutation at 0.5 between statements at the same-fact midpoint."""
    return relation.probabilities["refutes"] * same_fact_weight(relation.similarity, bool(relation.diffs))


def contradictions(store: Store, filters: ConflictFilter = ConflictFilter(),
                   near: Callable[[StoredClaim], bool] | None = None) -> list[Conflict]:
    """Stored `refutes` relations as conflicts, scored and ranked by `conflict_rank` (the
    probability of `refutes` weighted by how surely the two statements are about one fact); pairs
    that both sources carry whole (`carried_by_both`), newsroom process and rewordings that only
    the relation model calls contradictory (`model_only_rewording`) are left out."""
    # The rank never exceeds P(refutes), so the store can drop rows below the floor first.
    rows = store.relations_with_label("refutes", filters.min_score)
    ranked = sorted(((conflict_rank(r), a, b, r) for a, b, r in rows), key=lambda row: -row[0])
    ranked = [row for row in ranked if row[0] >= filters.min_score]
    claims = _with_carriers(store, _listed_claims(store, {i for _, a, b, _ in ranked for i in (a, b)}))
    out: list[Conflict] = []
    # The same two statements carried again by other sources (copies of one story) are one
    # contradiction: listed once, at its best score, naming the other sources that carry it.
    first: dict[frozenset[str], int] = {}
    repeats: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for score, a_id, b_id, relation in ranked:
        a, b = claims[a_id], claims[b_id]
        if filters.sources and not ({a.source, b.source, *a.carried_by, *b.carried_by} & set(filters.sources)):
            continue
        if not (_in_window(a, filters.since, filters.until) or _in_window(b, filters.since, filters.until)):
            continue
        if near is not None and not (near(a) or near(b)):
            continue
        if carried_by_both(a, b, relation.diffs) or newsroom_process(a.text) or newsroom_process(b.text) \
                or model_only_rewording(a, b, relation):
            continue
        key = frozenset((_normal(a.text), _normal(b.text)))
        if key in first:
            repeats[first[key]].append((a.source, b.source))
            continue
        if filters.limit is not None and len(out) >= filters.limit:
            continue  # full, but later rows may still repeat a listed pair
        first[key] = len(out)
        kind, note = conflict_kind(a, b, {d.kind for d in relation.diffs}, relation.diffs)
        reasons = relation.reasons + ((note,) if note else ())
        out.append(Conflict(a=a, b=b, score=score, reasons=reasons, diffs=relation.diffs, kind=kind,
                            similarity=relation.similarity, p_refutes=relation.probabilities["refutes"]))
    for n, pairs in repeats.items():
        also = tuple(sorted(set(pairs)))
        shown = ", ".join(f"{x} / {y}" for x, y in also[:5]) + (" ..." if len(also) > 5 else "")
        out[n] = replace(out[n], reasons=out[n].reasons + (f"the same two statements also in {shown}",),
                         also_in=also)
    return out


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def independent_sources(claims: Sequence[StoredClaim], carriers: dict[str, tuple[str, ...]] | None = None,
                        ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Sources that carry a group, with near-identical wire copies counted once.

    Args:
        claims: The group.
        carriers: Per document id, every source that carries the identical article (see
            `Store.carriers`); those sources are one wire copy.

    Returns:
        (independent sources, groups of sources that carry the same wording).
    """
    by_source: dict[str, StoredClaim] = {}
    for claim in claims:
        for source in (carriers or {}).get(claim.doc_id, ()) or (claim.source,):
            by_source.setdefault(source, claim)
    names = sorted(by_source)
    uf = _UnionFind()
    index = {name: i for i, name in enumerate(names)}
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            same_article = by_source[x].doc_id == by_source[y].doc_id
            if same_article or fuzz.ratio(by_source[x].sentence, by_source[y].sentence) >= SYNDICATION_RATIO:
                uf.union(index[x], index[y])
    groups: dict[int, list[str]] = {}
    for name in names:
        groups.setdefault(uf.find(index[name]), []).append(name)
    independent = tuple(members[0] for members in groups.values())
    syndicated = tuple(tuple(m) for m in groups.values() if len(m) > 1)
    return independent, syndicated


def corroborations(store: Store, min_score: float = 0.5, min_sources: int = 2,
                   sources: Sequence[str] = ()) -> list[Corroboration]:
    """Groups of claims that say the same thing, carried by at least `min_sources` sources."""
    rows = store.relations_with_label("supports", min_score)
    uf = _UnionFind()
    score: dict[tuple[int, int], float] = {}
    for a, b, relation in rows:
        uf.union(a, b)
        score[(a, b)] = relation.probabilities["supports"]
    members: dict[int, list[int]] = {}
    for cid in {i for a, b, _ in rows for i in (a, b)}:
        members.setdefault(uf.find(cid), []).append(cid)
    claims = _listed_claims(store, set(uf.parent))
    carriers = store.carriers([c.doc_id for c in claims.values()])
    out = []
    for ids in members.values():
        group = tuple(claims[i] for i in sorted(ids))
        independent, syndicated = independent_sources(group, carriers)
        if len(independent) < min_sources:
            continue
        carried = {s for c in group for s in carriers.get(c.doc_id, (c.source,))}
        if sources and not (carried & set(sources)):
            continue
        best = max(s for (a, b), s in score.items() if a in ids)
        out.append(Corroboration(group, tuple(sorted(carried)), best, syndicated))
    # Ranked by independent sources: four outlets printing one wire story are one source, and
    # must not rank above three outlets that reported a claim each on their own.
    out.sort(key=lambda g: (-g.independent, -g.score, -len(g.sources)))
    return out


def uncorroborated(store: Store, min_checkworthiness: float = 0.5, limit: int | None = 50,
                   sources: Sequence[str] = ()) -> list[StoredClaim]:
    """Check-worthy claims that no independent source supports (what a fact-checker looks at
    first). A wire copy of a sentence in another outlet is no independent support: the claim
    is listed once, with every source that carries it. `sources`: only claims one of these
    carries (empty: all)."""
    claims = {c.claim_id: c for c in store.iter_claims()}
    copies = _UnionFind()
    backed: set[int] = set()
    for a, b, _ in store.relations_with_label("supports", 0.5):
        ca, cb = claims.get(a), claims.get(b)
        if ca is None or cb is None:
            continue
        if ca.source != cb.source and fuzz.ratio(ca.sentence, cb.sentence) >= SYNDICATION_RATIO:
            copies.union(a, b)
        else:
            backed.update((a, b))
    backed_groups = {copies.find(i) for i in backed}
    groups: dict[int, list[StoredClaim]] = {}
    for cid, claim in claims.items():
        root = copies.find(cid)
        if root not in backed_groups and claim.checkworthiness >= min_checkworthiness:
            groups.setdefault(root, []).append(claim)
    if sources:
        wanted = set(sources)
        carried = store.carriers([m.doc_id for members in groups.values() for m in members])
        groups = {root: members for root, members in groups.items()
                  if any(({m.source, *carried.get(m.doc_id, ())}) & wanted for m in members)}
    out = [max(members, key=lambda c: (c.checkworthiness, -c.claim_id)) for members in groups.values()]
    out.sort(key=lambda c: (-c.checkworthiness, c.claim_id))
    out = out[:limit] if limit is not None else out
    # An identical article from several outlets is still one source, but the list says who carries it.
    carriers = store.carriers([c.doc_id for c in out])
    listed = []
    for claim in out:
        sources = {s for m in groups[copies.find(claim.claim_id)] for s in carriers.get(m.doc_id, ()) or (m.source,)}
        listed.append(replace(claim, carried_by=tuple(sorted(sources))) if len(sources) > 1 else claim)
    return listed


def related_pairs(store: Store, limit: int | None = 100,
                  min_similarity: float = 0.0) -> list[Conflict]:
    """Every stored cross-source pair with its relation, most similar first.

    The pairs are returned as Conflict records whose `kind` is the relation label (supports,
    refutes or neutral) and whose `score` is that label's probability.
    """
    rows = [(a, b, r) for label in ("supports", "refutes", "neutral")
            for a, b, r in store.relations_with_label(label, 0.0)]
    rows = [row for row in rows if row[2].similarity >= min_similarity]
    rows.sort(key=lambda row: -row[2].similarity)
    rows = rows[:limit] if limit is not None else rows
    claims = _listed_claims(store, {i for a, b, _ in rows for i in (a, b)})
    return [
        Conflict(a=claims[a], b=claims[b], score=r.probabilities[r.label], reasons=r.reasons,
                 diffs=r.diffs, kind=r.label, similarity=r.similarity)
        for a, b, r in rows
    ]
