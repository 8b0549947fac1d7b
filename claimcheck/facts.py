"""Structured facts of a claim: named entities, numbers with units, dates normalised to ISO.

These feed the conflict signals ("91 groups" vs "19 groups", "January 23" vs "January 25"), so
values are plain floats and dates plain ISO strings (YYYY, YYYY-MM or YYYY-MM-DD). Relative dates
("on Sunday", "last month") are resolved against the article's publication date when it is known
and left unresolved (iso None) when it is not.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from claimcheck.types import DateMention, Entity, Quantity

NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_WORD_NUMBERS.update(
    {
        w: 10 * i
        for i, w in enumerate(
            ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
        )
    }
)
_MULTIPLIERS = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "m": 1e6,
    "k": 1e3,
}
_CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_PERCENT = frozenset({"%", "percent", "per cent", "percentage"})
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DMY_RE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s*(\d{{4}})?\b", re.IGNORECASE
)
_MDY_RE = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?", re.IGNORECASE
)
_MY_RE = re.compile(rf"\b({_MONTH_RE})\.?,?\s+(?:of\s+)?(\d{{4}})\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(?:in |the year |since |by )?((?:19|20)\d\d)$", re.IGNORECASE)


def _number(text: str) -> float | None:
    """A digit string ("1,200", "2.5") or an English number word ("nineteen", "forty-two")."""
    cleaned = text.replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        pass
    total = 0
    for part in cleaned.lower().split("-"):
        if part not in _WORD_NUMBERS:
            return None
        total += _WORD_NUMBERS[part]
    return float(total)


def _unit(num: Token, last: Token) -> str | None:
    """The noun phrase a number counts: from after the number up to its head noun."""
    doc = last.doc
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if (
        nxt is not None
        and nxt.lower_ == "percentage"
        and nxt.i + 1 < len(doc)
        and doc[nxt.i + 1].lower_.startswith("point")
    ):
        return "percentage points"
    if nxt is not None and nxt.lower_ in _PERCENT:
        return "percent"
    head = last.head if last.i != num.i and last.head.i > last.i else num.head
    if head.i > last.i and head.pos_ in ("NOUN", "PROPN") and head.i - last.i <= 4:
        words = [t for t in doc[last.i + 1 : head.i + 1] if t.text != "-"]
        if words and all(t.is_alpha for t in words):
            return " ".join(t.text for t in words)  # "seven-term" -> "term"
    return None


def quantities(tokens: list[Token]) -> tuple[Quantity, ...]:
    """Numbers with their units among `tokens` (dates and times excluded).

    A number word without a unit ("one of the ...") is left out: it is rarely a quantity.
    """
    out: list[Quantity] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        value = (
            _number(tok.text) if tok.like_num and tok.ent_type_ not in ("DATE", "TIME") else None
        )
        if value is None or tok.lower_ in _MULTIPLIERS:
            i += 1
            continue
        last = tok
        while last.i + 1 < len(tok.doc) and last.nbor().lower_ in _MULTIPLIERS:
            last = last.nbor()
            value *= _MULTIPLIERS[last.lower_]
        prev = tok.nbor(-1) if tok.i > 0 else None
        unit = _CURRENCIES.get(prev.text) if prev is not None else None
        unit = unit or _unit(tok, last)
        first = prev if prev is not None and prev.text in _CURRENCIES else tok
        end = last.i + 1 + {"percent": 1, "percentage points": 2}.get(unit or "", 0)
        if unit is not None or tok.text[:1].isdigit():
            out.append(Quantity(text=tok.doc[first.i : end].text, value=value, unit=unit))
        i += 1 + (last.i - tok.i)
    return tuple(out)


def _parse_published(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _relative(text: str, base: date) -> str | None:
    """ISO for relative expressions, given the publication date."""
    low = text.lower().strip()
    words = low.split()
    if low in ("today", "this morning", "tonight", "this afternoon", "this evening"):
        return base.isoformat()
    if low in ("yesterday", "last night"):
        return (base - timedelta(days=1)).isoformat()
    if low == "tomorrow":
        return (base + timedelta(days=1)).isoformat()
    if (
        words
        and words[-1] in _WEEKDAYS
        and len(words) <= 2
        and words[0] in (words[-1], "last", "on")
    ):
        back = (base.weekday() - _WEEKDAYS[words[-1]]) % 7
        return (base - timedelta(days=back)).isoformat()
    if low in ("last month", "this month", "next month"):
        shift = {"last": -1, "this": 0, "next": 1}[words[0]]
        month = base.month - 1 + shift
        return f"{base.year + month // 12:04d}-{month % 12 + 1:02d}"
    ago = re.fullmatch(r"(\w+) (day|week|month|year)s? ago", low)
    count = (
        1.0
        if ago and ago.group(1) in ("a", "an", "one")
        else _number(ago.group(1))
        if ago
        else None
    )
    if ago and count is not None:
        n = int(count)
        unit = ago.group(2)
        if unit == "year":
            return str(base.year - n)
        if unit == "month":
            month = base.month - 1 - n
            return f"{base.year + month // 12:04d}-{month % 12 + 1:02d}"
        return (base - timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
    if low in ("christmas", "christmas day"):
        return f"{base.year:04d}-12-25"
    if low in ("new year's day", "new year’s day"):
        return f"{base.year:04d}-01-01"
    if low in ("last year", "this year", "next year"):
        return str(base.year + {"last": -1, "this": 0, "next": 1}[words[0]])
    return None


def normalise_date(text: str, published: str | None, anchor: str | None = None) -> str | None:
    """ISO form of a date expression, or None when it cannot be pinned down.

    Args:
        text: The expression as written ("December 22, 2016", "on Sunday", "last month").
        published: The article's publication date (YYYY-MM-DD) for relative expressions.
        anchor: A date the article is about (YYYY-MM-DD) when `published` is unknown; it only
            supplies the year of "January 23", never a weekday or "last month".
    """
    base = _parse_published(published)
    year_base = base or _parse_published(anchor)
    clean = re.sub(
        r"^(?:on|in|earlier|later|since|by|from|until|the)\s+",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )
    for regex, order in ((_MDY_RE, "mdy"), (_DMY_RE, "dmy")):
        match = regex.search(clean)
        if match:
            a, b, year = match.groups()
            month, day = (
                (_MONTHS[a.lower()], int(b)) if order == "mdy" else (_MONTHS[b.lower()], int(a))
            )
            if not 1 <= day <= 31 or (year is None and year_base is None):
                return None
            try:
                if year:
                    return date(int(year), month, day).isoformat()
                assert year_base is not None
                return _nearest_year(month, day, year_base).isoformat()
            except ValueError:
                return None
    match = _MY_RE.search(clean)
    if match:
        return f"{int(match.group(2)):04d}-{_MONTHS[match.group(1).lower()]:02d}"
    match = _YEAR_RE.match(clean)
    if match:
        return match.group(1)
    if clean.lower() in _MONTHS and base is not None:
        return f"{base.year:04d}-{_MONTHS[clean.lower()]:02d}"
    return _relative(clean, base) if base is not None else None


def _nearest_year(month: int, day: int, base: date) -> date:
    """The month-day closest to `base`: "December 31" in a January article is last year's."""
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue  # 29 February
    return min(options, key=lambda d: abs((d - base).days))


def latest_full_date(text: str) -> str | None:
    """The latest fully written date ("December 22, 2016") in `text`, as ISO, or None."""
    found = []
    for regex, order in ((_MDY_RE, "mdy"), (_DMY_RE, "dmy")):
        for match in regex.finditer(text):
            a, b, year = match.groups()
            if not year:
                continue
            month, day = (a, b) if order == "mdy" else (b, a)
            try:
                found.append(date(int(year), _MONTHS[month.lower()], int(day)))
            except ValueError:
                continue
    return max(found).isoformat() if found else None


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """The doc's entities, made once per doc: `Doc.ents` makes a Span per entity on every call, and
    asked once per claim on a long line (a whole article on one line) that made extraction
    quadratic."""
    ents = doc.user_data.get("claimcheck_ents")
    if ents is None:
        ents = doc.user_data["claimcheck_ents"] = tuple(doc.ents)
    return ents


def dates(
    tokens: list[Token], published: str | None, anchor: str | None = None
) -> tuple[DateMention, ...]:
    """DATE entities among `tokens`, normalised (`anchor`: see `normalise_date`)."""
    ids = {t.i for t in tokens}
    doc = tokens[0].doc if tokens else None
    if doc is None:
        return ()
    return tuple(
        DateMention(text=e.text, iso=normalise_date(e.text, published, anchor))
        for e in doc_ents(doc)
        if e.label_ == "DATE" and e.start in ids and not e.text.endswith("-old")
    )


def entities(tokens: list[Token], extra: tuple[Entity, ...] = ()) -> tuple[Entity, ...]:
    """Named (non-numeric) entities among `tokens`, plus resolved ones, without duplicates."""
    ids = {t.i for t in tokens}
    found = list(extra)
    if tokens:
        found += [
            Entity(e.text, e.label_)
            for e in doc_ents(tokens[0].doc)
            if e.start in ids and e.label_ not in NUMERIC_LABELS
        ]
    return tuple(dict.fromkeys(found))
