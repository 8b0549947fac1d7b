"""Exports: CSV, Markdown and the self-contained HTML report (checked in a real headless browser)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from claimcheck.report import (
    CONFLICT_COLUMNS,
    GROUP_COLUMNS,
    conflicts_csv,
    conflicts_markdown,
    groups_csv,
    groups_markdown,
    highlight_segments,
    html_report,
)
from claimcheck.types import (
    Conflict,
    Corroboration,
    Evidence,
    IndexInfo,
    Relation,
    SpanDiff,
    StoredClaim,
)

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("CLAIMCHECK_REGEN_GOLDEN") == "1"
NASTY = 'He said <script>alert("x")</script>, "quoted" | piped\nand *starred* & done'


def claim(i: int, text: str, source: str, published: str | None = None, speaker: str | None = None,
          title: str | None = None) -> StoredClaim:
    return StoredClaim(claim_id=i, text=text, sentence=text, source=source, document=f"news/{source}/{i}.txt",
                       doc_id=f"d{i}", title=title, published=published, speaker=speaker)


CONFLICTS = (
    Conflict(claim(1, "At least 91 people were killed in the flooding in 2019.", "Daily Post", "2024-03-12",
                   "officials", "Floods kill dozens"),
             claim(2, "At least 19 people were killed in the flooding in 2019.", "Morning Wire", "2024-03-14",
                   "officials"),
             0.93, ("number differs: 91 vs 19", "newer: Morning Wire on 2024-03-14"),
             (SpanDiff("number", "91", "19"),), "possible-update", 0.95),
    Conflict(claim(3, "The summit in Geneva will open on 14 March.", "Daily Post", "2024-03-12"),
             claim(4, "The summit in Geneva will open on 21 March.", "Morning Wire", "2024-03-12"),
             0.81, ("date differs: 14 March vs 21 March",), (SpanDiff("date", "14 March", "21 March"),), "conflict"),
    Conflict(claim(5, "The bridge will reopen in June.", "City Herald", "2024-03-10", "Mayor Jo Lind"),
             claim(6, "The bridge will not reopen in June.", "City Herald", "2024-03-10", "Per Ek"),
             0.66, ("negation differs", "Mayor Jo Lind and Per Ek, both quoted by City Herald"),
             (SpanDiff("negation", "∅", "not"),), "speaker-disagreement"),
    Conflict(claim(7, NASTY, "Evil <b>Outlet</b>, Inc."), claim(8, "Plain text with 5 apples.", "Other|Side"),
             0.55, ('reason with "<i>" | pipe',), (SpanDiff("number", "<script>", "5"),), "conflict"),
)
GROUPS = (
    Corroboration((claim(10, "The central bank raised its rate to 4.5 percent.", "Daily Post", "2024-03-11"),
                   claim(11, "The central bank raised its rate to 4.5 percent.", "Morning Wire", "2024-03-11"),
                   claim(12, "On Monday the central bank lifted its key rate to 4.5%.", "City Herald")),
                  ("City Herald", "Daily Post", "Morning Wire"), 0.97, (("Daily Post", "Morning Wire"),)),
    Corroboration((claim(13, NASTY, "Evil <b>Outlet</b>, Inc."), claim(14, "Police arrested 14 people.", "Other|Side")),
                  ("Evil <b>Outlet</b>, Inc.", "Other|Side"), 0.61),
)
SINGLE = (claim(20, "Police arrested 14 protesters outside parliament.", "City Herald", "2024-03-09"),)
INFO = IndexInfo("indexes/demo", 3, 40, ("City Herald", "Daily Post", "Morning Wire"), "minilm", 384,
                 "2024-03-15T10:00:00", 1)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; CLAIMCHECK_REGEN_GOLDEN=1 regenerates it"


# --- CSV -----------------------------------------------------------------------------------------


def test_conflicts_csv_round_trips() -> None:
    rows = list(csv.DictReader(io.StringIO(conflicts_csv(CONFLICTS))))
    assert len(rows) == len(CONFLICTS)
    assert tuple(rows[0]) == CONFLICT_COLUMNS
    for row, c in zip(rows, CONFLICTS):
        assert (row["a_text"], row["b_text"], row["a_source"], row["b_source"]) == (c.a.text, c.b.text, c.a.source, c.b.source)
        assert row["kind"] == c.kind and float(row["score"]) == pytest.approx(c.score)
        assert row["reasons"] == "; ".join(c.reasons)
    assert rows[0]["a_published"] == "2024-03-12" and rows[0]["a_speaker"] == "officials"
    assert rows[1]["a_speaker"] == "" and rows[3]["a_text"] == NASTY  # commas, quotes, newline survive


def test_groups_csv_one_row_per_claim() -> None:
    rows = list(csv.DictReader(io.StringIO(groups_csv(GROUPS))))
    assert tuple(rows[0]) == GROUP_COLUMNS
    assert [r["group"] for r in rows] == ["1", "1", "1", "2", "2"]
    assert rows[0]["independent_sources"] == "2" and rows[0]["syndicated"] == "Daily Post = Morning Wire"
    assert rows[3]["text"] == NASTY and rows[3]["source"] == "Evil <b>Outlet</b>, Inc."


def test_csv_of_nothing_is_a_header() -> None:
    assert conflicts_csv([]) == ",".join(CONFLICT_COLUMNS) + "\n"
    assert groups_csv([]) == ",".join(GROUP_COLUMNS) + "\n"


def test_csv_golden() -> None:
    check_golden("conflicts.csv", conflicts_csv(CONFLICTS))
    check_golden("groups.csv", groups_csv(GROUPS))


# --- Markdown ------------------------------------------------------------------------------------


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_tables_keep_their_shape() -> None:
    for text, columns, rows in ((conflicts_markdown(CONFLICTS), 8, len(CONFLICTS)),
                                (groups_markdown(GROUPS), 5, len(GROUPS))):
        lines = text.splitlines()
        assert len(lines) == rows + 2  # a newline inside a claim must not break its row
        assert all(_unescaped_pipes(line) == columns + 1 for line in lines)


def test_markdown_escapes_and_highlights() -> None:
    text = conflicts_markdown(CONFLICTS)
    assert "At least **91** people" in text and "At least **19** people" in text
    assert "in 2019" in text and "20**19**" not in text  # spans match whole numbers only
    assert "Other\\|Side" in text and "\\<script\\>" in text and "<script>" not in text
    assert "piped<br>and \\*starred\\*" in text


def test_markdown_of_nothing_is_a_header() -> None:
    assert conflicts_markdown([]).count("\n") == 2
    assert groups_markdown([]).startswith("| # | Statements |")


def test_markdown_golden() -> None:
    check_golden("conflicts.md", conflicts_markdown(CONFLICTS))
    check_golden("groups.md", groups_markdown(GROUPS))


def test_highlight_segments_rejoin() -> None:
    segments = highlight_segments("91 of 1991 and 91.", ["91", "∅", ""])
    assert "".join(s for s, _ in segments) == "91 of 1991 and 91."
    assert [s for s, marked in segments if marked] == ["91", "91"]


def test_a_span_inside_a_longer_token_marks_the_whole_token_everywhere() -> None:
    """QA: the day "3" of "2024-05-03" (the signals read the ISO date as month, day, year) was
    marked as "2024-05-0**3**" in Markdown and HTML; the terminal marked it the same way."""
    from claimcheck.render import highlight

    text = "The plant opened on 2024-05-03 in Marlow."
    assert [s for s, marked in highlight_segments(text, ["3"]) if marked] == ["2024-05-03"]
    # only the date: not the "3" of an unchanged "13" or "2023" beside it (review)
    beside = "The plant opened on 2024-05-03 and hired 13 workers in 2023."
    assert [s for s, marked in highlight_segments(beside, ["3"]) if marked] == ["2024-05-03"]
    assert [s for s, marked in highlight_segments("It opened on 2024-05-13.", ["13"]) if marked] == ["2024-05-13"]
    lit = highlight(text, ["3"])
    assert [text[span.start:span.end] for span in lit.spans] == ["2024-05-03"]


# --- HTML ----------------------------------------------------------------------------------------


def test_html_escapes_every_text() -> None:
    page = html_report(CONFLICTS, GROUPS, SINGLE, title="<b>T</b>", index_info=INFO)
    assert page.count("<script>") == 1  # only the report's own script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in page and "<b>" not in page
    assert "<title>&lt;b&gt;T&lt;/b&gt;</title>" in page
    assert not re.search(r"<(link|img|iframe)\b|src=|https?://", page)  # self-contained


def test_html_lists_pairs_with_marks_and_badges() -> None:
    page = html_report(CONFLICTS, GROUPS, SINGLE, index_info=INFO)
    assert page.count('class="item pair"') == 4 and page.count('class="item group"') == 2
    assert '<mark title="number: 91 -&gt; 19">91</mark>' in page
    assert '<mark title="date: 14 March -&gt; 21 March">21 March</mark>' in page
    for kind in ("conflict", "speaker-disagreement", "possible-update"):
        assert f'<span class="badge k-{kind}">{kind}</span>' in page
    assert 'value="single-source"' in page and "40 claims" in page


def test_html_of_nothing_still_renders() -> None:
    page = html_report([], [])
    assert "No contradictions found." in page and "No corroborated claims found." in page
    assert 'value="single-source"' not in page


# --- a real browser ------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install -y chromium)")


def browse(url: str, tmp: Path, *extra: str) -> str:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visible_items(dom: str) -> list[str]:
    """Ids of the report items not hidden by the filters."""
    return [m.group(1) for m in re.finditer(r'<article class="item[^"]*" id="(\w+)"([^>]*)>', dom)
            if " hidden" not in m.group(2)]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html_report(CONFLICTS, GROUPS, SINGLE, index_info=INFO), encoding="utf-8")
    return path


# Each launch costs seconds (more on a loaded machine), so a few URLs cover every filter.
@needs_browser
@pytest.mark.parametrize(("suffix", "expected"), [
    ("", ["c1", "c2", "c3", "c4", "g1", "g2", "u1"]),
    ("#q=geneva", ["c2"]),
    ("?source=Daily%20Post#min=0.9&kind=conflict,possible-update", ["c1"]),
])
def test_browser_applies_filters_from_the_url(page: Path, tmp_path: Path, suffix: str, expected: list[str]) -> None:
    dom = browse(page.as_uri() + suffix, tmp_path, "--dump-dom")
    assert visible_items(dom) == expected
    assert 'id="filters" role="search" aria-label="Filter the report">' in dom  # the script ran
    assert re.search(r'<p id="f-status"[^>]*>Showing \d+ of 4 contradictions', dom)
    assert "<script>alert" not in dom.split("<script>")[0]  # the claim stayed text


@pytest.mark.slow
def test_report_from_a_real_index(tmp_path: Path) -> None:
    """Two made-up outlets disagreeing on a number, through build and the api."""
    from claimcheck import api
    from claimcheck.build import build
    from claimcheck.crossmatch import ConflictFilter
    from claimcheck.settings import Settings

    for outlet, toll in (("dailypost", 91), ("morningwire", 19)):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / f"{outlet}.txt").write_text(
            f"Flood toll\n\nAt least {toll} people were killed in the flooding in the northern province.\n\n"
            "The summit in Geneva will open with delegations from twelve countries.\n", encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index")
    build([tmp_path / "dailypost", tmp_path / "morningwire"], settings)
    conflicts = api.contradictions(settings, ConflictFilter(min_score=0.0))
    assert any("91" in c.a.text + c.b.text for c in conflicts)
    page = html_report(conflicts, api.corroborations(settings), api.uncorroborated(settings),
                       index_info=api.info(settings))
    assert "<mark" in page and "dailypost" in page and "morningwire" in page
    rows = list(csv.DictReader(io.StringIO(conflicts_csv(conflicts))))
    assert {rows[0]["a_source"], rows[0]["b_source"]} == {"dailypost", "morningwire"}


def test_terminal_verdict_warns_when_confidence_is_low() -> None:
    from rich.console import Console

    from claimcheck.render import print_verdict
    from claimcheck.types import Verdict

    evidence = Evidence(claim(1, "The talks start on January 25.", "a"),
                        Relation("refutes", {"supports": 0.1, "refutes": 0.6, "neutral": 0.3}), 0.6, 0.8)

    def shown(confidence: float, items: tuple[Evidence, ...] = (evidence,)) -> str:
        console = Console(record=True, width=100)
        print_verdict(console, Verdict(claim="x", verdict="REFUTED", confidence=confidence, evidence=items,
                                       rationale="refuted by a"))
        return console.export_text()

    assert "Low confidence" in shown(0.3)
    assert "Low confidence" not in shown(0.9)
    assert "Low confidence" not in shown(0.3, ())  # no evidence below to read


def test_a_span_written_with_spaced_tokens_is_still_highlighted() -> None:
    from claimcheck.report import highlight_segments

    assert highlight_segments("The talks open on May 8, 2021 in Astana.", ["May 8 , 2021"]) == [
        ("The talks open on ", False), ("May 8, 2021", True), (" in Astana.", False)]
    assert ("19", True) in highlight_segments("It rose 19 in 2019.", ["19"])
    assert ("2019.", False) in [(seg[-5:], m) for seg, m in highlight_segments("It rose 19 in 2019.", ["19"])]


def test_the_source_filter_offers_outlets_that_only_carry_a_copy() -> None:
    # QA pass: an outlet that carried a wire copy was in an item's data-sources but not in the
    # Source menu.
    from dataclasses import replace

    single = (replace(claim(21, "The port handled 3 million containers.", "Daily Post"),
                      carried_by=("Daily Post", "Zeitung")),)
    page = html_report(CONFLICTS, GROUPS, single, index_info=INFO)
    menu = page[page.index('<select id="f-source">'):]
    assert "Zeitung" in menu[: menu.index("</select>")]


def test_csv_cells_that_a_spreadsheet_would_run_are_defused() -> None:
    evil = Conflict(claim(30, "It rose 5%.", '=HYPERLINK("http://evil.example","click")'), claim(31, "It rose 7%.", "b"),
                    0.5, ("number differs: 5 vs 7",), (SpanDiff("number", "5", "7"),))
    rows = list(csv.reader(io.StringIO(conflicts_csv([evil]))))
    assert any(cell.startswith("'=HYPERLINK") for cell in rows[1])
    assert not any(cell.startswith("=") for row in rows for cell in row)
