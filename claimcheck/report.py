"""Report: contradictions and corroborations exported as CSV, Markdown or one self-contained HTML page.

Every function returns text; the CLI decides where it goes. The HTML page needs no network: its
CSS and its small filter script are inline, and every piece of corpus text is escaped.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Sequence

from claimcheck.types import Conflict, Corroboration, IndexInfo, SpanDiff, StoredClaim

CONFLICT_KINDS: tuple[str, ...] = ("conflict", "speaker-disagreement", "possible-update")
CONFLICT_COLUMNS: tuple[str, ...] = (
    "a_text", "a_source", "a_published", "a_speaker",
    "b_text", "b_source", "b_published", "b_speaker",
    "score", "kind", "reasons", "a_document", "b_document", "differences",
    "a_carried_by", "b_carried_by",
)
GROUP_COLUMNS: tuple[str, ...] = (
    "group", "text", "source", "published", "speaker", "document",
    "score", "sources", "independent_sources", "syndicated",
)
# carried_by: every outlet of a word-for-word copy, "; "-joined (empty for a claim of one outlet).
CLAIM_COLUMNS: tuple[str, ...] = ("text", "source", "published", "speaker", "checkworthiness", "document",
                                  "carried_by")
_EMPTY_SPAN = "∅"


# --- spans -------------------------------------------------------------------------------------


def _span_pattern(span: str) -> re.Pattern[str]:
    # Whole-token match where the span starts/ends with a word character, so "19" does not
    # light up inside "2019".
    left = r"(?<!\w)" if span[0].isalnum() or span[0] == "_" else ""
    right = r"(?!\w)" if span[-1].isalnum() or span[-1] == "_" else ""
    return re.compile(left + re.escape(span) + right, re.IGNORECASE)


def _spaced_pattern(span: str) -> re.Pattern[str]:
    """A span as the signals write it, tokens joined by spaces ("May 8 , 2021", "did n't"),
    matched in text that joins some of them without one ("May 8, 2021", "didn't")."""
    return re.compile(r"\s*".join(re.escape(t) for t in span.split()), re.IGNORECASE)


_DATE_TOKEN = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")


def _date_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The written date ("2024-05-03", "3/5/2024") a match lies inside, or None: the signals
    read such a date as month, day and year, and name the day alone when it differs."""
    lo, hi = _token_around(text, start, end)
    return (lo, hi) if _DATE_TOKEN.fullmatch(text[lo:hi]) else None


def _token_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole token (letters, digits and the - / . : inside dates and figures) around a match."""
    def inside(i: int) -> bool:
        return text[i].isalnum() or (text[i] in "-/.:" and 0 < i < len(text) - 1
                                     and text[i - 1].isalnum() and text[i + 1].isalnum())
    while start > 0 and inside(start - 1):
        start -= 1
    while end < len(text) and inside(end):
        end += 1
    return start, end


def highlight_segments(text: str, spans: Iterable[str]) -> list[tuple[str, bool]]:
    """Split `text` into (segment, is_differing) pieces, marking each occurrence of a span.

    Args:
        text: The statement.
        spans: The differing spans on this statement's side (`SpanDiff.a` or `.b`).

    Returns:
        Segments in order; joined they give back `text`.
    """
    marked = [False] * len(text)
    for raw in spans:
        span = raw.strip()
        if not span or span == _EMPTY_SPAN:
            continue
        found = [m.span() for m in _span_pattern(span).finditer(text)]
        if not found:
            found = [m.span() for m in re.finditer(re.escape(span), text, re.IGNORECASE)]
            # A day inside a written date ("3" of "2024-05-03") is the date: only the date is lit,
            # not the "3" of an unchanged "13" or "2023" beside it.
            dates = [d for m in found if (d := _date_around(text, *m)) is not None]
            found = dates or found
        else:  # "13" of "2024-05-13" is found whole ("-" is no word character): the whole date
            found = [_date_around(text, *m) or m for m in found]
        found = found or [m.span() for m in _spaced_pattern(span).finditer(text)]
        for start, end in found:
            marked[start:end] = [True] * (end - start)
    segments: list[tuple[str, bool]] = []
    for i, ch in enumerate(text):
        if segments and segments[-1][1] == marked[i]:
            segments[-1] = (segments[-1][0] + ch, marked[i])
        else:
            segments.append((ch, marked[i]))
    return segments


def _diff_text(diffs: Sequence[SpanDiff]) -> str:
    return "; ".join(f"{d.kind}: {d.a} -> {d.b}" for d in diffs)


# --- CSV ---------------------------------------------------------------------------------------


# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)" in a source name) is written
# with a leading apostrophe, as OWASP advises for CSV exports; figures are left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FIGURE = re.compile(r"[+-]?\d[\d.,]*%?")


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _FIGURE.fullmatch(value):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def conflicts_csv(conflicts: Sequence[Conflict]) -> str:
    """Contradictions as CSV, one row per pair (header row always present).

    Args:
        conflicts: Pairs as `api.contradictions` returns them.

    Returns:
        CSV text with the columns of `CONFLICT_COLUMNS`; reasons and differences joined by "; ".
    """
    return _csv(CONFLICT_COLUMNS, (
        (c.a.text, c.a.source, c.a.published or "", c.a.speaker or "",
         c.b.text, c.b.source, c.b.published or "", c.b.speaker or "",
         f"{c.score:.4f}", c.kind, "; ".join(c.reasons), c.a.document, c.b.document,
         _diff_text(c.diffs), "; ".join(c.a.carried_by), "; ".join(c.b.carried_by))
        for c in conflicts
    ))


def groups_csv(groups: Sequence[Corroboration]) -> str:
    """Corroborations as CSV, one row per claim, numbered by group (header row always present).

    Args:
        groups: Groups as `api.corroborations` returns them.

    Returns:
        CSV text with the columns of `GROUP_COLUMNS`; `syndicated` lists wire copies as
        "a = b; c = d".
    """
    rows = []
    for n, g in enumerate(groups, 1):
        shared = ("; ".join(g.sources), str(g.independent), "; ".join(" = ".join(s) for s in g.syndicated))
        for c in g.claims:
            rows.append((str(n), c.text, c.source, c.published or "", c.speaker or "", c.document,
                         f"{g.score:.4f}", *shared))
    return _csv(GROUP_COLUMNS, rows)


def claims_csv(claims: Sequence[StoredClaim]) -> str:
    """Claims (such as those only one source carries) as CSV, one row per claim (header row
    always present), with the columns of `CLAIM_COLUMNS`."""
    return _csv(CLAIM_COLUMNS, (
        (c.text, c.source, c.published or "", c.speaker or "", f"{c.checkworthiness:.4f}", c.document,
         "; ".join(c.carried_by))
        for c in claims
    ))


# --- Markdown ----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~!])")


def _md_inline(text: str) -> str:
    return re.sub(r"[ \t]*\r?\n\s*", "<br>", _MD_SPECIAL.sub(r"\\\1", text))


def md_escape(text: str) -> str:
    """Escape text for one Markdown table cell: punctuation backslash-escaped, newlines as <br>."""
    return _md_inline(text.strip())


def _md_statement(text: str, spans: Iterable[str]) -> str:
    # Spans are matched stripped, so a marked segment never starts or ends with a space and the
    # ** around it is always read as emphasis.
    return "".join(f"**{_md_inline(seg)}**" if marked else _md_inline(seg)
                   for seg, marked in highlight_segments(text.strip(), spans))


def _md_who(claim: StoredClaim) -> str:
    bits = [claim.source_label] + ([claim.published] if claim.published else [])
    if claim.speaker:
        bits.append(f"speaker: {claim.speaker}")
    return md_escape(", ".join(bits))


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def conflicts_markdown(conflicts: Sequence[Conflict]) -> str:
    """Contradictions as one GitHub-flavoured Markdown table; differing spans in bold.

    Args:
        conflicts: Pairs as `api.contradictions` returns them.

    Returns:
        The table (header only when there are no pairs).
    """
    return _md_table(
        ("#", "Statement A", "Source A", "Statement B", "Source B", "Kind", "Score", "Why"),
        ((str(n), _md_statement(c.a.text, [d.a for d in c.diffs]), _md_who(c.a),
          _md_statement(c.b.text, [d.b for d in c.diffs]), _md_who(c.b),
          md_escape(c.kind), f"{c.score:.2f}", md_escape("; ".join(c.reasons)))
         for n, c in enumerate(conflicts, 1)),
    )


def groups_markdown(groups: Sequence[Corroboration]) -> str:
    """Corroborations as one Markdown table, a group per row, its statements one per line.

    Args:
        groups: Groups as `api.corroborations` returns them.

    Returns:
        The table (header only when there are no groups).
    """
    rows = []
    for n, g in enumerate(groups, 1):
        statements = "<br>".join(f"{md_escape(c.text)} — {_md_who(c)}" for c in g.claims)
        sources = md_escape(", ".join(g.sources))
        if g.syndicated:
            sources += "<br>" + md_escape("wire copies: " + "; ".join(" = ".join(s) for s in g.syndicated))
        rows.append((str(n), statements, sources, str(g.independent), f"{g.score:.2f}"))
    return _md_table(("#", "Statements", "Sources", "Independent sources", "Score"), rows)


def claims_markdown(claims: Sequence[StoredClaim], title: str) -> str:
    """Claims as one Markdown table under a heading."""
    rows = ((str(n), md_escape(c.text), _md_who(c), f"{c.checkworthiness:.2f}") for n, c in enumerate(claims, 1))
    return f"## {md_escape(title)}\n\n" + _md_table(("#", "Statement", "Source", "Check-worthiness"), rows)


# --- HTML --------------------------------------------------------------------------------------

_CSS = """
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--card:#f6f8fa;--line:#d0d7de;--mark:#ffe066;
--conflict:#b42318;--speaker:#7a4cc2;--update:#a15c00;--corr:#1a7f37;--single:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--card:#161b22;
--line:#30363d;--mark:#9e6a03;--conflict:#ff7b72;--speaker:#d2a8ff;--update:#e3b341;--corr:#56d364;
--single:#79c0ff}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0 auto;max-width:78rem;padding:1rem 1.25rem 3rem;font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin:2rem 0 .75rem;border-bottom:1px solid
var(--line);padding-bottom:.25rem}h3{font-size:1rem;margin:0}
.meta,.who,.doc,.count,.status,.reasons,.diffs{color:var(--muted);font-size:.9rem}
a{color:inherit}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
nav ul{list-style:none;display:flex;gap:1rem;padding:0;margin:.5rem 0}
#filters{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:end;padding:.75rem 1rem;
background:var(--card);border:1px solid var(--line);border-radius:8px;position:sticky;top:0;z-index:1}
#filters label,#filters legend{display:block;font-size:.85rem;font-weight:600}
#filters input[type=search]{min-width:16rem}
#filters input,#filters select{font:inherit;padding:.2rem .4rem}
#filters fieldset{border:0;margin:0;padding:0}#filters fieldset label{display:inline-block;
font-weight:400;margin-right:.75rem;font-size:.9rem}
.status{flex-basis:100%;margin:0}
.item{border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;
background:var(--bg)}
.item-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.5rem}
.badge{display:inline-block;border:1px solid currentColor;border-radius:999px;padding:0 .6rem;
font-size:.8rem;font-weight:600}
.k-conflict{color:var(--conflict)}.k-speaker-disagreement{color:var(--speaker)}
.k-possible-update{color:var(--update)}.k-corroboration{color:var(--corr)}
.k-single-source{color:var(--single)}
.score{margin-left:auto;font-variant-numeric:tabular-nums;font-size:.9rem}
.sides{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.pair .sides{grid-template-columns:1fr 1fr}
@media (max-width:44rem){.pair .sides{grid-template-columns:1fr}}
.side{background:var(--card);border-radius:6px;padding:.5rem .75rem;border-left:4px solid var(--line)}
.side-label{font-weight:700;font-size:.8rem;color:var(--muted)}
.stmt{margin:.25rem 0;font-size:1.02rem}
.newer{font-size:.75rem;font-weight:700;border:1px solid currentColor;border-radius:4px;
padding:0 .3rem;margin-left:.3rem}
mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:2px;
box-shadow:0 0 0 1px rgba(0,0,0,.25)}
.reasons{margin:.5rem 0 0;padding-left:1.2rem}.diffs{margin:.35rem 0 0}.doc{margin:0}
.who{margin:.25rem 0 0}
.empty{font-style:italic;color:var(--muted)}
@media print{#filters,nav,.skip{display:none!important}body{max-width:none;padding:0;font-size:11pt}
.item{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}
mark{-webkit-print-color-adjust:exact;print-color-adjust:exact;outline:1px solid #000}
.side{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

# Filters run client-side over data-* attributes. The initial state is read from the query string
# and then the hash (#q=Geneva&source=X&min=0.6&kind=conflict,possible-update), so a filtered view
# can be bookmarked, linked, or opened by a headless browser; changes are written back to the hash.
_JS = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var q = document.getElementById("f-q"), src = document.getElementById("f-source");
  var min = document.getElementById("f-min"), minOut = document.getElementById("f-min-out");
  var status = document.getElementById("f-status");
  var kinds = Array.prototype.slice.call(form.querySelectorAll("input[name=kind]"));
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  items.forEach(function (el) {
    el._text = el.textContent.toLowerCase().replace(/\\s+/g, " ");
    el._sources = JSON.parse(el.getAttribute("data-sources") || "[]");
  });
  function initial() {
    var p = new URLSearchParams(location.search);
    new URLSearchParams(location.hash.replace(/^#/, "")).forEach(function (v, k) { p.set(k, v); });
    return p;
  }
  function load(p) {
    if (p.has("q")) q.value = p.get("q");
    if (p.has("source")) {
      var want = p.get("source");
      var known = Array.prototype.some.call(src.options, function (o) { return o.value === want; });
      if (!known) { var o = document.createElement("option"); o.value = o.textContent = want; src.appendChild(o); }
      src.value = want;
    }
    if (p.has("min")) min.value = p.get("min");
    if (p.has("kind")) {
      var on = p.get("kind").split(",");
      kinds.forEach(function (k) { k.checked = on.indexOf(k.value) >= 0; });
    }
  }
  function visible(el, terms, source, least, on) {
    if (on[el.dataset.kind] === false) return false;
    if (source && el._sources.indexOf(source) < 0) return false;
    if (el.dataset.score !== undefined && parseFloat(el.dataset.score) < least) return false;
    return terms.every(function (t) { return el._text.indexOf(t) >= 0; });
  }
  function apply(save) {
    var terms = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var least = parseFloat(min.value) || 0, on = {};
    kinds.forEach(function (k) { on[k.value] = k.checked; });
    minOut.textContent = least.toFixed(2);
    items.forEach(function (el) { el.hidden = !visible(el, terms, src.value, least, on); });
    var parts = [];
    Array.prototype.forEach.call(document.querySelectorAll("section[data-section]"), function (sec) {
      var all = sec.querySelectorAll("[data-item]").length;
      var shown = sec.querySelectorAll("[data-item]:not([hidden])").length;
      sec.querySelector(".count").textContent = "(" + shown + " of " + all + " shown)";
      var none = sec.querySelector(".none");
      if (none) none.hidden = shown > 0 || all === 0;
      parts.push(shown + " of " + all + " " + sec.dataset.section);
    });
    status.textContent = "Showing " + parts.join(", ") + ".";
    if (save) {
      var h = new URLSearchParams();
      if (q.value) h.set("q", q.value);
      if (src.value) h.set("source", src.value);
      if (least > 0) h.set("min", min.value);
      if (kinds.some(function (k) { return !k.checked; }))
        h.set("kind", kinds.filter(function (k) { return k.checked; }).map(function (k) { return k.value; }).join(","));
      try { history.replaceState(null, "", "#" + h.toString()); } catch (e) { /* file:// in some browsers */ }
    }
  }
  load(initial());
  form.hidden = false;
  form.addEventListener("input", function () { apply(true); });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("f-reset").addEventListener("click", function () {
    q.value = ""; src.value = ""; min.value = 0;
    kinds.forEach(function (k) { k.checked = true; });
    apply(true);
  });
  window.addEventListener("hashchange", function () { load(initial()); apply(false); });
  apply(false);
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _marked_html(text: str, spans: Iterable[str], title: str) -> str:
    return "".join(
        f'<mark title="{_e(title)}">{_e(seg)}</mark>' if marked else _e(seg)
        for seg, marked in highlight_segments(text, spans)
    )


def _claim_html(claim: StoredClaim, spans: Iterable[str] = (), label: str = "",
                newer: bool = False, diff_title: str = "differs") -> str:
    who = [f'<span class="src">{_e(claim.source_label)}</span>']
    if claim.published:
        who.append(f'<time datetime="{_e(claim.published)}">{_e(claim.published)}</time>')
    if claim.speaker:
        who.append(f"speaker: {_e(claim.speaker)}")
    head = f'<span class="side-label">{_e(label)}</span>' if label else ""
    if newer:
        head += '<span class="newer">newer</span>'
    doc = f'<p class="doc">in <cite>{_e(claim.title)}</cite></p>' if claim.title else ""
    aria = f' aria-label="Statement {_e(label)}"' if label else ""
    return (f'<div class="side"{aria}>{head}<p class="stmt">{_marked_html(claim.text, spans, diff_title)}'
            f'</p><p class="who">{" · ".join(who)}</p>{doc}</div>')


def _conflict_sources(c: Conflict) -> tuple[str, ...]:
    return (c.a.source, c.b.source, *c.a.carried_by, *c.b.carried_by, *(s for pair in c.also_in for s in pair))


def _group_sources(g: Corroboration) -> tuple[str, ...]:
    return (*g.sources, *(s for copies in g.syndicated for s in copies))


def _single_sources(c: StoredClaim) -> tuple[str, ...]:
    return c.carried_by or (c.source,)


def _data(kind: str, sources: Iterable[str], score: float | None) -> str:
    attrs = f'data-item data-kind="{_e(kind)}" data-sources="{_e(json.dumps(sorted(set(sources))))}"'
    return attrs + (f' data-score="{score:.4f}"' if score is not None else "")


def _conflict_html(n: int, c: Conflict) -> str:
    title = _diff_text(c.diffs) or "differs"
    newer_a = newer_b = False
    if c.kind == "possible-update" and c.a.published and c.b.published and c.a.published != c.b.published:
        newer_a, newer_b = c.a.published > c.b.published, c.b.published > c.a.published
    # The reasons already name the differing spans; the <mark>s carry them as a tooltip.
    reasons = "".join(f"<li>{_e(r)}</li>" for r in c.reasons)
    return (
        f'<article class="item pair" id="c{n}" {_data(c.kind, _conflict_sources(c), c.score)} '
        f'aria-labelledby="c{n}-h"><div class="item-head"><h3 id="c{n}-h">Contradiction {n}</h3>'
        f'<span class="badge k-{_e(c.kind)}">{_e(c.kind)}</span>'
        f'<span class="score">score {c.score:.2f}</span></div><div class="sides">'
        f'{_claim_html(c.a, [d.a for d in c.diffs], "A", newer_a, title)}'
        f'{_claim_html(c.b, [d.b for d in c.diffs], "B", newer_b, title)}</div>'
        + (f'<ul class="reasons" aria-label="Why">{reasons}</ul>' if reasons else "")
        + "</article>"
    )


def _group_html(n: int, g: Corroboration) -> str:
    independent = g.independent
    wire = ""
    if g.syndicated:
        wire = ('<p class="diffs">Wire copies, counted once: '
                + "; ".join(_e(" = ".join(s)) for s in g.syndicated) + "</p>")
    sides = "".join(_claim_html(c) for c in g.claims)
    noun = "source" if independent == 1 else "sources"
    return (
        f'<article class="item group" id="g{n}" {_data("corroboration", _group_sources(g), g.score)} '
        f'aria-labelledby="g{n}-h"><div class="item-head"><h3 id="g{n}-h">Corroboration {n}</h3>'
        f'<span class="badge k-corroboration">{independent} independent {noun}</span>'
        f'<span class="score">score {g.score:.2f}</span></div>'
        f'<div class="sides">{sides}</div><p class="diffs">Sources: {_e(", ".join(g.sources))}</p>'
        f"{wire}</article>"
    )


def _single_html(n: int, c: StoredClaim) -> str:
    return (f'<article class="item single" id="u{n}" {_data("single-source", _single_sources(c), None)}>'
            f'<div class="item-head"><span class="badge k-single-source">single source</span>'
            f'<span class="score">check-worthiness {c.checkworthiness:.2f}</span></div>'
            f"{_claim_html(c)}</article>")


def _section(key: str, heading: str, items: list[str], empty: str) -> str:
    body = "".join(items) if items else f'<p class="empty">{_e(empty)}</p>'
    return (f'<section id="{key}" data-section="{_e(heading.lower())}" aria-labelledby="{key}-h">'
            f'<h2 id="{key}-h">{_e(heading)} <span class="count">({len(items)})</span></h2>'
            f'<p class="empty none" hidden>Nothing matches the filters.</p>{body}</section>')


def _filters_html(sources: Sequence[str], kinds: Sequence[str]) -> str:
    options = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in sources)
    boxes = "".join(f'<label><input type="checkbox" name="kind" value="{_e(k)}" checked> {_e(k)}</label>'
                    for k in kinds)
    return (
        '<form id="filters" role="search" aria-label="Filter the report" hidden>'
        '<div><label for="f-q">Text or source</label><input type="search" id="f-q" '
        'placeholder="e.g. Geneva" autocomplete="off"></div>'
        f'<div><label for="f-source">Source</label><select id="f-source"><option value="">'
        f"All sources</option>{options}</select></div>"
        '<div><label for="f-min">Least score <output id="f-min-out" for="f-min">0.00</output></label>'
        '<input type="range" id="f-min" min="0" max="1" step="0.05" value="0"></div>'
        f"<fieldset><legend>Kind</legend>{boxes}</fieldset>"
        '<div><button type="button" id="f-reset">Clear filters</button></div>'
        '<p id="f-status" class="status" role="status" aria-live="polite"></p></form>'
    )


def _info_html(info: IndexInfo | None) -> str:
    if info is None:
        return ""
    bits = [f"Index {_e(info.path)}", f"{info.documents} documents", f"{info.claims} claims",
            f"{len(info.sources)} sources", f"built {_e(info.built_at)}"]
    return f'<p class="meta">{" · ".join(bits)}</p>'


def html_report(conflicts: Sequence[Conflict], groups: Sequence[Corroboration],
                uncorroborated: Sequence[StoredClaim] = (), title: str = "claimcheck report",
                index_info: IndexInfo | None = None) -> str:
    """One self-contained HTML page: contradictions and corroborations side by side, with filters.

    Args:
        conflicts: Pairs as `api.contradictions` returns them.
        groups: Groups as `api.corroborations` returns them.
        uncorroborated: Claims only one source carries (section left out when empty).
        title: Page title and heading.
        index_info: What the index holds, shown under the heading when given.

    Returns:
        The page. It loads nothing from the network; filters (text, source, least score, kind)
        run client-side and can be preset from the URL, e.g. `report.html#q=Geneva&kind=conflict`.
    """
    sections = [
        _section("contradictions", "Contradictions", [_conflict_html(n, c) for n, c in enumerate(conflicts, 1)],
                 "No contradictions found."),
        _section("corroborations", "Corroborations", [_group_html(n, g) for n, g in enumerate(groups, 1)],
                 "No corroborated claims found."),
    ]
    kinds = [*CONFLICT_KINDS, "corroboration"]
    links = [("contradictions", "Contradictions"), ("corroborations", "Corroborations")]
    if uncorroborated:
        sections.append(_section("single-source", "Single-source claims",
                                 [_single_html(n, c) for n, c in enumerate(uncorroborated, 1)], ""))
        kinds.append("single-source")
        links.append(("single-source", "Single-source claims"))
    # Every source an item can be filtered by, wire copies included: the same lists as `_data`.
    sources = sorted({s for c in conflicts for s in _conflict_sources(c)}
                     | {s for g in groups for s in _group_sources(g)}
                     | {s for c in uncorroborated for s in _single_sources(c)})
    nav = "".join(f'<li><a href="#{k}">{_e(label)}</a></li>' for k, label in links)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="claimcheck">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>"
        '<a class="skip" href="#contradictions">Skip to the report</a>'
        f"<header><h1>{_e(title)}</h1>{_info_html(index_info)}"
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav></header>\n'
        f"{_filters_html(sources, kinds)}\n<main>\n" + "\n".join(sections) + "\n</main>\n"
        f"<script>{_JS}</script>\n</body></html>\n"
    )
