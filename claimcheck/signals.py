"""Explicit conflict signals between two statements: numbers, dates, negation, antonyms, entities.

NLI models are weak at exactly the contradictions news is full of (de Marneffe et al. 2008):
"91 groups" vs "19 groups", "January 23" vs "January 25", "rejected" vs "welcomed". The two
texts are aligned token by token with rapidfuzz; each replaced, inserted or deleted span is
classified, and the reasons name the differing spans ("number differs: 91 vs 19").

A signal only counts when the two statements are about the same thing: they must share enough
content words outside the differing spans (`aboutness`), so "91 groups" in one story does not
refute "19 victims" in another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from claimcheck import units
from claimcheck.types import SpanDiff

# A negative contraction is two tokens, as spaCy splits it ("did" "n't"), so "did not" and
# "didn't" align as one negation against another and not as a polarity flip; both halves stay
# substrings of the text, for highlighting.
# A figure may carry a compact scale ("1.2m", "$5bn", "40k"); an ISO date is one token, read as
# the words news writes it in (`tokens`).
TOKEN = re.compile(r"\d{4}-\d\d-\d\d(?!\d)|\$?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|(?:bn|mn|tn|m|k)\b)?|\w+(?=n['’]t\b)"
                   r"|n['’]t\b|\w+(?:[-'’]\w+)*|[^\w\s]")
NUMBER = re.compile(r"^\$?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|bn|mn|tn|m|k)?$")
COMPACT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
ISO_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
MONTHS = units.MONTH_WORDS  # month names and their abbreviations, one list for both modules
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
RELATIVE_DAYS = {"today", "yesterday", "tomorrow", "tonight"}
NEGATIONS = {
    "not", "no", "never", "n't", "nor", "none", "nobody", "nothing", "neither", "without",
    "cannot", "didn't", "doesn't", "don't", "isn't", "wasn't", "weren't", "won't", "hasn't",
    "haven't", "hadn't", "aren't", "couldn't", "wouldn't", "shouldn't", "can't",
    "nt",  # the second half of a contraction that lost its apostrophe (see `tokens`)
}
# Contractions that lost their apostrophe in copy ("I dont know"), split like the others;
# "wont" and "cant" are words of their own and are left alone.
_BARE_CONTRACTIONS = frozenset({
    "dont", "doesnt", "didnt", "isnt", "wasnt", "werent", "hasnt", "havent", "hadnt", "arent",
    "couldnt", "wouldnt", "shouldnt",
})
# Antonym pairs frequent in news; each pair is listed once, both directions are checked.
ANTONYM_PAIRS = [
    ("accept", "reject"), ("accepted", "rejected"), ("welcome", "reject"), ("welcomed", "rejected"),
    ("welcomed", "condemned"), ("support", "oppose"), ("supported", "opposed"),
    ("supports", "opposes"), ("approve", "reject"), ("approved", "rejected"),
    ("approved", "vetoed"), ("rise", "fall"), ("rose", "fell"), ("risen", "fallen"),
    ("rising", "falling"), ("increase", "decrease"), ("increased", "decreased"),
    ("increases", "decreases"), ("up", "down"), ("win", "lose"), ("won", "lost"),
    ("winning", "losing"), ("victory", "defeat"), ("higher", "lower"), ("more", "fewer"),
    ("more", "less"), ("gain", "loss"), ("gains", "losses"), ("open", "closed"),
    ("opened", "closed"), ("allow", "ban"), ("allowed", "banned"), ("legal", "illegal"),
    ("alive", "dead"), ("guilty", "innocent"), ("confirmed", "denied"), ("confirm", "deny"),
    ("admitted", "denied"), ("true", "false"), ("agree", "disagree"), ("agreed", "refused"),
    ("before", "after"), ("first", "last"), ("largest", "smallest"), ("highest", "lowest"),
    ("success", "failure"), ("succeeded", "failed"), ("passed", "failed"), ("ready", "unwilling"),
    ("strengthen", "weaken"), ("expanded", "reduced"), ("hired", "fired"), ("born", "died"),
    ("cheaper", "expensive"), ("safe", "dangerous"), ("peace", "war"), ("ceasefire", "offensive"),
    ("already", "yet"), ("male", "female"), ("north", "south"), ("east", "west"),
    ("majority", "minority"), ("acquitted", "convicted"), ("lifted", "imposed"),
    # Readiness against refusal: "Damascus is ready to negotiate" / "Damascus refuses to negotiate".
    ("ready", "refuses"), ("ready", "refused"), ("ready", "refuse"), ("willing", "refuses"),
    ("willing", "refused"), ("willing", "unwilling"), ("agrees", "refuses"), ("agree", "refuse"),
    # Moves of a rate, a price or a figure, and outcomes.
    ("raised", "cut"), ("raise", "cut"), ("raises", "cuts"), ("raised", "lowered"), ("raise", "lower"),
    ("raises", "lowers"), ("hiked", "cut"), ("hiked", "lowered"), ("grew", "shrank"), ("expanded", "shrank"),
    ("widened", "narrowed"), ("improved", "worsened"), ("strengthened", "weakened"), ("surplus", "deficit"),
    ("profit", "loss"), ("successful", "failed"), ("successful", "unsuccessful"), ("held", "collapsed"),
    ("upheld", "overturned"), ("included", "excluded"), ("present", "absent"), ("released", "detained"),
    ("released", "arrested"), ("freed", "arrested"), ("freed", "detained"), ("released", "jailed"),
    ("freed", "jailed"), ("survived", "died"), ("survived", "killed"), ("survives", "dies"), ("released", "held"),
]
# Verbs of a figure's direction, by form: any word of the upward family against any of the
# downward one ("Unemployment declined" / "increased", "Oil climbed 2%" / "dropped 2%", "Growth
# is slowing" / "accelerating", "has risen" / "has fallen"). Words with other common senses stay
# out ("ease", "retreat", "advance", "raise", which takes an object, and the base "contract", a
# noun as often; "contracted" and "contracting" are in). "declined to comment" is no fall
# (`_opposed`). The base and past lists are aligned word for word (PAST_TENSES pairs them).
_UP = {
    "base": ("rise", "increase", "climb", "grow", "gain", "jump", "soar", "surge", "rally", "accelerate"),
    "past": ("rose", "increased", "climbed", "grew", "gained", "jumped", "soared", "surged", "rallied", "accelerated"),
    "third": ("rises", "increases", "climbs", "grows", "gains", "jumps", "soars", "surges", "rallies", "accelerates"),
    "ing": ("rising", "increasing", "climbing", "growing", "gaining", "jumping", "soaring", "surging", "rallying",
            "accelerating"),
    "participle": ("risen", "increased", "climbed", "grown", "gained", "jumped", "soared", "surged", "rallied",
                   "accelerated"),
}
_DOWN = {
    "base": ("fall", "decrease", "decline", "drop", "slip", "slump", "plunge", "tumble", "sink", "shrink", "slow", "dip"),
    "past": ("fell", "decreased", "declined", "dropped", "slipped", "slumped", "plunged", "tumbled", "sank", "shrank",
             "slowed", "dipped", "contracted"),
    "third": ("falls", "decreases", "declines", "drops", "slips", "slumps", "plunges", "tumbles", "sinks", "shrinks",
              "slows", "dips"),
    "ing": ("falling", "decreasing", "declining", "dropping", "slipping", "slumping", "plunging", "tumbling", "sinking",
            "shrinking", "slowing", "dipping", "contracting"),
    "participle": ("fallen", "decreased", "declined", "dropped", "slipped", "slumped", "plunged", "tumbled", "sunk",
                   "shrunk", "slowed", "dipped", "contracted"),
}
_DECLINE_FORMS = frozenset({"decline", "declined", "declines", "declining"})
ANTONYM_PAIRS += [(up, down) for form in _UP for up in _UP[form] for down in _DOWN[form]]
# Past tenses of the base forms above, for a negation with "did": "did not win" is "lost".
PAST_TENSES = {
    "accept": "accepted", "reject": "rejected", "welcome": "welcomed", "condemn": "condemned",
    "support": "supported", "oppose": "opposed", "approve": "approved", "veto": "vetoed", "rise": "rose",
    "fall": "fell", "increase": "increased", "decrease": "decreased", "win": "won", "lose": "lost",
    "open": "opened", "close": "closed", "allow": "allowed", "ban": "banned", "confirm": "confirmed",
    "deny": "denied", "admit": "admitted", "agree": "agreed", "refuse": "refused", "succeed": "succeeded",
    "fail": "failed", "pass": "passed", "strengthen": "strengthened", "weaken": "weakened",
    "expand": "expanded", "reduce": "reduced", "hire": "hired", "fire": "fired", "acquit": "acquitted",
    "convict": "convicted", "lift": "lifted", "impose": "imposed", "raise": "raised", "lower": "lowered",
    "grow": "grew", "shrink": "shrank", "widen": "widened", "narrow": "narrowed", "improve": "improved",
    "worsen": "worsened", "uphold": "upheld", "overturn": "overturned", "include": "included",
    "exclude": "excluded", "release": "released", "detain": "detained", "arrest": "arrested",
    "free": "freed", "jail": "jailed", "survive": "survived", "die": "died", "kill": "killed", "hold": "held",
    **{base: past for form in (_UP, _DOWN) for base, past in zip(form["base"], form["past"])},  # not "contracted"
}
ANTONYMS: dict[str, set[str]] = {}
for _a, _b in ANTONYM_PAIRS:
    ANTONYMS.setdefault(_a, set()).add(_b)
    ANTONYMS.setdefault(_b, set()).add(_a)

_ANTONYM_WORDS = frozenset(ANTONYMS) | frozenset(PAST_TENSES)

STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as that this these those is are was
    were be been being has have had do does did will would can could should may might must it its
    he she they them his her their we our you your i me my not no never said says say also than
    then there here which who whom whose what when where why how all any some such into over
    about after before up down out very just more most less only own same so too s t""".split()
)

# Capitalised words that are not names: function words, and titles and suffixes ("Mr. Trump" /
# "Trump Jr." is not a swapped name).
# Titles are capitalised but name nobody: "Joe Biden" / "President Biden" is one person.
TITLES = frozenset({
    "president", "prime", "minister", "senator", "governor", "chancellor", "king", "queen", "pope",
    "secretary", "mayor", "judge", "justice", "representative", "congressman", "congresswoman", "premier",
    "prince", "princess", "sheikh", "ceo", "chairman", "chairwoman", "vice",
})
NOT_NAMES = STOPWORDS | TITLES | {"mr", "mrs", "ms", "dr", "jr", "sr", "sen", "rep", "gov", "gen", "prof"}

# Strength of each kind of signal as evidence of a contradiction, before aboutness.
SIGNAL_WEIGHTS = {
    "number": 0.9, "date": 0.8, "negation": 0.75, "antonym": 0.7, "entity": 0.6,
}


@dataclass(frozen=True)
class Signals:
    """The conflict signals found between two statements.

    Attributes:
        diffs: Each differing span with its kind.
        aboutness: 0..1, how much the two statements share outside the differing spans.
        strength: 0..1, the strongest signal's weight times aboutness.
        reasons: Human-readable reasons, strongest first.
        hedges: Hedge cues ("reportedly", "allegedly", "according to") in the first statement
            (the evidence) that the second (the claim) does not have: the evidence only reports
            what the claim asserts.
        restated: The same words, with the same figures written another way or a complementary
            antonym negated: the reason that says so ("... (10 km = 6.2 miles)", "... ('did not
            win' = 'lost')"), else "".
        contained: No differing span, and every content word and figure of the second
            statement (the claim) is in the first (the evidence).
        compatible: No conflict although the relation model reads one: the same words but a
            plain negated opposite that is no complementary one ("did not rise" / "fell": neither
            denies the other), or figures that agree in place ("more than $700 billion" / "$716
            billion", "35.72" / "35.7"): the reason that says so, else "".
    """

    diffs: tuple[SpanDiff, ...]
    aboutness: float
    strength: float
    reasons: tuple[str, ...]
    hedges: tuple[str, ...] = ()  # hedge cues of the first statement that the second lacks
    restated: str = ""  # the same words, with the same figures written another way: how, else ""
    contained: bool = False  # every content word and figure of the claim (b) is in the evidence (a)
    compatible: str = ""  # no conflict though the model may read one (a negated opposite, agreeing figures)


# Typographic variants that say the same thing ("We’re" / "We're"): one outlet's typesetting
# must not read as a changed word.
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‒": "-", "–": "-", "—": "-"})


# Text that holds an ISO date or a compact figure, for which `tokens` has more to do.
_EXPANDABLE = re.compile(r"\d{4}-\d\d-\d\d|\d(?:bn|mn|tn|m|k)\b", re.IGNORECASE)


# After a bare figure ending in "m" these make it metres, not millions ("3.7m across").
_LENGTH_WORDS = frozenset({"long", "tall", "high", "wide", "deep", "across", "underground", "apart", "thick"})
_METRES = re.compile(r"^\d+(?:\.\d+)?m$")


def _metres(out: list[str]) -> list[str]:
    """"3.7m across" -> "3.7 metres across": a bare "m" before a word of length is metres."""
    fixed: list[str] = []
    for i, tok in enumerate(out):
        after = out[i + 1].lower() if i + 1 < len(out) else ""
        if _METRES.match(tok) and after in _LENGTH_WORDS:
            fixed += [tok[:-1], "metres"]
        else:
            fixed.append(tok)
    return fixed


# A day written before its month ("5 March 2019", "21st June"), read in `tokens` as news in the US
# writes it ("March 5, 2019"), so that the two ways align and a changed day is one difference.
_DAY_FIRST = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_ORDINAL_ENDINGS = frozenset({"st", "nd", "rd", "th"})


def _month_first(out: list[str]) -> list[str]:
    """"5 March 2019" -> "March 5 , 2019"; "21st June" -> "June 21"."""
    fixed: list[str] = []
    i = 0
    while i < len(out):
        tok = out[i]
        k = i + 1 + (i + 1 < len(out) and out[i + 1].lower() in _ORDINAL_ENDINGS)
        if len(tok) <= 2 and tok.isascii() and tok.isdigit() and 1 <= int(tok) <= 31 and k < len(out) \
                and out[k][:1].isupper() and out[k].lower() in MONTHS:
            fixed += [out[k], tok]
            if k + 1 < len(out) and re.fullmatch(r"(1[89]|20)\d\d", out[k + 1]):
                fixed.append(",")
            i = k + 1
            continue
        fixed.append(tok)
        i += 1
    return fixed


def tokens(text: str) -> list[str]:
    out = TOKEN.findall(text.translate(_TYPOGRAPHY))
    if _DAY_FIRST.search(text):
        out = _month_first(out)
    if _EXPANDABLE.search(text):
        out = _metres(out)
        # "2021-05-03" is "May 3, 2021" and "$5bn" is "$5 billion", so each lines up with the
        # other way of writing it (the figure stays a substring of the text, for highlighting).
        out = [part for t in out for part in _iso_words(t)]
        out = [part for t in out for part in _scale_words(t)]
    if any(t.lower() in _BARE_CONTRACTIONS for t in out):
        out = [part for t in out
               for part in ((t[:-2], t[-2:]) if t.lower() in _BARE_CONTRACTIONS else (t,))]
    return out


def _iso_words(tok: str) -> tuple[str, ...]:
    match = ISO_DATE.match(tok)
    if match is None or not 1 <= int(match[2]) <= 12 or not 1 <= int(match[3]) <= 31:
        return (tok,)
    return FULL_MONTHS[int(match[2]) - 1].capitalize(), str(int(match[3])), ",", match[1]


_SCALE_WORDS = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"}


def _scale_words(tok: str) -> tuple[str, ...]:
    if not NUMBER.match(tok):
        return (tok,)
    digits, scale = _compact_scale(tok)
    return (tok,) if scale == 1.0 else (digits, _SCALE_WORDS[scale])


def _compact_scale(tok: str) -> tuple[str, float]:
    """A figure without its compact scale, and the scale ("1.2m" -> "1.2", 1e6)."""
    low = tok.lower()
    for suffix in ("bn", "mn", "tn", "m", "k"):
        if low.endswith(suffix) and low[: -len(suffix)][-1:].isdigit():
            return tok[: -len(suffix)], COMPACT_SCALES[suffix]
    return tok, 1.0


def number_value(tok: str) -> float | None:
    low = tok.lower().lstrip("$").rstrip("%")
    if NUMBER.match(tok):
        digits, scale = _compact_scale(low)
        try:
            return float(digits.replace(",", "")) * scale
        except ValueError:
            return None
    return float(WORD_NUMBERS[low]) if low in WORD_NUMBERS else None


# Words before a number that make it a bound or an approximation: "more than $700 billion" agrees
# with "$716 billion", "nearly 60" with 58, "about 3,000" with 3,100 (within 10 %).
# "No more than 10" is a cap, not "more than 10".
BOUNDS = {
    "more than": ">", "over": ">", "above": ">", "at least": ">=", "upwards of": ">",
    "no fewer than": ">=", "no less than": ">=", "not less than": ">=", "not fewer than": ">=",
    "less than": "<", "fewer than": "<", "under": "<", "below": "<", "up to": "<=", "at most": "<=",
    "no more than": "<=", "not more than": "<=",
    "nearly": "~<", "almost": "~<", "just under": "~<",
    "about": "~", "around": "~", "roughly": "~", "approximately": "~", "some": "~", "estimated": "~",
    "an estimated": "~", "close to": "~", "just over": "~",
}


def _bound(toks: list[str], i: int) -> str | None:
    """The bound word(s) just before the number at position `i` (skipping a "$")."""
    before = [t.lower() for t in toks[max(0, i - 3) : i]]
    for n in (3, 2, 1):
        if len(before) >= n and " ".join(before[-n:]) in BOUNDS:
            return BOUNDS[" ".join(before[-n:])]
    return None


def _decimals(tok: str) -> int:
    digits = _compact_scale(tok.rstrip("%"))[0]
    return len(digits.split(".")[1]) if "." in digits else 0


def _agree(x: tuple[float, str, str | None], y: tuple[float, str, str | None]) -> bool:
    """Whether number y is consistent with number x as x states it (bound, approximation, or the
    same value at x's precision: 35.72 rounds to 35.7)."""
    vx, _, bx = x
    vy, _, by = y
    if _rounds_to(x, y):
        return True
    if by is not None and bx in (">", ">=", "<", "<="):
        # Two bounds that differ ("up to 10 years" vs "up to 2 years", "up to 10 years" vs "no
        # more than 20 years") are two claims, unless they are one bound on a count written two
        # ways: "at least 91" is "more than 90".
        return _same_count_bound(x, y)
    checks = {">": vy > vx, ">=": vy >= vx, "<": vy < vx, "<=": vy <= vx,
              "~": abs(vy - vx) <= 0.1 * abs(vx), "~<": 0.9 * vx <= vy <= vx}
    return bool(bx and checks[bx])


def _same_count_bound(x: tuple[float, str, str | None], y: tuple[float, str, str | None]) -> bool:
    """Whether two whole-number bounds say the same: "> 90" and ">= 91", "< 10" and "<= 9"."""
    (vx, _, bx), (vy, _, by) = x, y
    if not (vx.is_integer() and vy.is_integer()):
        return False
    lower = {">": 1, ">=": 0}
    upper = {"<": -1, "<=": 0}
    for side in (lower, upper):
        if bx in side and by in side:
            return vx + side[bx] == vy + side[by]
    return False


# "one" after these is a pronoun, not a count: "no one", "the one", "this one", "every one".
PRONOUN_ONE_AFTER = frozenset({"no", "any", "every", "each", "the", "this", "that", "which", "some"})


def _pronoun_one(toks: list[str], i: int) -> bool:
    return toks[i].lower() == "one" and i > 0 and toks[i - 1].lower() in PRONOUN_ONE_AFTER


def _numbers_at(toks: list[str], start: int, end: int) -> list[tuple[float, str, str | None]]:
    """(value, text, bound) of each number in toks[start:end], scales applied."""
    out = []
    for i in range(start, end):
        value = number_value(toks[i])
        if value is None or _pronoun_one(toks, i):
            continue
        if i + 1 < len(toks) and toks[i + 1].lower() in SCALES:
            value *= SCALES[toks[i + 1].lower()]
        out.append((value, toks[i], _bound(toks, i)))
    return out


def _role(toks: list[str], i: int) -> str:
    """What a figure is: a share ("5%", "5 percent"), a day of a month ("March 5"), or plain."""
    tok, nxt = toks[i], toks[i + 1].lower() if i + 1 < len(toks) else ""
    if tok.endswith("%") or nxt in ("%", "percent", "per", "pct"):
        return "share"
    if (i and toks[i - 1].lower() in MONTHS) or nxt in MONTHS:
        return "day"
    return "plain"


def _moved_to_another_role(ta: list[str], a: tuple[int, int], tb: list[str], b: tuple[int, int]) -> bool:
    """Whether one figure replaced by another is a change that only looks like a move: each
    figure is in the other statement too, but never in the role it has here ("fell 5% on 3 March"
    / "fell 3% on 5 March": the 5 is a share in one and a day in the other)."""
    at_a = [i for i in range(*a) if NUMBER.match(ta[i]) and number_value(ta[i]) is not None]
    at_b = [j for j in range(*b) if NUMBER.match(tb[j]) and number_value(tb[j]) is not None]
    if len(at_a) != 1 or len(at_b) != 1:
        return False
    i, j = at_a[0], at_b[0]
    x, y = number_value(ta[i]), number_value(tb[j])
    if x == y or _role(ta, i) != _role(tb, j):
        return False
    roles_in_b = {_role(tb, k) for k, t in enumerate(tb) if NUMBER.match(t) and number_value(t) == x}
    roles_in_a = {_role(ta, k) for k, t in enumerate(ta) if NUMBER.match(t) and number_value(t) == y}
    return bool(roles_in_b) and bool(roles_in_a) and _role(ta, i) not in roles_in_b and _role(tb, j) not in roles_in_a


def _moved_or_consistent(ta: list[str], a: tuple[int, int], tb: list[str], b: tuple[int, int]) -> bool:
    """Whether a number difference between ta[a[0]:a[1]] and tb[b[0]:b[1]] is no conflict: the
    two spans' numbers agree (bound, approximation, rounding), or one span's numbers all agree
    with numbers the other statement states elsewhere (moved, as in `_classify`, but allowing
    for rounding)."""
    span_a, span_b = _numbers_at(ta, *a), _numbers_at(tb, *b)
    if _consistent(span_a, span_b):
        return True
    # "between 30 and 40 houses" / "35 houses": a figure inside the other's range.
    for side, other in ((span_b, ta), (span_a, tb)):
        ranges = _ranges(other)
        inner = [v for v, _, _ in side if all(v not in (lo, hi) for lo, hi in ranges)]
        if ranges and inner and all(any(lo <= v <= hi for lo, hi in ranges) for v in inner):
            return True
    # A figure outside a date is stated elsewhere only outside a date: the 15 of "on January 15"
    # is not a count of 15.
    whole_a, whole_b = _numbers_at(ta, 0, len(ta)), _numbers_at(tb, 0, len(tb))
    plain = (_plain_numbers(ta[a[0]:a[1]]), _plain_numbers(tb[b[0]:b[1]]))
    others = (_plain_numbers(tb), _plain_numbers(ta))
    return any(side and all(any(_rounds_to(x, y) for y in other if x[0] not in own or y[0] in plain_other)
                            for x in side)
               for side, other, own, plain_other in ((span_a, whole_b, plain[0], others[0]),
                                                     (span_b, whole_a, plain[1], others[1])))


def _ranges(toks: list[str]) -> list[tuple[float, float]]:
    """The ranges a statement gives as "between X and Y"."""
    out = []
    for i in range(len(toks) - 3):
        if toks[i].lower() == "between" and toks[i + 2].lower() == "and":
            lo, hi = number_value(toks[i + 1]), number_value(toks[i + 3])
            if lo is not None and hi is not None and lo < hi:
                out.append((lo, hi))
    return out


def _rounds_to(x: tuple[float, str, str | None], y: tuple[float, str, str | None]) -> bool:
    """Whether two numbers are one value: equal, or the more precise rounded to the other when
    that one has decimals (35.72 / 35.7; not 35.7 / 36, which are as often two figures)."""
    (vx, tx, _), (vy, _, _) = sorted((x, y), key=lambda n: _decimals(n[1]))
    return vx == vy or _decimals(tx) > 0 and round(vy, _decimals(tx)) == vx


def _consistent(a: list[tuple[float, str, str | None]], b: list[tuple[float, str, str | None]]) -> bool:
    """Whether the numbers of one side all agree with some number of the other (either way)."""
    if not a or not b:
        return False
    return all(any(_agree(x, y) or _agree(y, x) for y in b) for x in a) or all(
        any(_agree(x, y) or _agree(y, x) for x in a) for y in b)


def _numbers_in(toks: list[str]) -> list[float]:
    return [value for value, _, _ in _numbers_at(toks, 0, len(toks))]


FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
MONTH_NAMES = {m[:3]: m for m in FULL_MONTHS} | {"sept": "september"}


_POSSESSIVE = re.compile(r"['’]s$")


def _bare(word: str) -> str:
    """A word lower-cased, without a possessive ("Obama's" -> "obama")."""
    return _POSSESSIVE.sub("", word.lower())


def _date_key(tok: str) -> str:
    """A date word without a possessive and with month abbreviations spelt out ("Dec" -> "december")."""
    low = _bare(tok)
    return MONTH_NAMES.get(low, low)


def _is_date_token(tok: str) -> bool:
    low = _date_key(tok)
    if low in MONTHS or low in WEEKDAYS or low in RELATIVE_DAYS:
        return True
    return bool(re.fullmatch(r"(1[89]|20)\d\d", tok))


_QUIET_MARKS = frozenset(".,;:'\"’‘“”()[]…")  # a "?" or "!" changes what is said


def _words(toks: list[str]) -> list[str]:
    """The tokens of a statement, lower-cased, without accents and with curly quotes straightened,
    without the punctuation that does not change what it says (a minus sign, a % or a $ stays)."""
    return [_plain_letters(t.lower().replace("’", "'")) for t in toks if not set(t) <= _QUIET_MARKS]


def _content(toks: list[str]) -> set[str]:
    return {_stem(t) for t in toks if t[0].isalnum() and t.lower() not in STOPWORDS}


def _stem(tok: str) -> str:
    low = tok.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if len(low) > len(suffix) + 3 and low.endswith(suffix):
            return low[: -len(suffix)]
    return low


def _verb_key(tok: str) -> str:
    """`_stem`, alike for a verb's base form too: "approve", "approved", "approves" -> "approv".
    (Content overlap keeps `_stem`: the verdict and pairing thresholds were tuned with it.)"""
    stem = _stem(tok)
    return stem[:-1] if stem == tok.lower() and len(stem) > 4 and stem.endswith("e") else stem


def _is_negation(tok: str) -> bool:
    return tok.lower().replace("’", "'") in NEGATIONS


# A negation inside a stretch that only one statement has, with more than this many other content
# words, belongs to extra content ("... some good and some bad, and that cannot be allowed to
# happen" quoted in full by one outlet, cut short by another), not to a flipped polarity.
MAX_WORDS_AROUND_NEGATION = 1


# A stretch that opens a clause of its own ("... abuse of power that cannot be tolerated" against
# "... abuse of power") is extra content however short: its negation belongs to that clause.
CLAUSE_OPENERS = frozenset({"that", "which", "who", "whom", "whose", "because", "if", "unless", "when",
                            "while", "although", "though", "but", "and", "or"})


MAX_NUMBER_STRETCH = 4  # tokens; see `_classify`
RELATIVE_PERIODS = {"this": "this", "next": "next", "coming": "next", "last": "last", "previous": "last"}
PERIODS = frozenset({"year", "month", "week", "quarter", "season", "decade", "century", "term", "weekend"})


_PERCENT = {"%": "percent", "pct": "percent"}
_SAME_UNIT = {**_PERCENT, "per": "percent"}  # a counted word: "3 per cent" counts percent


def _counted(span: list[str]) -> str | None:
    """The word a figure in the span counts ("30 roads" -> "road"), when the span says it."""
    for i, tok in enumerate(span[:-1]):
        after = span[i + 1]
        if after == "-" and i + 2 < len(span):  # "the 81-year-old"
            after = span[i + 2]
        if number_value(tok) is not None and (after[:1].isalpha() or after == "%"):
            low = after.lower()
            return None if low in SCALES or low in STOPWORDS else _SAME_UNIT.get(low, _stem(low))
    return None


def _counts_differ(a_span: list[str], b_span: list[str]) -> bool:
    """Whether both sides of a replaced stretch count something, and different things."""
    a, b = _counted(a_span), _counted(b_span)
    return a is not None and b is not None and a != b


def _filler(equal: list[str]) -> bool:
    """An equal run of at most two function words or marks: between two differences it is more
    likely a chance match inside replaced content than a shared part of the two statements."""
    return len(equal) <= 2 and all(not t[0].isalnum() or t.lower() in STOPWORDS for t in equal)


def _wordy(span: list[str]) -> bool:
    """Whether a differing stretch says more than a negation and a word or two, or opens a clause."""
    words = [t for t in span if t[0].isalnum() and not _is_negation(t) and t.lower() not in STOPWORDS]
    lead = [t.lower() for t in span if t[0].isalnum()]
    # "..., nobody wanted to do it": a clause after a comma or semicolon is extra content too.
    opener = lead[:1] and (lead[0] in CLAUSE_OPENERS or span[0] in (",", ";", "—", "–"))
    opens_clause = len(lead) > 2 and bool(opener) and any(map(_is_negation, span))
    return len(words) > MAX_WORDS_AROUND_NEGATION or opens_clause


def _flips_polarity(a_span: list[str], b_span: list[str]) -> bool:
    """One side of an aligned difference negates what the other asserts: the negations differ in
    parity and the words they leave are the same ("did not win" / "won" is a stretch the aligner
    pairs as "did not" / ""). A negation that comes with other words in place of other words
    ("is not alone" / "is my friend") negates another predicate: no flip."""
    if sum(map(_is_negation, a_span)) % 2 == sum(map(_is_negation, b_span)) % 2:
        return False
    rest_a = {_verb_key(t) for t in a_span if not _is_negation(t) and t.lower() not in STOPWORDS and t[:1].isalnum()}
    rest_b = {_verb_key(t) for t in b_span if not _is_negation(t) and t.lower() not in STOPWORDS and t[:1].isalnum()}
    return not (rest_a and rest_b and rest_a != rest_b)


FRACTIONS = {"half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0, "quarters": 25.0,
             "fifth": 20.0, "fifths": 20.0, "tenth": 10.0, "tenths": 10.0}
SHARE_TOLERANCE = 1.0  # percentage points: "a third" is 33 percent, "one in three" 33.3


def _date_kind(key: str) -> str:
    return "weekday" if key in WEEKDAYS else "month" if key in MONTHS else "day" if key in RELATIVE_DAYS else "year"


def _stated_anyway(dates_a: set[str], dates_b: set[str], whole: tuple[str, str]) -> bool:
    """Whether the aligner paired two dates of different kinds ("Wednesday" against "Sept.")
    while one side's date appears in the other statement anyway (see `_classify`). Two dates
    of one kind are a real difference even then: "arrested on Friday and in court on Monday" /
    "in court on Friday"."""
    if {_date_kind(k) for k in dates_a} & {_date_kind(k) for k in dates_b}:
        return False
    stated = [{_date_key(t) for t in w.split() if _is_date_token(t)} - {"may"} for w in whole]
    return dates_a <= stated[1] or dates_b <= stated[0]


def _may_share(span: list[str]) -> bool:
    """A cheap test before `_share`: a figure or a fraction word in the span."""
    return any(t[:1].isdigit() or t[:1] == "$" or t.lower().split("-")[-1] in FRACTIONS or t.lower() in WORD_NUMBERS
               for t in span)


def _share(span: list[str], after: str = "") -> tuple[float, bool] | None:
    """(share in percent, whether it is written as a ratio) when the span states a share:
    "25 percent", "25%" (not a ratio); "one in four", "3 out of 4", "three-quarters of", "a
    third of", "half of" (ratios). None otherwise ("the third quarter" is no share). `after` is
    the word after the span, when the span ends there ("three-quarters" + "of")."""
    span = [part for tok in span for part in re.split(r"(-)", tok) if part]  # "three-quarters"
    low = [t.lower() for t in span] + [after.lower()]
    for i, tok in enumerate(low):
        value = number_value(span[i]) if i < len(span) else None
        if value is None:
            if tok in FRACTIONS and low[i + 1 : i + 2] == ["of"]:
                before = [t for t in low[max(0, i - 2) : i] if t != "-"]
                count = number_value(before[-1]) if before else None
                if count is not None or tok.startswith("half") or (before and before[-1] in ("a", "an")):
                    return FRACTIONS[tok] * (count or 1.0), True
            continue
        if span[i].endswith("%") or low[i + 1 : i + 2] in (["percent"], ["%"], ["pct"]) \
                or low[i + 1 : i + 3] == ["per", "cent"]:
            return value, False
        for link in (["in"], ["out", "of"]):
            after = low[i + 1 : i + 1 + len(link)]
            whole = low[i + 1 + len(link)] if i + 1 + len(link) < len(low) else None
            total = number_value(whole) if whole is not None and after == link else None
            if total and total > value:
                return 100.0 * value / total, True
    return None


def _month_word(tok: str) -> bool:
    return _date_key(tok) in MONTHS and (tok[:1].isupper() or tok.lower() != "may")


def _plain_positions(span: list[str], context: list[str]) -> list[int]:
    """Where the figures of a span are that are not part of a date. A year, and a number beside a
    month name (in the span, after its abbreviation's period as in "Jan. 15", or in the context
    at the span's edge), are dates."""
    out = []
    for i, tok in enumerate(span):
        if not NUMBER.match(tok) or number_value(tok) is None or _is_date_token(tok):
            continue
        before = span[max(0, i - 2) : i] if i >= 2 and span[i - 1] == "." else span[max(0, i - 1) : i]
        near = [*before, *span[i + 1 : i + 2], *(context if i in (0, len(span) - 1) else ())]
        if not any(map(_month_word, near)):
            out.append(i)
    return out


def _plain_figures(span: list[str], context: list[str]) -> set[float]:
    """The figures of a span that are not part of a date, as written: "112 on March 5" -> {112}."""
    return {number_value(span[i]) for i in _plain_positions(span, context)}  # type: ignore[misc]


_NAME_LINKS = frozenset({"of", "and", "for", "the", "&"})


def _abbreviates(span: list[str], other: list[str], counterpart: list[str]) -> bool:
    """Whether an all-capitals word of `span` starts with, or is started by, the initials of the
    run of capitalised words in the other statement that holds the aligned counterpart ("ISIS"
    against "State" of "the Islamic State"; "UN", "United Nations"; "FBI", "Federal Bureau of
    Investigation"). A run elsewhere in the sentence does not count ("ECB" / "Fed", with
    "European Commission officials" later)."""
    acronyms = [t for t in span if len(t) >= 2 and t.isalpha() and t.isupper()]
    if not acronyms:
        return False
    wanted = {t for t in counterpart if t[:1].isupper()}
    runs: list[str] = []
    initials, words = "", set()
    for tok in [*other, "."]:
        if tok[:1].isupper() and tok.isalpha():
            initials += tok[0]
            words.add(tok)
        elif not (initials and tok.lower() in _NAME_LINKS):
            if len(initials) >= 2 and words & wanted:
                runs.append(initials)
            initials, words = "", set()
    return any(a.startswith(r) or r.startswith(a) for a in acronyms for r in runs)


def _undated_side(span: list[str], context: list[str]) -> bool:
    """Whether one side of a date difference holds no date at all ("is 127" or "One such
    soldier" against "March 5"): no month, weekday, year or relative period, and no figure
    that a month beside it makes a day ("8" in "May 8", the month in the context)."""
    if any(_is_date_token(t) or t.lower() in RELATIVE_PERIODS for t in span):
        return False
    numbers = [t for t in span if NUMBER.match(t)]
    return not numbers or bool(_plain_figures(span, context))


def _figures_of_stretch(a_all: list[str], b_all: list[str], context: list[str],
                       whole_numbers: tuple[_Figures, _Figures]) -> tuple[str | None, list[str], list[str]]:
    """("number", figure, figure) when a stretch's figures outside dates differ, else (None, ...)."""
    a, b = _new_plain_figures(a_all, b_all, context, whole_numbers)
    if not (a and b and a != b):
        return None, a_all, b_all
    xs, ys = _numbers_at(a_all, 0, len(a_all)), _numbers_at(b_all, 0, len(b_all))
    if any(_agree(x, y) or _agree(y, x) for x in xs for y in ys):
        return None, a_all, b_all  # "about 110" / "reached 112 on March 5"
    first_a = next(t for t in a_all if NUMBER.match(t) and number_value(t) in a)
    first_b = next(t for t in b_all if NUMBER.match(t) and number_value(t) in b)
    return "number", [first_a], [first_b]


@dataclass(frozen=True)
class _Figures:
    """The numbers one whole statement gives: all of them, those outside its dates, and those in
    them (days and years)."""

    all: frozenset[float]
    plain: frozenset[float]
    dated: frozenset[float]

    @classmethod
    def of(cls, toks: list[str]) -> _Figures:
        plain = _plain_positions(toks, [])
        return cls(frozenset(_numbers_in(toks)), frozenset(_plain_numbers(toks)),
                   frozenset(v for i, t in enumerate(toks) if i not in plain and NUMBER.match(t)
                             and (v := number_value(t)) is not None))


def _plain_numbers(toks: list[str], context: list[str] = ()) -> set[float]:  # type: ignore[assignment]
    """The figures of `toks` outside dates (`_plain_positions`), scales applied as in `_numbers_in`."""
    return {value for i in _plain_positions(toks, context) for value, _, _ in _numbers_at(toks, i, i + 1)}


def _new_plain_figures(a_span: list[str], b_span: list[str], context: list[str],
                       whole_numbers: tuple[_Figures, _Figures]) -> tuple[set[float], set[float]]:
    """Each side's figures outside its dates that the other statement does not state anyway."""
    return (_plain_figures(a_span, context) - whole_numbers[1].all,
            _plain_figures(b_span, context) - whole_numbers[0].all)


def _plain_figures_differ(a_span: list[str], b_span: list[str], context: list[str],
                          whole_numbers: tuple[_Figures, _Figures]) -> bool:
    """Whether both sides hold figures outside their dates, and different ones ("The toll is
    127" / "The toll reached 112 on March 5" differ in the toll, not in a date)."""
    a, b = _new_plain_figures(a_span, b_span, context, whole_numbers)
    return bool(a and b and a != b)


def _classify(a_span: list[str], b_span: list[str], context: list[str] = (),  # type: ignore[assignment]
              whole: tuple[str, str] = ("", ""),
              whole_numbers: tuple[_Figures, _Figures] | None = None,
              wordy: bool = False, names_possible: bool = True) -> str | None:
    """Name the kind of one aligned difference, or None when it is not a conflict signal.

    `context` holds the equal tokens just around the span: "January 23" vs "January 25" differ
    only in "23"/"25", and the month beside them makes it a date. `whole` holds both statements
    (lower-cased), so a name that appears in the other statement anyway is not a substitution;
    `whole_numbers` holds the numbers of both statements, for the same reason. `wordy` says the
    stretch of adjacent differences this one belongs to is extra content (see `_wordy`), where a
    negation is not a polarity flip. `names_possible` is False where capitals do not mark names
    (title-cased headlines).
    """
    after = context[-1] if context else ""  # the word after the span (see `_aligned_diffs`)
    share_a = _share(a_span, after) if _may_share(a_span) else None
    share_b = _share(b_span, after) if share_a and _may_share(b_span) else None
    if share_a and share_b and (share_a[1] or share_b[1]) and min(len(a_span), len(b_span)) <= MAX_NUMBER_STRETCH:
        # "One in four adults" / "25 percent of adults": one share, written two ways.
        return None if abs(share_a[0] - share_b[0]) <= SHARE_TOLERANCE else "number"
    na, nb = _numbers_in(a_span), _numbers_in(b_span)
    # A number that the other statement states anyway was moved, not changed: "$29 for Messaging,
    # $89 for Team" vs "Messaging is $29, Team is $89" align $89 against $29. A figure outside a
    # date is stated anyway only outside a date: "arrested 12 people on January 15" / "arrested
    # 15 people on January 15" changed the count (it was "the same statement in other words"),
    # and a day is stated elsewhere only as a day ("15 people on January 15" / "on January 12").
    if whole_numbers is None:
        whole_numbers = (_Figures.of([]), _Figures.of([]))
    plain_a, plain_b = _plain_numbers(a_span, context), _plain_numbers(b_span, context)
    na = [x for x in na if x not in (whole_numbers[1].plain if x in plain_a else whole_numbers[1].dated)]
    nb = [x for x in nb if x not in (whole_numbers[0].plain if x in plain_b else whole_numbers[0].dated)]
    if na and nb and set(na) != set(nb):
        dateish = any(_is_date_token(t) for t in [*a_span, *b_span, *context] if not NUMBER.match(t))
        figures = [t for t in a_span + b_span if NUMBER.match(t)]  # "one" / "two" are no years
        years = bool(figures) and all(_is_date_token(t) for t in figures)
        if (dateish or years) and not _plain_figures_differ(a_span, b_span, context, whole_numbers):
            return "date"
        # Two long replaced stretches with a number each are two statements about different
        # quantities ("he was in his 30s" / "they were between 16 and 18 years old"); the same
        # quantity changed is found by its unit (`_unaligned_number_diffs`).
        if min(len(a_span), len(b_span)) > MAX_NUMBER_STRETCH:
            return None
        if _counts_differ(a_span, b_span):
            return None  # "30 roads" / "99 bridges": two counts of two things
        return "number"
    dates_a = {_date_key(t) for t in a_span if _is_date_token(t)}
    dates_b = {_date_key(t) for t in b_span if _is_date_token(t)}
    # A date the other statement states too is no difference: "voted on Wednesday" / "voted ...
    # Wednesday afternoon" aligns "Wednesday" against the "Sept. 11" of "Sept. 11 victims".
    if dates_a and dates_b and dates_a != dates_b and not _stated_anyway(dates_a, dates_b, whole):
        relative = dates_a <= RELATIVE_DAYS or dates_b <= RELATIVE_DAYS
        if not (relative and (dates_a | dates_b) <= RELATIVE_DAYS | WEEKDAYS):
            return "date"
        # "yesterday" vs "Saturday": the same day for an article of Sunday; the text cannot tell.
    # "this year" vs "next year": the period word is shared context, the difference is which one.
    rel_a, rel_b = ({RELATIVE_PERIODS.get(t.lower(), "") for t in span} for span in (a_span, b_span))
    if a_span and b_span and "" not in rel_a | rel_b and rel_a != rel_b and any(t.lower() in PERIODS for t in context):
        return "date"
    if _flips_polarity(a_span, b_span) and not wordy:
        return "negation"
    pair = _antonym_pair(a_span, b_span)
    if pair is not None and _opposed(pair, whole):
        return "antonym"
    # A swapped entity is a short stretch of capitalised words replaced by another one; a long
    # replaced stretch is a rewording, not a substitution.
    # Capitalised function words ("That" / "As" at the start of a sentence) are not names, and
    # the capitals of a title-cased headline mark nothing.
    if not names_possible:
        return None
    # Examples picked from a list ("Pakistan, the Philippines" / "including Morocco") are no swap.
    if any(t.lower() in LIST_MARKERS for t in a_span + b_span):
        return None
    caps_a = [t for t in a_span if _may_be_name(t)]
    caps_b = [t for t in b_span if _may_be_name(t)]
    short = len(a_span) <= 4 and len(b_span) <= 4
    mostly_caps = 2 * len(caps_a) >= len(a_span) and 2 * len(caps_b) >= len(b_span)
    if short and mostly_caps and caps_a and caps_b and not _same_entity(caps_a, caps_b):
        # A name the other statement has elsewhere is no swap ("Tawil's parents" / "Yair's parents,
        # Shlomo and Nehama Tawil": one family).
        mentioned = any(_possessor(t) in whole[1] for t in caps_a) or any(_possessor(t) in whole[0] for t in caps_b)
        # A country against a place that is not one may be the place inside it ("in Lyon" / "in
        # France"): no swap that the text can tell. Two countries, or two cities, are.
        inside = (_country(caps_a) is None) != (_country(caps_b) is None)
        if not mentioned and not inside:
            return "entity"
    return None


def _possessor(tok: str) -> str:
    """A name without its possessive ending, lower-cased ("Tawil's", "Jones'": tawil, jones)."""
    low = tok.lower().replace("’", "'")
    return low[:-2] if low.endswith("'s") else low.rstrip("'")


LIST_MARKERS = frozenset({"including", "includes", "include", "such", "like", "among", "notably"})
# Adverbs that open a sentence with a capital ("Equally worrying" / "Especially worrying"):
# long words with an adverb ending, which names seldom have ("Italy", "Sally", "Kelly" are short).
ADVERB_ENDINGS = ("ally", "ously", "ively", "ately", "ently", "antly", "ingly", "edly", "fully", "ably")


def _may_be_name(tok: str) -> bool:
    low = tok.lower().rstrip(".")
    if not tok[:1].isupper() or low in NOT_NAMES:
        return False
    return not (len(low) >= 7 and low.endswith(ADVERB_ENDINGS))


def _title_case(toks: list[str]) -> bool:
    """A headline in title case ("Trump Jr. Communicated With WikiLeaks During Campaign"): no
    lower-case word after the first, and a capitalised function word inside."""
    rest = [t for t in toks[1:] if t[:1].isalpha()]
    lower = [t for t in rest if t[0].islower()]
    inner_function_words = [t for t in rest if t[0].isupper() and t.lower() in STOPWORDS]
    return not lower and bool(inner_function_words)


# A country and the adjective news uses for it ("the first American hostage" / "the first US
# hostage"), for the countries most in the news; each name maps to one key.
COUNTRY_NAMES = {
    "us": ("american", "u.s.", "usa", "u.s.a.", "united states", "america"),
    "uk": ("british", "u.k.", "britain", "great britain", "united kingdom"),
    "russia": ("russian",), "china": ("chinese",), "syria": ("syrian",), "iraq": ("iraqi",),
    "iran": ("iranian",), "israel": ("israeli",), "mexico": ("mexican",), "france": ("french",),
    "germany": ("german",), "ukraine": ("ukrainian",), "turkey": ("turkish",), "japan": ("japanese",),
    "canada": ("canadian",), "afghanistan": ("afghan",), "pakistan": ("pakistani",), "india": ("indian",),
    "saudi arabia": ("saudi",), "egypt": ("egyptian",), "italy": ("italian",), "spain": ("spanish",),
    "north korea": ("north korean",), "south korea": ("south korean",), "australia": ("australian",),
}
_COUNTRY_KEY = {name: key for key, names in COUNTRY_NAMES.items() for name in (key, *names)}


def _country(words: list[str]) -> str | None:
    return _COUNTRY_KEY.get(_bare(" ".join(words)).removeprefix("the "))


def _same_entity(a: list[str], b: list[str]) -> bool:
    """True when two names are one entity: equal, one inside the other ("Assad" in "Bashar
    al-Assad"), allowing small spelling differences, or a country and its adjective ("US" /
    "American")."""
    x, y = _plain_letters(" ".join(a).lower()), _plain_letters(" ".join(b).lower())  # "Luís" is "Luis"
    if x == y or fuzz.partial_ratio(x, y) >= 85:
        return True
    country = _country(a)
    return country is not None and country == _country(b)


def _plain_letters(text: str) -> str:
    """The text without accents ("Luís Montenegro" -> "Luis Montenegro")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _describe(kind: str, a: str, b: str) -> str:
    if kind == "negation":
        return f"negation differs: '{a or '∅'}' vs '{b or '∅'}'"
    return f"{kind} differs: {a} vs {b}"


def _aligned_diffs(ta: list[str], tb: list[str], covered: tuple[Collection[int], Collection[int]] = ((), ())
                   ) -> tuple[list[SpanDiff], set[int], set[int], set[int], set[int],
                              list[tuple[set[int], set[int], str, str, bool]]]:
    """Align the token lists; returns classified diffs, the token positions that differ, the
    positions inside wordy differing stretches (see `_wordy`), per side, and the stretches whose
    negation an antonym cancels (positions per side, the two texts, and whether the two words are
    `COMPLEMENTARY`). Figures and units at `covered` positions are compared converted
    (`_converted`), not here."""
    ops = Levenshtein.opcodes([t.lower() for t in ta], [t.lower() for t in tb])
    whole = (" ".join(ta).lower(), " ".join(tb).lower())
    whole_numbers = (_Figures.of(ta), _Figures.of(tb))
    titled = _title_case(ta) or _title_case(tb)
    diffs: list[SpanDiff] = []
    diff_a: set[int] = set()
    diff_b: set[int] = set()
    extra_a: set[int] = set()  # positions inside wordy stretches only one side has
    extra_b: set[int] = set()
    # Adjacent differences form one stretch ("bad." vs "bad, and that cannot be allowed to
    # happen" aligns as an insert and a replace); wordiness is judged per stretch.
    wordy_ops: set[int] = set()
    stretches: list[tuple[list[str], list[str]]] = []  # of two or more adjacent differences
    stretch_of: dict[int, tuple[list[str], list[str]]] = {}  # op -> all tokens of its stretch
    stretch: list[int] = []
    cancelled: set[int] = set()  # ops of a stretch whose negation an antonym cancels
    # Of those, each stretch's tokens and words, and whether its antonyms are complementary
    # ("did not win" / "lost": the same, reworded) or not ("did not rise" / "fell": compatible).
    negated_opposites: list[tuple[set[int], set[int], str, str, bool]] = []
    for n, op in enumerate([*ops, None]):
        if op is not None and op.tag != "equal":
            stretch.append(n)
            continue
        if op is not None and stretch and n + 1 < len(ops) and _filler(ta[op.src_start : op.src_end]):
            continue  # "... he was n't a ..." inside replaced content: a chance match, not a break
        a_all = [t for k in stretch for t in ta[ops[k].src_start : ops[k].src_end]]
        b_all = [t for k in stretch for t in tb[ops[k].dest_start : ops[k].dest_end]]
        stretch_of.update((k, (a_all, b_all)) for k in stretch)
        negated = _negated_antonym(a_all, b_all) if stretch else None
        if negated is not None:
            cancelled.update(stretch)
            negated_opposites.append(({i for k in stretch for i in range(ops[k].src_start, ops[k].src_end)},
                             {j for k in stretch for j in range(ops[k].dest_start, ops[k].dest_end)},
                             " ".join(a_all), " ".join(b_all), frozenset(negated) in COMPLEMENTARY))
        if stretch and (_wordy(a_all) or _wordy(b_all)):
            wordy_ops.update(stretch)
        elif len(stretch) > 1:
            stretches.append((a_all, b_all))
        stretch = []
    for n, op in enumerate(ops):
        if op.tag == "equal":
            continue
        a_span, b_span = ta[op.src_start : op.src_end], tb[op.dest_start : op.dest_end]
        # "12 million" vs "12 billion" differ in the scale only: the figure is part of the difference.
        a_lo, b_lo = op.src_start, op.dest_start
        if (a_span and b_span and a_span[0].lower() in SCALES and b_span[0].lower() in SCALES and a_lo and b_lo
                and number_value(ta[a_lo - 1]) is not None):
            a_lo, b_lo = a_lo - 1, b_lo - 1
            a_span, b_span = ta[a_lo : op.src_end], tb[b_lo : op.dest_end]
        diff_a.update(range(op.src_start, op.src_end))
        diff_b.update(range(op.dest_start, op.dest_end))
        if _within(covered, range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
            continue
        wordy = n in wordy_ops
        if wordy:
            extra_a.update(range(op.src_start, op.src_end))
            extra_b.update(range(op.dest_start, op.dest_end))
        # The word before (two when it is an abbreviation's period: "Aug. 15") and the word after.
        back = 2 if op.src_start >= 2 and ta[op.src_start - 1] == "." else 1
        context = ta[max(0, op.src_start - back) : op.src_start] + ta[op.src_end : op.src_end + 1]
        kind = _classify(a_span, b_span, context, whole, whole_numbers, wordy, not titled)
        swapped = kind is None and op.tag == "replace" \
            and _moved_to_another_role(ta, (a_lo, op.src_end), tb, (b_lo, op.dest_end))
        if swapped:
            kind = "number"  # "fell 5% on 3 March" / "fell 3% on 5 March": swapped, not moved
        if n in cancelled:
            # "did not win" / "lost", "is not dead" / "is alive": the negation and the antonym
            # cancel (for "did not rise" / "fell" the one implies the other); neither counts.
            extra_a.update(range(op.src_start, op.src_end))
            extra_b.update(range(op.dest_start, op.dest_end))
            if kind in ("negation", "antonym"):
                continue
        if kind != "negation" and any(map(_is_negation, a_span + b_span)) \
                and not _flips_polarity(a_span, b_span):
            # A negation of another predicate here is not to be counted again as a stray one.
            extra_a.update(range(op.src_start, op.src_end))
            extra_b.update(range(op.dest_start, op.dest_end))
        if kind is None and op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start == 1:
            unit = _unit_changed(ta, op.src_start, tb, op.dest_start)
            if unit is not None:  # "40 °C" vs "40 °F", "2 hours" vs "2 minutes": one figure, two measures
                diffs.append(SpanDiff("number", *unit))
                continue
        if kind == "negation" and n + 1 < len(ops) and ops[n + 1].tag != "equal" and all(
                _in_bound(toks, i) for toks, lo, hi in ((ta, op.src_start, op.src_end), (tb, op.dest_start, op.dest_end))
                for i in range(lo, hi) if _is_negation(toks[i])):
            kind = None  # "up to 10 years" / "no more than 20 years": a bound, read with its figure
        if kind == "negation" and all(
                _emphatic(toks, i) for toks, lo, hi in ((ta, op.src_start, op.src_end), (tb, op.dest_start, op.dest_end))
                for i in range(lo, hi) if _is_negation(toks[i])):
            kind = None  # "Never has the saying been more fitting": emphasis, not a denial
        if kind == "entity" and (_abbreviates(a_span, tb, b_span) or _abbreviates(b_span, ta, a_span)):
            kind = None  # "ISIS" / "the Islamic State": one name, and its initials
        if kind == "date" and (_undated_side(a_span, context) or _undated_side(b_span, context)):
            # "is 127" aligned against "March 5" in "reached 112 on March 5": one side has no
            # date; the figures of the whole stretch tell what changed.
            kind, a_span, b_span = _figures_of_stretch(*stretch_of.get(n, (a_span, b_span)), context, whole_numbers)
            if kind:
                diffs.append(SpanDiff(kind, " ".join(a_span), " ".join(b_span)))
            continue
        if kind in ("number", "date") and not _same_frame(ta, (a_lo, op.src_end), tb, (b_lo, op.dest_end)):
            kind = None  # "led House Democrats since 2003" / "... posts since 2005": two things
        if kind == "number" and _within(covered, [i for i in range(a_lo, op.src_end) if number_value(ta[i]) is not None],
                                        [j for j in range(b_lo, op.dest_end) if number_value(tb[j]) is not None]):
            kind = None  # figures with units, compared converted
        if kind == "number" and not swapped and _moved_or_consistent(ta, (a_lo, op.src_end), tb, (b_lo, op.dest_end)):
            kind = None  # "more than 700" vs "716", "35.7" vs "35.72": the same fact
        clocks = (_clock(ta, a_lo), _clock(tb, b_lo)) if kind == "number" else (None, None)
        if clocks[0] and clocks[1]:  # "2:20 a.m." vs "around 2:30 a.m.": times of day
            if _clocks_agree(clocks[0], clocks[1]):
                continue
            diffs.append(SpanDiff("number", clocks[0][0], clocks[1][0]))
            continue
        if kind == "number":  # "About 3,000 vs More than 10,000", not "About 3,000 vs than 10,000"
            a_span, b_span = _figure_phrases(_figure_phrase(ta, a_lo, op.src_end), _figure_phrase(tb, b_lo, op.dest_end))
        elif kind == "antonym":  # "released vs arrested", not the two whole replaced stretches
            a_word, b_word = _antonym_pair(a_span, b_span) or (" ".join(a_span), " ".join(b_span))
            a_span, b_span = [a_word], [b_word]
        elif kind == "negation":  # name the cue words, not the whole replaced stretch
            a_span = [t for t in a_span if _is_negation(t)] or a_span[:0]
            b_span = [t for t in b_span if _is_negation(t)] or b_span[:0]
        elif kind == "date" and {t.lower() for t in a_span} <= RELATIVE_PERIODS.keys() and op.src_end < len(ta):
            a_span, b_span = [*a_span, ta[op.src_end]], [*b_span, ta[op.src_end]]  # "this year" vs "next year"
        elif kind == "date":  # "October" vs "September", not the two whole replaced stretches
            a_span, b_span = _date_words(a_span), _date_words(b_span)
        if kind:
            diffs.append(SpanDiff(kind, " ".join(a_span), " ".join(b_span)))
    # An antonym the aligner split over two differences ('is "ready' / 'refuses': a replace and
    # a delete) is found in their stretch as a whole.
    if not any(d.kind == "antonym" for d in diffs):
        for a_all, b_all in stretches:
            if _negated_antonym(a_all, b_all) is not None:
                continue
            pair = _antonym_pair(a_all, b_all)
            if pair is not None:
                diffs.append(SpanDiff("antonym", *pair))
    return diffs, diff_a, diff_b, extra_a, extra_b, negated_opposites


def _within(covered: tuple[Collection[int], Collection[int]], at_a: Iterable[int], at_b: Iterable[int]) -> bool:
    """Whether these positions of each statement all hold quantities compared converted."""
    return bool(covered[0] or covered[1]) and all(i in covered[0] for i in at_a) and all(j in covered[1] for j in at_b)


CLOCK_TOLERANCE = 15  # minutes either way of a time of day given as approximate ("around 2:30")
_ASCII_DIGITS = re.compile(r"[0-9]{1,2}")
_HALF = {"a": 0, "am": 0, "p": 720, "pm": 720}


def _clock(toks: list[str], i: int) -> tuple[str, int, bool, bool, bool] | None:
    """The time that token i is part of ("2", ":", "30", "a", ".", "m"): its text, its minute of
    the day, whether its half of the day is known (a.m. / p.m., or a 24-hour hour), whether it is
    given as approximate ("around 2:30", "shortly after 2:30"), and whether it is plainly a time
    of day (see `_clocks_agree`). Times with seconds ("2:01:39") are durations or exact records:
    None."""
    for hour in (i, i - 2):
        if not (0 <= hour and hour + 2 < len(toks) and toks[hour + 1] == ":"
                and _ASCII_DIGITS.fullmatch(toks[hour]) and _ASCII_DIGITS.fullmatch(toks[hour + 2])
                and len(toks[hour + 2]) == 2):
            continue
        if hour + 3 < len(toks) and toks[hour + 3] == ":":
            return None
        h, m = int(toks[hour]), int(toks[hour + 2])
        if h > 24 or m >= 60:
            return None
        after = [t.lower() for t in toks[hour + 3 : hour + 6]]  # "am", "a . m", "a m", or "a ." ending the text
        marked = after[:1] in (["am"], ["pm"]) or after[:1] in (["a"], ["p"]) and (
            after[1:] in ([".", "m"], ["."]) or after[1:2] == ["m"])
        half = _HALF[after[0]] if marked else None
        before = [t.lower() for t in toks[max(0, hour - 2) : hour]]
        shortly = len(before) == 2 and before[0] in ("shortly", "just") and before[1] in ("after", "before")
        approx = _bound(toks, hour) in ("~", "~<") or shortly
        text = f"{toks[hour]}:{toks[hour + 2]}"
        if half is not None:
            return text, (h % 12) * 60 + m + half, True, approx, True
        # A time of day, not a duration ("ran the mile in 4:12"): "at 2:30", "at around 2:30".
        of_day = h > 12 or h == 0 or shortly or "at" in before
        return text, h * 60 + m, h > 12 or h == 0, approx, of_day
    return None


def _clocks_agree(a: tuple[str, int, bool, bool, bool], b: tuple[str, int, bool, bool, bool]) -> bool:
    """Whether two times of day are one time given approximately: within `CLOCK_TOLERANCE`
    minutes, one of them said to be approximate, and one of them plainly a time of day (a.m. /
    p.m., a 24-hour hour, "at"), not a duration. Where either half of the day is unknown, "2:30"
    may be either half."""
    if not (a[3] or b[3]) or not (a[4] or b[4]):
        return False
    day = 1440 if a[2] and b[2] else 720
    gap = abs(a[1] - b[1]) % day
    return min(gap, day - gap) <= CLOCK_TOLERANCE


FRAME_WINDOW = 8  # content words on each side of a differing figure that tell what it is about
# Words beside a figure that say nothing of what it counts or dates: prepositions, period words,
# and the bound words ("nearly", "about") that `BOUNDS` reads.
FRAME_NEUTRAL = frozenset({
    "since", "until", "till", "during", "around", "under", "between", "through", "within", "across",
    "per", "onto", "upon", "via", "amid", "among", "against", "toward", "towards", "ago", "last",
    "next", "early", "late", "earlier", "later", "nearly", "almost", "roughly", "approximately",
    "estimated", "least", "most", "fewer", "less", "more", "upwards", "just", "close", "some",
})


def _same_frame(ta: list[str], a: tuple[int, int], tb: list[str], b: tuple[int, int]) -> bool:
    """Whether two aligned figures are about the same thing: one of the `FRAME_WINDOW` nearest
    content words on either side of one (numbers, dates and `FRAME_NEUTRAL` words skipped) is
    also near the other, or each figure has words near it that the other statement holds. In a
    long sentence the aligner can pair two figures that only share a preposition: "Pelosi has led
    House Democrats since 2003" / "... Senator Chuck Schumer of New York, 66, who has held various
    leadership posts since 2005"."""
    def words(side: list[str]) -> list[str]:
        return [t for t in side if t[:1].isalpha() and number_value(t) is None and not _is_date_token(t)
                and t.lower() not in FRAME_NEUTRAL and t.lower() not in STOPWORDS][:FRAME_WINDOW]

    def near(toks: list[str], span: tuple[int, int]) -> set[str]:
        return _content(words(toks[: span[0]][::-1]) + words(toks[span[1] :]))
    frame_a, frame_b = near(ta, a), near(tb, b)
    if not frame_a or not frame_b or frame_a & frame_b:  # "She was 82" / "She was 83": nothing to tell
        return True
    # A clause may stand between a figure and what it dates ("In 2015, after years of falling
    # sales, the company filed for bankruptcy" / "In 2017, the company filed ..."): then each
    # figure's words are still found in the other statement.
    return bool(frame_a & _content(tb)) and bool(frame_b & _content(ta))


_UNIT_WORDS = frozenset(units.MEASURE_OF)


def _converted(ta: list[str], tb: list[str]) -> list[tuple[units.Quantity, units.Quantity]]:
    """The figures the two statements give in different units of one measure ("10 km" / "6.2
    miles", "40 °C" / "104 °F"), paired when they are about the same thing (`_same_frame`); they
    are compared converted (`units.agree`), not by their digits."""
    if not (_UNIT_WORDS.intersection(map(str.lower, ta)) and _UNIT_WORDS.intersection(map(str.lower, tb))):
        return []
    qa, qb = units.quantities(ta, number_value, _bound), units.quantities(tb, number_value, _bound)

    def bare(toks: list[str], found: list[units.Quantity]) -> set[float]:
        inside = {i for q in found for i in range(q.start, q.end)}
        return {v for i, t in enumerate(toks) if i not in inside and (v := number_value(t)) is not None}
    # A figure the other statement states anyway, with no unit, was moved, not converted (as in
    # `_classify`): "100,000 tonnes" / "the donation of 60,000 tons brings the total to 100,000".
    in_a, in_b = bare(ta, qa), bare(tb, qb)
    return [(x, y) for x, y in units.converted_pairs(qa, qb)
            if x.value not in in_b and y.value not in in_a
            and _same_frame(ta, (x.start, x.end), tb, (y.start, y.end))]


def _placeheld(toks: list[str], converted: list[tuple[units.Quantity, units.Quantity]], side: int) -> list[str]:
    """The tokens with each converted quantity as one placeholder shared by both statements."""
    out = list(toks)
    for n, pair in sorted(enumerate(converted), key=lambda p: -p[1][side].start):
        out[pair[side].start : pair[side].end] = [f"§{n}"]
    return out


def _unit_changed(ta: list[str], i: int, tb: list[str], j: int) -> tuple[str, str] | None:
    """When the one word replaced at ta[i] / tb[j] is the unit of a figure both statements give
    alike ("2 hours" / "2 minutes", "40 °C" / "40 °F"), the two figure phrases; else None."""
    def figure(toks: list[str], k: int) -> int | None:
        back = k - 1 if k and toks[k - 1] in ("°", "degrees") else k
        return back - 1 if back and number_value(toks[back - 1]) is not None else None
    fa, fb = figure(ta, i), figure(tb, j)
    if fa is None or fb is None or number_value(ta[fa]) != number_value(tb[fb]):
        return None
    ua, ub = ta[i].lower(), tb[j].lower()
    for measure, names in units.UNITS.items():
        if ua in names and ub in names and names[ua] != names[ub]:
            if measure != "temperature" and (number_value(ta[fa]) == 0 or "ton" in (names[ua], names[ub])):
                return None  # "0 km" / "0 miles" is no distance either way; "tons" may be tonnes
            return " ".join(ta[fa : i + 1]).replace(" ° ", "°"), " ".join(tb[fb : j + 1]).replace(" ° ", "°")
    return None


def _figure_phrase(toks: list[str], start: int, end: int) -> tuple[list[str], list[str], list[str]]:
    """(bound words, figures, the word after) of toks[start:end]: "more than" / "10,000" / "people"
    or "" / "12" / "million", looked for around the span too; the whole span as figures when it
    has none."""
    at = [i for i in range(start, end) if number_value(toks[i]) is not None and not _pronoun_one(toks, i)]
    if not at:
        return [], toks[start:end], []
    lo, hi = at[0], at[-1] + 1
    before = [t.lower() for t in toks[max(0, lo - 3) : lo]]
    bound = next((n for n in (3, 2, 1) if len(before) >= n and " ".join(before[-n:]) in BOUNDS), 0)
    after = toks[hi] if hi < len(toks) else ""
    unit = int(after[:1].isalpha() and after.lower() not in STOPWORDS or after == "%")  # a scale or a unit
    return toks[lo - bound : lo], toks[lo:hi], toks[hi : hi + unit]


def _figure_phrases(a: tuple[list[str], list[str], list[str]], b: tuple[list[str], list[str], list[str]]
                    ) -> tuple[list[str], list[str]]:
    """Two figure phrases as a reason names them: the bound words and the word after (a unit)
    only where they differ ("About 3,000 vs More than 10,000", "12 million vs 12 billion", "3 km
    vs two miles", but "91 vs 19"); a scale always ("$5 million vs $9 million")."""
    def lower(words: list[str]) -> list[str]:
        return [w.lower() for w in words]

    keep_bound = lower(a[0]) != lower(b[0])
    # A scale stays even when both share it: "$5 million vs $9 million", not "$5 vs $9".
    scaled = all(len(x[2]) == 1 and x[2][0].lower() in SCALES for x in (a, b))
    keep_unit = lower(a[2]) != lower(b[2]) or scaled
    return [*(a[0] if keep_bound else []), *a[1], *(a[2] if keep_unit else [])], \
        [*(b[0] if keep_bound else []), *b[1], *(b[2] if keep_unit else [])]


def _date_words(span: list[str]) -> list[str]:
    """The part of a differing stretch from its first to its last date word or figure."""
    at = [i for i, t in enumerate(span) if _is_date_token(t) or NUMBER.match(t)]
    return span[at[0] : at[-1] + 1] if at else span


# Predicates whose two parties can trade places without changing the fact: "Biden met Xi" is
# "Xi met Biden".
SYMMETRIC = frozenset({
    "met", "meet", "meets", "meeting", "talked", "talks", "spoke", "speak", "agreed", "married", "tied", "drew",
    "played", "negotiated", "versus", "vs", "joined", "discussed", "shook", "hugged",
})
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be)\b(?:\s+\w+){1,3}?\s+by\b", re.IGNORECASE)


def _swapped_roles(ta: list[str], tb: list[str]) -> SpanDiff | None:
    """Two statements with the same words in which two parties trade places around the
    predicate, in the same voice: "Germany defeated France" / "France defeated Germany", "Apple
    sued Samsung" / "Samsung sued Apple". Similarity and the NLI model read them as one
    statement. Not for symmetric predicates ("met"), nor passive against active ("The bill was
    approved by the Senate" / "The Senate approved the bill"), which say the same."""
    def content(toks: list[str]) -> list[tuple[int, str]]:
        return [(i, _stem(t)) for i, t in enumerate(toks) if t[0].isalnum() and t.lower() not in STOPWORDS]

    if abs(len(ta) - len(tb)) > 4:  # a swap keeps the words: most pairs end here, cheaply
        return None
    ca, cb = content(ta), content(tb)
    if len(ca) != len(cb) or len(ca) < 3:
        return None
    differ = [k for k in range(len(ca)) if ca[k][1] != cb[k][1]]
    if len(differ) != 2:
        return None
    i, j = differ
    if not (ca[i][1] == cb[j][1] and ca[j][1] == cb[i][1]) or j - i < 2:
        return None
    between = [w for _, w in ca[i + 1 : j]]
    if any(w in SYMMETRIC or w.rstrip("e") in SYMMETRIC for w in between):
        return None
    if bool(_PASSIVE.search(" ".join(ta))) != bool(_PASSIVE.search(" ".join(tb))):
        return None
    span_a = " ".join(ta[ca[i][0] : ca[j][0] + 1])
    span_b = " ".join(tb[cb[i][0] : cb[j][0] + 1])
    return SpanDiff("entity", span_a, span_b)


def _reordered_antonym(ta: list[str], tb: list[str]) -> SpanDiff | None:
    """An antonym between two statements that say the rest in another order, which the aligner
    cannot pair: "The suspect was released by police" / "Police arrested the suspect". Their
    content words, the two antonyms aside, must be the same, and a negation in one only cancels
    the antonym ("The senator did not win" / "The senator lost")."""
    pair = _antonym_pair(ta, tb)
    if pair is None or sum(map(_is_negation, ta)) % 2 != sum(map(_is_negation, tb)) % 2:
        return None
    if not _opposed(pair, (" ".join(ta).lower(), " ".join(tb).lower())):
        return None
    rest_a = _content(ta) - {_stem(pair[0])}
    rest_b = _content(tb) - {_stem(pair[1])}
    return SpanDiff("antonym", *pair) if rest_a and rest_a == rest_b else None


def _negated_antonym(a_all: list[str], b_all: list[str]) -> tuple[str, str] | None:
    """When a differing stretch is one verb negation just before an antonym of a word on the
    other side, which cancel ("did not win" / "lost", "is not dead" / "is alive"; after "did" the
    base form's past tense is looked up), the two antonyms ("win", "lost"); else None.
    "passed without opposition" / "failed", "was convicted and was not released" / "was
    acquitted and was released" (the negation is another verb's) and "not yet" / "already" are
    no such thing."""
    if not any(t.lower() in _ANTONYM_WORDS for t in a_all) or not any(t.lower() in _ANTONYM_WORDS for t in b_all):
        return None
    neg_a = [i for i, t in enumerate(a_all) if _is_negation(t)]
    neg_b = [i for i, t in enumerate(b_all) if _is_negation(t)]
    if len(neg_a) + len(neg_b) != 1:
        return None
    side, other, n = (a_all, b_all, neg_a[0]) if neg_a else (b_all, a_all, neg_b[0])
    if side[n].lower() in NOUN_NEGATIONS:
        return None
    words = {t.lower() for t in other}
    words |= {PAST_TENSES[w] for w in words if w in PAST_TENSES}
    for word in side[n + 1 : n + 1 + MAX_WORDS_TO_NEGATED]:
        forms = {word.lower(), PAST_TENSES.get(word.lower(), word.lower())}
        if forms & {"yet", "already"}:
            continue
        for form in forms:
            hit = ANTONYMS.get(form, set()) & words
            if hit:
                return form, min(hit)
    return None


# Antonyms with nothing between them: "did not win" is "lost", "is not guilty" is "innocent"
# (unlike "did not rise" / "fell": prices can stay flat). A negation of one, the rest alike, is
# the same statement.
COMPLEMENTARY = frozenset(frozenset(pair) for pair in [
    ("won", "lost"), ("win", "lose"), ("alive", "dead"), ("guilty", "innocent"), ("legal", "illegal"),
    ("true", "false"), ("passed", "failed"), ("succeeded", "failed"), ("success", "failure"),
    ("successful", "unsuccessful"), ("present", "absent"), ("included", "excluded"),
    ("upheld", "overturned"), ("survived", "died"),
])


NOUN_NEGATIONS = frozenset({"no", "none", "nobody", "nothing", "neither", "nor", "without"})
MAX_WORDS_TO_NEGATED = 3  # "did not win", "has not been approved", "is not yet ready"


def _opposed(pair: tuple[str, str], whole: tuple[str, str]) -> bool:
    """Whether an antonym pair found between two statements opposes them: not when each word is
    in the other statement too ("Imports dropped while exports climbed" / "Exports climbed while
    imports dropped": the clauses swapped), nor for "declined to comment" (a refusal, not a fall;
    "declined to $5 billion" is one)."""
    a_word, b_word = pair[0].lower(), pair[1].lower()
    if f" {b_word} " in f" {whole[0]} " and f" {a_word} " in f" {whole[1]} ":
        return False
    return not any(word in _DECLINE_FORMS and re.search(rf"(?:^| ){word} to [a-z]", text)
                   for word, text in ((a_word, whole[0]), (b_word, whole[1])))


def _antonym_pair(a_span: list[str], b_span: list[str]) -> tuple[str, str] | None:
    lows_b = {t.lower(): t for t in b_span}
    for t in a_span:
        hit = ANTONYMS.get(t.lower(), set()) & lows_b.keys()
        if hit:
            return t, lows_b[min(hit)]
    return None


def _unaligned_number_diffs(ta: list[str], tb: list[str], covered: tuple[Collection[int], Collection[int]] = ((), ())
                            ) -> list[SpanDiff]:
    """Numbers that share a following word (unit) but differ, wherever they sit in the sentence
    (figures at `covered` positions are compared converted, in `_converted`)."""
    def by_unit(toks: list[str], skip: Collection[int]) -> dict[str, tuple[str, float, int]]:
        out = {}
        for i, tok in enumerate(toks):
            value = number_value(tok)
            if value is None or i in skip or _is_date_token(tok) or _pronoun_one(toks, i):
                continue
            if i and (_is_date_token(toks[i - 1]) or toks[i - 1] in "/-."):  # "Sept. 11", "9/11"
                continue
            if _clock(toks, i):  # "2:30": a time of day, compared in `_aligned_diffs`
                continue
            nxt = [t for t in toks[i + 1 : i + 4] if t[0].isalpha() and t.lower() not in STOPWORDS]
            if nxt:
                out[_SAME_UNIT.get(nxt[0].lower(), _stem(nxt[0]))] = (tok, value, i)
        return out

    ua, ub = by_unit(ta, covered[0]), by_unit(tb, covered[1])
    # A number the other statement states anyway was moved, not changed (as in `_classify`).
    in_a, in_b = set(_numbers_in(ta)), set(_numbers_in(tb))

    def changed(x: tuple[str, float, int], y: tuple[str, float, int]) -> bool:
        return x[1] != y[1] and x[1] not in in_b and y[1] not in in_a \
            and not _moved_or_consistent(ta, (x[2], x[2] + 1), tb, (y[2], y[2] + 1))

    found = [SpanDiff("number", _with_scale(ta, ua[u][2]), _with_scale(tb, ub[u][2]))
             for u in sorted(ua.keys() & ub.keys(), key=lambda u: ua[u][2])  # text order, not set order
             if changed(ua[u], ub[u])]
    # One sum of money on each side, in different scales ("more than $5 billion" / "$5.2
    # million"): keyed "billion" and "million" above, they were never compared.
    money_a, money_b = _scaled_money(ta, covered[0]), _scaled_money(tb, covered[1])
    if len(money_a) == len(money_b) == 1 and money_a[0][0] != money_b[0][0] and changed(money_a[0][1:], money_b[0][1:]):
        found.append(SpanDiff("number", _with_scale(ta, money_a[0][3]), _with_scale(tb, money_b[0][3])))
    return found


def _scaled_money(toks: list[str], skip: Collection[int]) -> list[tuple[str, str, float, int]]:
    """Sums of money written with a scale word ("$5 billion"): (scale, text, value, position)."""
    return [(toks[i + 1].lower(), toks[i], (number_value(toks[i]) or 0.0) * SCALES[toks[i + 1].lower()], i)
            for i, tok in enumerate(toks[:-1])
            if tok[:1] in "$€£" and i not in skip and number_value(tok) is not None and toks[i + 1].lower() in SCALES]


def _with_scale(toks: list[str], i: int) -> str:
    """A figure and the scale word after it, as written ("$5 billion"; "$42 million", not "$42");
    the figure alone when no scale follows."""
    return f"{toks[i]} {toks[i + 1]}" if i + 1 < len(toks) and toks[i + 1].lower() in SCALES else toks[i]


def _polarity_flip(ta: list[str], tb: list[str], skip_a: Collection[int] = (),
                   skip_b: Collection[int] = ()) -> SpanDiff | None:
    """A negation present in one statement only, when the two are close rewordings.

    Between loosely related sentences a stray "no" ('the lone "no" vote') says nothing about
    polarity, so the unaligned check needs the token sequences to be mostly the same.
    """
    if Levenshtein.normalized_similarity([t.lower() for t in ta], [t.lower() for t in tb]) < 0.5:
        return None
    neg_a = [t for i, t in enumerate(ta) if _is_negation(t) and i not in skip_a and not _in_bound(ta, i)
             and not _emphatic(ta, i)]
    neg_b = [t for i, t in enumerate(tb) if _is_negation(t) and i not in skip_b and not _in_bound(tb, i)
             and not _emphatic(tb, i)]
    if len(neg_a) % 2 != len(neg_b) % 2:
        return SpanDiff("negation", " ".join(neg_a), " ".join(neg_b))
    return None


# Auxiliaries before a verb negation ("did not approve", "has not approved", "was not seen").
_NEGATED_AUXILIARIES = frozenset({"do", "does", "did", "has", "have", "had", "is", "are", "was", "were", "will",
                                  "would", "could", "can", "should", "may", "might", "must"})
# Between the negation and its verb ("has not yet approved", "will not be approved").
_BEFORE_NEGATED_VERB = frozenset({"be", "been", "yet", "ever", "formally", "officially", "immediately"})
# Words that negate what follows them without "not": the other statement's verb after one of them
# is negated too ("refused to recuse", "failing to meet", "declined to respond", "unless").
_NEGATIVE_LEAD = frozenset({"refused", "refuses", "refuse", "refusing", "declined", "declines", "decline",
                            "failed", "fails", "fail", "failing", "failure", "unless", "without", "denied",
                            "denies", "deny", "instructed", "told", "never"})
_SUBJECT_WINDOW = 4  # content words just before the negation, one of which the other statement must have


def _negated_shared_verb(ta: list[str], tb: list[str]) -> SpanDiff | None:
    """A verb one statement negates after an auxiliary and the other states, about the same
    subject and object: "The council voted 7-2 on Monday to approve a $42 million subsidy for the
    stadium" / "The council did not approve the stadium subsidy on Monday" (too unlike as token
    sequences for `_polarity_flip`). The subject (a content word of the few before the negation)
    and the object (the first content word after the verb) must both be in the other statement, whose
    verb must read as one (after "to" or an auxiliary, or in a past tense) and be negated nowhere
    ("refused to recuse" / "would not recuse" is no flip)."""
    for neg_side, (tx, ty) in enumerate(((ta, tb), (tb, ta))):
        content_y = _content(ty)
        for i, tok in enumerate(tx):
            low = tok.lower().replace("’", "'")
            if low == "n't" or low == "nt":
                aux = i > 0 and tx[i - 1].lower() in _NEGATED_AUXILIARIES | {"ca", "wo"}  # "can't", "won't"
            else:
                aux = low in ("not", "never") and i > 0 and tx[i - 1].lower() in _NEGATED_AUXILIARIES
            if not aux or _in_bound(tx, i) or _emphatic(tx, i):
                continue
            j = i + 1
            while j < len(tx) and tx[j].lower() in _BEFORE_NEGATED_VERB:
                j += 1
            if j >= len(tx) or not tx[j][:1].isalpha() or tx[j].lower() in STOPWORDS:
                continue
            verb = _verb_key(tx[j])
            before = [t for t in tx[max(0, i - 8) : i] if t[:1].isalnum() and t.lower() not in STOPWORDS]
            # The object: the first content word after the verb, not followed by "of" ("did not
            # disclose the price of the acquisition" / "disclosed the acquisition" agree).
            obj = next((n for n in range(j + 1, min(j + 5, len(tx)))
                        if tx[n][:1].isalnum() and tx[n].lower() not in STOPWORDS), None)
            if obj is None or _stem(tx[obj]) not in content_y or (obj + 1 < len(tx) and tx[obj + 1].lower() == "of"):
                continue
            if not {_stem(t) for t in before[-_SUBJECT_WINDOW:]} & content_y:
                continue
            uses = [k for k, other in enumerate(ty) if _verb_key(other) == verb]
            if not uses or any(_is_negation(t) or t.lower() in _NEGATIVE_LEAD
                               for k in uses for t in ty[max(0, k - 4) : k]):
                continue
            k = uses[0]
            before_k = ty[k - 1].lower() if k else ""
            if not (before_k == "to" or before_k in _NEGATED_AUXILIARIES | {"be", "been", "being"}
                    or ty[k].lower().endswith("ed")):
                continue
            found = (f"{tok} {tx[j]}", ty[k])
            return SpanDiff("negation", *(found if neg_side == 0 else found[::-1]))
    return None


# "Never has the need been greater", "Never have I seen such courage": an inverted "never" before
# a comparative or "so" / "such" stresses how great something is; it denies nothing. ("Never
# before has a president ..." and "Never did he say it" do deny, and keep their negation.)
INVERTED_AUXILIARIES = frozenset({"has", "have", "had", "is", "was", "were", "are", "will", "would", "could"})
EMPHATIC_WORDS = frozenset({"more", "less", "so", "such", "better", "worse", "greater", "bigger", "larger",
                            "stronger", "clearer", "higher", "lower", "fewer", "harder", "easier"})


def _emphatic(toks: list[str], i: int) -> bool:
    """Whether the negation at i is an emphatic inverted "never" (`EMPHATIC_WORDS`)."""
    if toks[i].lower() != "never" or i + 1 >= len(toks) or toks[i + 1].lower() not in INVERTED_AUXILIARIES:
        return False
    if i > 0 and toks[i - 1][:1].isalnum():  # "he has never been more ..." is no inversion
        return False
    for j in range(i + 2, min(i + 20, len(toks))):  # in the inverted clause only
        t = toks[j].lower()
        if t in CLAUSE_ENDS:
            return False
        # "so" / "such" before what they stress ("so many", "such courage"), not "said so".
        if t in EMPHATIC_WORDS and (t not in ("so", "such") or (j + 1 < len(toks) and toks[j + 1][:1].isalpha())):
            return True
    return False


CLAUSE_ENDS = frozenset({",", ";", ":", ".", "?", "!"})


def _in_bound(toks: list[str], i: int) -> bool:
    """Whether the negation at i opens a bound ("no more than 20 years"), which `BOUNDS` reads."""
    return " ".join(t.lower() for t in toks[i : i + 3]) in BOUNDS


# Prefixes that negate an adjective or verb ("unaware", "inaccurate", "disagree").
NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")


def spell_negations_alike(a: str, b: str) -> tuple[str, str]:
    """Write a negation with "not" the way the other statement writes it with a prefix, so that
    "was not aware" / "was unaware" (or "wasn't aware") read as the one statement they are."""
    def unify(x: str, y: str) -> str:
        for word in {t.lower() for t in tokens(y) if t[:1].isalpha()}:
            prefix = next((p for p in NEGATIVE_PREFIXES if word.startswith(p) and len(word) - len(p) >= 4), None)
            if prefix is not None:
                x = re.sub(rf"(?:\s+not|n['’]t)\s+{re.escape(word[len(prefix):])}\b", f" {word}", x, flags=re.IGNORECASE)
        return x
    return unify(a, b), unify(b, a)


# Cues that a statement reports a claim rather than asserting it (hedge cues of the CoNLL-2010
# hedge-detection task, restricted to reporting and rumour; modal verbs are left out: "sea levels
# could rise" is what science writing asserts). "Police said" is attribution, which the extractor
# already separates from the content, so reporting verbs are not cues here.
HEDGE_CUES = re.compile(
    r"\b(?:reportedly|allegedly|alleged|purportedly|supposedly|rumou?r(?:s|ed)?|unconfirmed|"
    r"unverified|according to|claim(?:s|ed|ing)?|is said to|are said to|was said to|"
    r"is believed to|are believed to|was believed to|apparently|appears? to|seems? to)\b",
    re.IGNORECASE,
)


def hedges(a: str, b: str) -> tuple[str, ...]:
    """Hedge cues in `a` that `b` does not contain ("reportedly" in the evidence, not the claim)."""
    in_b = {m.group(0).lower() for m in HEDGE_CUES.finditer(b)}
    return tuple(dict.fromkeys(m.group(0).lower() for m in HEDGE_CUES.finditer(a) if m.group(0).lower() not in in_b))


def name_words(text: str) -> set[str]:
    """The lower-cased words of a name as `find_signals` compares them (no possessive "'s")."""
    return {_bare(t) for t in tokens(text) if t[0].isalnum()}


# What a statement's names are, as `find_signals` takes them: the words of its named entities,
# each with the entity labels it carries ("hp" -> {"ORG"}), or just the words where the labels are
# not known.
Names = Mapping[str, Collection[str]] | Collection[str]


CONFUSED_LABELS = frozenset({"PERSON", "ORG", "GPE"})


def _labels(touched: set[str], names: Names) -> set[str]:
    """The entity labels of the name words a differing span touches ("?" where labels are unknown)."""
    if not isinstance(names, Mapping):
        return {"?"} if touched else set()
    return {label for word in touched for label in names[word]} or ({"?"} if touched else set())


def _known_names(diff: SpanDiff, names: tuple[Names, Names]) -> bool:
    """Whether both sides of an entity difference touch a name the parser found in their
    statement, of one kind: a substitution is one actor or place for another of the same kind.
    A person against an organisation ("IS leader Abu Bakr al-Baghdadi" / "the leader of ISIS"),
    a group against a nationality ("An Islamic radical group" / "ISIS terrorists") or a country
    against a region ("in Syria" / "in the Middle East") are two descriptions, not a swap."""
    touched_a, touched_b = name_words(diff.a) & set(names[0]), name_words(diff.b) & set(names[1])
    labels_a, labels_b = _labels(touched_a, names[0]), _labels(touched_b, names[1])
    if not labels_a or not labels_b:
        return False
    if labels_a & labels_b or "?" in labels_a | labels_b:
        return True
    # The small NER model mixes up people, organisations and places named by one unfamiliar
    # word ("proposed by Pelosi" is GPE, "by McConnell" PERSON): one such word each may be a swap.
    single = len(touched_a) == 1 and len(touched_b) == 1
    return single and (labels_a | labels_b) <= CONFUSED_LABELS


# "This was not why she had the surgery" denies a reason, not the surgery: against a statement
# that gives no reason or purpose ("She had the surgery a few months ago") it flips nothing.
NEGATED_REASON = re.compile(r"\b(?:not|n['’]t|never)\s+(?:why|because|the reason)\b", re.IGNORECASE)
REASON_CUES = re.compile(r"\b(?:why|because|reason|since|so that|due to|to|for|over|out of|after|amid)\b",
                         re.IGNORECASE)


def _denies_reason_only(a: str, b: str) -> bool:
    """Whether `a`'s only negation denies a reason and `b` gives no reason or purpose at all."""
    if not NEGATED_REASON.search(a) or REASON_CUES.search(b):
        return False
    rest = NEGATED_REASON.sub(" ", a)
    return not any(_is_negation(t) for t in tokens(rest))


def find_signals(a: str, b: str, names: tuple[Names, Names] | None = None) -> Signals:
    """Align two statements and collect the conflict signals between them.

    Args:
        a: The first statement (evidence).
        b: The second statement (claim).
        names: When known, the lower-cased words of each statement's named entities (from the
            extractor's NER), each mapped to its entity labels where those are known. Both sides
            of a swapped "entity" must then touch one of them: capitals alone also mark sentence
            openers ("Current CEO Meg Whitman" / "HP CEO Meg Whitman", "Address an issue" /
            "Fixes an issue"). With labels, the two names must share one (see `_known_names`).

    Returns:
        The signals, with aboutness and an overall strength in 0..1.
    """
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return Signals((), 0.0, 0.0, ())
    converted = _converted(ta, tb)
    covered = ({i for qa, _ in converted for i in range(qa.start, qa.end)},
               {j for _, qb in converted for j in range(qb.start, qb.end)})
    diffs, diff_a, diff_b, extra_a, extra_b, negated_opposites = _aligned_diffs(ta, tb, covered)
    if names is not None:
        diffs = [d for d in diffs if d.kind != "entity" or _known_names(d, names)]
    kinds = {d.kind for d in diffs}
    if "number" not in kinds:
        diffs.extend(_unaligned_number_diffs(ta, tb, covered))
    diffs.extend(SpanDiff("number", qa.text, qb.text) for qa, qb in converted if not units.agree(qa, qb))
    if "negation" not in {d.kind for d in diffs}:
        flip = _polarity_flip(ta, tb, extra_a, extra_b) or _negated_shared_verb(ta, tb)
        if flip is not None:
            diffs.append(flip)
    if not any(d.kind in ("antonym", "negation") for d in diffs):
        swapped = _reordered_antonym(ta, tb)
        if swapped is not None:
            diffs.append(swapped)
    if not any(d.kind == "number" for d in diffs):
        tally = _changed_tally(ta, tb, covered)
        if tally is not None:
            diffs.append(tally)
    if not diffs:
        roles = _swapped_roles(ta, tb)
        if roles is not None:
            diffs.append(roles)
    shared = _content([t for i, t in enumerate(ta) if i not in diff_a]) & _content(
        [t for i, t in enumerate(tb) if i not in diff_b]
    )
    whole_a, whole_b = _content(ta), _content(tb)
    shared |= whole_a & whole_b
    # The one word that differs is the point of a substitution, so it is not held against
    # aboutness: "held in Astana" vs "held in Geneva" share everything else.
    smaller = max(1, min(len(whole_a), len(whole_b)) - 1)
    aboutness = min(1.0, len(shared) / smaller)
    if any(d.kind == "negation" for d in diffs) and (_denies_reason_only(a, b) or _denies_reason_only(b, a)):
        diffs = [d for d in diffs if d.kind != "negation"]
    if sum(d.kind == "negation" for d in diffs) > 1 and _same_negation(ta, tb):
        # Two flips the aligner found in opposite directions cancel: "was not in a position to
        # confirm" / "was not immediately in a position to determine" negate the same thing.
        diffs = [d for d in diffs if d.kind != "negation"]
    diffs = _dedupe(diffs)
    diffs.sort(key=lambda d: -SIGNAL_WEIGHTS[d.kind])
    strength = (SIGNAL_WEIGHTS[diffs[0].kind] if diffs else 0.0) * aboutness
    reasons = tuple(_describe(d.kind, d.a, d.b) for d in diffs)
    restated = ""
    if not diffs and _DIGIT.search(a) is not None and _figures_written(a) != _figures_written(b) \
            and _canonical(_placeheld(ta, converted, 0)) == _canonical(_placeheld(tb, converted, 1)):
        same = ", ".join(f"{qa.text} = {qb.text}" for qa, qb in converted)
        restated = "the same statement, figures written another way" + (f" ({same})" if same else "")
    compatible = ""
    if not diffs and not restated and negated_opposites and _same_but(ta, tb, negated_opposites) \
            and all(_plain_negated_opposite(ta, tb, r) for r in negated_opposites):
        if all(r[4] for r in negated_opposites):
            restated = "the same statement in other words (" + ", ".join(f"'{r[2]}' = '{r[3]}'" for r in negated_opposites) + ")"
        else:
            compatible = "no conflict: " + ", ".join(f"'{r[2]}' / '{r[3]}'" for r in negated_opposites) \
                + " (a negated opposite, not a denial)"
    if not diffs and not restated and not compatible:
        agreeing = _agreeing_figures(ta, tb, diff_a, diff_b)
        if agreeing:
            compatible = f"no conflict: the figures agree ({agreeing})"
    if not diffs and not restated and _words(ta) == _words(tb):
        # The model can read a contradiction into a long sentence set against itself (0.78 for
        # a 27-word one): the same words are the same statement.
        restated = "the same statement, word for word"
    contained = not diffs and bool(whole_b) and whole_b <= whole_a \
        and set(_numbers_in(tb)) <= set(_numbers_in(ta))
    return Signals(tuple(diffs), aboutness, strength, reasons, hedges(a, b), restated, contained, compatible)


# After a negated verb these carry the negation to more than the verb: "did not fall as much as
# expected" says it fell.
_NEGATION_GOES_ON = frozenset({"as", "so", "too", "enough", "than", "much", "more", "less", "quite", "fully", "that"})


def _plain_negated_opposite(ta: list[str], tb: list[str], stretch: tuple[set[int], set[int], str, str, bool]) -> bool:
    """Whether a cancelled stretch is a plain "(did) not <verb>" against its opposite: the
    negation just before the opposite word, and nothing after it that the negation reaches
    ("did not stop rising", "did not hesitate to reject", "did not fall as much as" are no such
    thing: each denies something else)."""
    for toks, at in ((ta, stretch[0]), (tb, stretch[1])):
        pos = sorted(at)
        negations = [k for k, i in enumerate(pos) if _is_negation(toks[i])]
        if not negations:
            continue
        after = toks[pos[-1] + 1].lower() if pos[-1] + 1 < len(toks) else ""
        return negations == [len(pos) - 2] and after not in _NEGATION_GOES_ON
    return False


_BOUND_WORDS = frozenset(w for phrase in BOUNDS for w in phrase.split())
_FIGURE_WORDS = frozenset({"$", "%", "percent", "per", "cent"}) | _BOUND_WORDS


def _agreeing_figures(ta: list[str], tb: list[str], diff_a: set[int], diff_b: set[int]) -> str:
    """When all that differs between two statements is figures that agree (a bound and a figure
    inside it, a rounding, an approximation: "more than $700 billion" / "$716 billion",
    "35.72" / "35.7"), the two spans ("more than $700 billion / $716 billion"); else ""."""
    if not diff_a or not diff_b:
        return ""
    if any(_is_date_token(toks[i]) for toks, at in ((ta, diff_a), (tb, diff_b)) for i in at):
        return ""  # a year is no approximate count: "around 1950" / "1990" do not agree
    spans, figures = [], []
    for toks, at in ((ta, diff_a), (tb, diff_b)):
        words = [toks[i] for i in sorted(at)]
        if not any(number_value(w) is not None for w in words) \
                or not all(number_value(w) is not None or w.lower() in _FIGURE_WORDS or w.lower() in SCALES
                           for w in words):
            return ""
        lo = min(at)
        while lo and toks[lo - 1].lower() in _BOUND_WORDS:  # the bound that the aligner matched
            lo -= 1
        hi = max(at) + 1 + (max(at) + 1 < len(toks) and toks[max(at) + 1].lower() in SCALES)
        spans.append(" ".join(toks[lo:hi]))
        figures.append(_numbers_at(toks, lo, max(at) + 1))
    # Each figure agrees with the one in its place ("52 to 48" / "48 to 52" is no agreement),
    # scales applied ("more than $5 billion" / "$5.2 million" is none either).
    fa, fb = figures
    if len(fa) != len(fb) or not all(_agree(x, y) or _agree(y, x) for x, y in zip(fa, fb)):
        return ""
    return f"{spans[0]} / {spans[1]}"


# Words before "X to Y" that make it a count of votes or points, not a range ("voted 52 to 48").
_TALLY_VERBS = frozenset({"voted", "vote", "votes", "ruled", "won", "lost", "beat", "defeated", "passed", "approved",
                          "rejected", "drew", "tied", "finished", "ended", "margin", "score", "scoreline"})


def _tallies(toks: list[str], skip: Collection[int] = ()) -> list[tuple[int, int, int]]:
    """Scores and vote counts ("2-2", "5-4", "voted 52 to 48"): (first, second, position). A
    pair followed by its unit is a range ("5-10 km", "3-6 percent"), not a count."""
    out = []
    for i in range(len(toks) - 2):
        x, joint, y = toks[i], toks[i + 1].lower(), toks[i + 2]
        if not (x.isdigit() and y.isdigit() and len(x) <= 3 and len(y) <= 3) or i in skip or i + 2 in skip:
            continue
        after = toks[i + 3].lower() if i + 3 < len(toks) else ""
        if after == "%" or (after[:1].isalpha() and after not in STOPWORDS):
            continue
        if joint in ("-", "–") or (joint == "to" and i and toks[i - 1].lower() in _TALLY_VERBS):
            out.append((int(x), int(y), i))
    return out


def _changed_tally(ta: list[str], tb: list[str], covered: tuple[Collection[int], Collection[int]] = ((), ())
                   ) -> SpanDiff | None:
    """One score or vote count on each side that differs ("2-2" / "2-1", "52 to 48" / "48 to 52").
    The aligner reads a repeated or swapped figure as moved, not changed: the order is the fact."""
    found_a, found_b = _tallies(ta, covered[0]), _tallies(tb, covered[1])
    if len(found_a) != 1 or len(found_b) != 1 or found_a[0][:2] == found_b[0][:2]:
        return None

    def written(toks: list[str], i: int) -> str:
        return f"{toks[i]}-{toks[i + 2]}" if toks[i + 1] in ("-", "–") else f"{toks[i]} to {toks[i + 2]}"
    return SpanDiff("number", written(ta, found_a[0][2]), written(tb, found_b[0][2]))


def _same_but(ta: list[str], tb: list[str], stretches: list[tuple[set[int], set[int], str, str, bool]]) -> bool:
    """Whether two statements are the same once these differing stretches are left out."""
    drop_a = {i for r in stretches for i in r[0]}
    drop_b = {j for r in stretches for j in r[1]}
    return _canonical([t for i, t in enumerate(ta) if i not in drop_a]) \
        == _canonical([t for j, t in enumerate(tb) if j not in drop_b])


def _same_negation(ta: list[str], tb: list[str]) -> bool:
    """Whether each statement has one negation, at about the same place ("had no immediate
    comment" / "did not have an immediate response"); "did not confirm ..., will close" /
    "confirmed ..., will not close" negate two different things."""
    at_a = [i for i, t in enumerate(ta) if _is_negation(t)]
    at_b = [i for i, t in enumerate(tb) if _is_negation(t)]
    return len(at_a) == len(at_b) == 1 and abs(at_a[0] - at_b[0]) <= 3


_DIGIT = re.compile(r"\d")


def _figures_written(text: str) -> list[str]:
    """The words of a text that hold a digit, as written ("$5bn", "1,200,000")."""
    return [w.strip(".,;:") for w in text.split() if _DIGIT.search(w)]


def _month(tok: str) -> str:
    low = tok.lower()
    return MONTH_NAMES.get(low, low)


def _canonical(toks: list[str]) -> list[str]:
    """A statement's words with every figure as its value: "$1.2 billion", "$1,200 million" and
    "$1.2bn" all read "$ 1.2e+09"; "25%" and "25 per cent" read "25 percent"; "Mar. 5" reads
    "march 5" (and "5 March" was read so by `tokens`)."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        value = number_value(tok) if NUMBER.match(tok) else None
        if tok[:1].isupper() and tok.lower() in MONTHS:  # "Mar" is "march"
            out.append(_month(tok))
        elif value is not None:
            if tok.startswith("$"):
                out.append("$")
            if i + 1 < len(toks) and toks[i + 1].lower() in SCALES:
                value *= SCALES[toks[i + 1].lower()]
                i += 1
            out.append(f"{value:g}")
            if tok.endswith("%"):
                out.append("percent")
        elif tok.lower() == "per" and i + 1 < len(toks) and toks[i + 1].lower() == "cent":
            out.append("percent")
            i += 1
        elif tok.lower() in _PERCENT:
            out.append("percent")
        elif tok[0].isalnum():
            out.append(tok.lower())
        elif tok not in _PUNCTUATION:  # a sign, a currency: "-0.5%" is not "0.5%", "£5bn" not "€5bn"
            out.append(tok)
        i += 1
    return out


_PUNCTUATION = frozenset(".,;:!?\"'()[]")


def _dedupe(diffs: list[SpanDiff]) -> list[SpanDiff]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for d in diffs:
        key = (d.kind, d.a.lower(), d.b.lower())
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
