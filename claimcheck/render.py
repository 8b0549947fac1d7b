"""Render: results as rich tables on a terminal, for people (JSON: claimcheck/render_json.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimcheck.types import (
    Claim,
    Conflict,
    Corroboration,
    Evidence,
    IndexInfo,
    Relation,
    SpanDiff,
    StoredClaim,
    Verdict,
)

VERDICT_STYLE = {
    "SUPPORTED": "bold green", "REFUTED": "bold red", "CONFLICTING": "bold yellow",
    "NOT_ENOUGH_EVIDENCE": "bold blue",
}
RELATION_STYLE = {"supports": "green", "refutes": "red", "neutral": "dim"}



def highlight(text: str, spans: Sequence[str], style: str = "bold reverse") -> Text:
    """`text` with each differing span highlighted, found as the exports find it (whole tokens:
    "19" is not lit inside "2019", and the "3" of a date is the whole "2024-05-03")."""
    from claimcheck.report import highlight_segments

    out = Text()
    for segment, differs in highlight_segments(text, spans):
        out.append(segment, style=style if differs else None)
    return out


def _who(claim: StoredClaim, sep: str = "\n") -> str:
    bits = [claim.source_label]
    if claim.published:
        bits.append(claim.published)
    if claim.speaker:
        bits.append(f"speaker: {claim.speaker}")
    return sep.join(bits)


# Every text that comes from articles, file names or the index is passed to rich as `Text`, never
# as a markup string: "[/]" in an article crashed the table, and "[link=...]" made a live link.


def print_verdict(console: Console, verdict: Verdict) -> None:
    console.print(Text(f"Claim: {verdict.claim}", style="bold"))
    console.print(Text.assemble(
        ("Verdict: ", "bold"), (verdict.verdict, VERDICT_STYLE[verdict.verdict]),
        f"  confidence {verdict.confidence:.2f}  ({verdict.rationale})",
    ))
    if verdict.confidence < 0.5 and verdict.evidence:
        # The confidence is calibrated: under 0.5, verdicts like this one were more often wrong
        # than right on the calibration set, so say so instead of letting the label speak alone.
        console.print(Text("Low confidence: read the evidence below before relying on this verdict.",
                           style="yellow"))
    if not verdict.evidence:
        console.print("No evidence found in the index.")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("Evidence", ratio=5)
    table.add_column("Source / date", ratio=2)
    # The label and the score are what a reader scans for: never cut to "Rel…" / "sup…" (80
    # columns, which is also the width of piped output).
    table.add_column("Relation", min_width=8, max_width=12)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", ratio=3)
    copies = _copies(verdict.evidence)
    for item in verdict.evidence:
        spans = [d.a for d in item.relation.diffs] if item.relation.label == "refutes" else []
        who = _who(item.claim) + copies.get(id(item), "")
        table.add_row(
            highlight(item.claim.text, spans), Text(who),
            _relation_cell(item),
            f"{item.score:.2f}", Text("; ".join(item.relation.reasons)),
        )
    console.print(table)


def _copies(evidence: Sequence[Evidence]) -> dict[int, str]:
    """For each row the verdict merged into another (`verdict.repeats`, the same merge the
    verdict made), the note saying which: "(wire copy of ap: counted once)"."""
    from claimcheck.verdict import repeats

    by_id = {id(item): item for item in evidence}
    notes: dict[int, str] = {}
    for key, k in repeats(evidence)[1].items():
        what = "repeat" if k.claim.source == by_id[key].claim.source else f"wire copy of {k.claim.source}"
        notes[key] = f"\n({what}: counted once)"
    return notes


def _relation_cell(item: Evidence) -> Text:
    """The relation's label, and for a neutral item the way it leans when the verdict counted
    that lean (so "supported by X" never points at a row that only says neutral)."""
    from claimcheck.verdict import lean

    label = item.relation.label
    cell = Text(label, style=RELATION_STYLE[label])
    leaning = lean(item)
    if leaning is not None:
        cell.append(f"\nleans {leaning[0]} {leaning[1]:.2f}", style=RELATION_STYLE[leaning[0]])
    return cell


def _diff_spans(diffs: Sequence[SpanDiff], side: str) -> list[str]:
    return [getattr(d, side) for d in diffs]


def _statement(pair: Conflict, side: str, marked: bool = True) -> Text:
    """One side of a pair: the statement with its differing spans marked, then who said it where."""
    claim: StoredClaim = getattr(pair, side)
    cell = highlight(claim.text, _diff_spans(pair.diffs, side) if marked else [])
    cell.append(f"\n— {_who(claim)}", style="dim")
    return cell


def print_conflicts(console: Console, conflicts: Sequence[Conflict]) -> None:
    if not conflicts:
        console.print("No contradictions found.")
        return
    table = Table(title="Contradictions", show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Statement A", ratio=4)
    table.add_column("Statement B", ratio=4)
    table.add_column("Score", justify="right", no_wrap=True)
    # Wide enough for "speaker-disagreement" whole at 80 columns (it was cut to "speaker-disag…").
    table.add_column("Why paired", ratio=3, width=20, overflow="fold")  # with a ratio, width is the least
    for n, c in enumerate(conflicts, 1):
        kind = f"{c.kind}\n" if c.kind != "conflict" else ""
        table.add_row(str(n), _statement(c, "a"), _statement(c, "b"), f"{c.score:.2f}", Text(kind + "; ".join(c.reasons)))
    console.print(table)


def print_relations(console: Console, pairs: Sequence[Conflict]) -> None:
    if not pairs:
        console.print("No related statements across sources.")
        return
    table = Table(title="How the sources' statements relate", show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Statement A", ratio=4)
    table.add_column("Relation", min_width=8, max_width=12)
    table.add_column("Statement B", ratio=4)
    table.add_column("Why", ratio=3)
    for n, c in enumerate(pairs, 1):
        marked = c.kind == "refutes"
        relation = Text(f"{c.kind}\n{c.score:.2f}", style=RELATION_STYLE[c.kind])
        why = [f"similarity {c.similarity:.2f}", *c.reasons]
        table.add_row(str(n), _statement(c, "a", marked), relation, _statement(c, "b", marked), Text("; ".join(why)))
    console.print(table)


def print_corroborations(console: Console, groups: Sequence[Corroboration]) -> None:
    if not groups:
        console.print("No corroborated claims found.")
        return
    table = Table(title="Corroborations", show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Statements", ratio=7)
    table.add_column("Sources", ratio=2)
    table.add_column("Score", justify="right", no_wrap=True)
    for n, g in enumerate(groups, 1):
        cell = Text()
        for i, c in enumerate(g.claims):
            if i:
                cell.append("\n")
            cell.append(c.text)
            cell.append(f"  — {_who(c, ', ')}", style="dim")  # source, date, speaker on one line
        sources = f"{g.independent} independent: " + ", ".join(g.sources)
        if g.syndicated:
            sources += "\n(wire copies: " + "; ".join(" = ".join(s) for s in g.syndicated) + ")"
        table.add_row(str(n), cell, Text(sources), f"{g.score:.2f}")
    console.print(table)


def print_claim_list(console: Console, claims: Sequence[StoredClaim], title: str) -> None:
    table = Table(title=Text(title), show_lines=False, expand=True)
    table.add_column("Statement", ratio=6)
    table.add_column("Source / date", ratio=2)
    for c in claims:
        table.add_row(Text(c.text), Text(_who(c)))
    console.print(table)


def print_relation(console: Console, a: str, b: str, relation: Relation) -> None:
    table = Table(show_lines=True, expand=True)
    table.add_column("A", ratio=1)
    table.add_column("B", ratio=1)
    table.add_row(highlight(a, _diff_spans(relation.diffs, "a")), highlight(b, _diff_spans(relation.diffs, "b")))
    console.print(table)
    probs = "  ".join(f"{k} {v:.2f}" for k, v in relation.probabilities.items())
    console.print(Text.assemble(("A ", "bold"), (relation.label, RELATION_STYLE[relation.label]), (" B", "bold"), f"   ({probs})"))
    for reason in relation.reasons:
        console.print(Text(f"  • {reason}"))


def print_claims(console: Console, claims: Sequence[Claim], location: str) -> None:
    table = Table(title=Text(f"Claims in {location}"), show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Claim", ratio=6)
    table.add_column("Speaker", ratio=2)
    table.add_column("Check", justify="right", no_wrap=True)
    for n, c in enumerate(claims, 1):
        table.add_row(str(n), Text(c.text), Text(c.speaker or "—"), f"{c.checkworthiness:.2f}")
    console.print(table)


def print_info(console: Console, info: IndexInfo) -> None:
    table = Table(title=Text(f"Index {info.path}"), show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    rows = [
        ("documents", str(info.documents)), ("claims", str(info.claims)),
        ("relations", str(info.relations)), ("sources", ", ".join(info.sources)),
        ("embedder", f"{info.embedder} ({info.dimension} dims)"), ("built", info.built_at),
        ("format", str(info.format_version)),
    ]
    rows += [(k, str(v)) for k, v in info.extra.items()]
    for k, v in rows:
        table.add_row(k, Text(v))
    console.print(table)
