"""The `claimcheck` command line: thin typer commands over the library.

Each command parses options, calls one library function and renders what comes back. Data goes
to stdout (JSON with `--json`, JSON Lines with `--jsonl`); progress, warnings and errors go to
stderr. Library modules are imported inside the commands so `--help` stays fast.
"""

from __future__ import annotations

import errno
import functools
import math
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from claimcheck.errors import BadInput, ClaimcheckError
from claimcheck.settings import Resources, Settings, default_index_dir, one_blas_thread

if TYPE_CHECKING:  # rich is imported where a command draws on the terminal, not for --json
    from rich.console import Console

app = typer.Typer(
    name="claimcheck",
    help="Offline fact-claim verification: index news articles, verify claims, list cross-source conflicts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

IndexOpt = Annotated[
    Path, typer.Option("--index", envvar="CLAIMCHECK_INDEX", help="Index directory.", show_default=True)
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", help="Only this source (repeatable).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only statements published on or after DATE (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only statements published on or before DATE (YYYY-MM-DD).")]
# A pair is kept when either of its statements passes: what was said since DATE, against anything.
PairSourceOpt = Annotated[list[str] | None, typer.Option("--source", help="Only pairs with a statement from this source (repeatable).")]
PairSinceOpt = Annotated[str | None, typer.Option("--since", help="Only pairs with a statement published on or after DATE (YYYY-MM-DD).")]
PairUntilOpt = Annotated[str | None, typer.Option("--until", help="Only pairs with a statement published on or before DATE (YYYY-MM-DD).")]
NoNliOpt = Annotated[bool, typer.Option("--no-nli", help="Relate with similarity and conflict signals only.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV on stdout.")]
MarkdownOpt = Annotated[bool, typer.Option("--markdown", help="Print a Markdown table on stdout.")]


def stdout() -> Console:
    from rich.console import Console

    return Console(soft_wrap=False)


def stderr() -> Console:
    from rich.console import Console

    # soft_wrap: one message stays one line when stderr is a log file (grep, CI logs).
    return Console(stderr=True, soft_wrap=True)


def _notice(message: str) -> None:
    """Say on stderr why a first run pauses (rich stays unimported on the --json paths)."""
    print(message, file=sys.stderr, flush=True)


# The commands that write an index; the others only read it, and their errors say nothing of builds.
WRITING_COMMANDS = frozenset({"build", "remove"})


def handle_errors(fn: F) -> F:
    """Print a ClaimcheckError (or the sqlite error of a damaged store) as one `Error: ...` line
    on stderr and exit 1."""
    writes = fn.__name__ in WRITING_COMMANDS

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ClaimcheckError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print("Error: interrupted; nothing of this run was kept, and the index holds its last complete "
                  "build, if it had one" if writes else
                  "Error: interrupted (what was printed before is complete; the index is unchanged)", file=sys.stderr)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # Whoever read stdout stopped early (`| head`): stop quietly, as other Unix tools do,
            # and keep Python from complaining again when it flushes stdout at exit.
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):  # not a real file (tests capture stdout)
                pass
            raise typer.Exit(1) from None  # as rich does when its console meets a closed pipe
        except OSError as exc:
            # A full disk or an unwritable folder: the build was abandoned before it switched
            # versions, so the previous index is intact.
            where = f" ({exc.filename})" if exc.filename else ""
            if not writes:
                print(f"Error: {exc.strerror or exc}{where}", file=sys.stderr)
                raise typer.Exit(1) from None
            advice = {errno.ENOSPC: "free some space or choose another --index",
                      errno.EROFS: "choose a writable --index", errno.EACCES: "choose a writable --index",
                      errno.EPERM: "choose a writable --index"}.get(exc.errno or 0, "choose another --index")
            print(f"Error: {exc.strerror or exc}{where}; the index holds its last complete build; {advice}",
                  file=sys.stderr)
            raise typer.Exit(1) from None
        except Exception as exc:
            sqlite3 = sys.modules.get("sqlite3")  # imported by whatever opened an index
            if sqlite3 is None or not isinstance(exc, sqlite3.DatabaseError):
                raise
            if isinstance(exc, sqlite3.OperationalError):
                # A full disk, an I/O error, a lock: the store is not damaged, nor is the live index.
                print(f"Error: the index's store could not be used ({exc})" + (
                      "; the index holds its last complete build; free some space or choose another --index"
                      if writes else ""), file=sys.stderr)
                raise typer.Exit(1) from None
            # A store whose file passed the cheap checks but whose pages are damaged.
            from claimcheck.index import rebuild_hint

            where = kwargs.get("index")
            print(f"Error: the index's store cannot be read ({exc})"
                  + (f"; {rebuild_hint(where)}" if where is not None else ""), file=sys.stderr)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _one_format(as_json: bool, as_csv: bool, as_markdown: bool) -> None:
    if as_json + as_csv + as_markdown > 1:
        raise BadInput("choose one output format: --json, --csv or --markdown")


def _not_nan(value: float | None) -> float | None:
    """Reject "nan" for a 0..1 option (click's range check lets it through); None passes."""
    if value is not None and math.isnan(value):
        raise typer.BadParameter("must be a number from 0 to 1, not nan")
    return value


def _one_line_or_none(text: str | None) -> str | None:
    """An option's text on one line, None when blank."""
    return " ".join(text.split()) or None if text is not None else None


def _n(count: int, noun: str) -> str:
    """ "1 claim", "2 claims"."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """--since and --until as ISO dates, checked to make a window."""
    start, end = _date(since, "--since"), _date(until, "--until")
    if start and end and start > end:
        raise BadInput(f"--since {start} is after --until {end}: no date is in that window")
    return start, end


def _date(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadInput(f"{flag} {value!r} is not a date; use YYYY-MM-DD") from None


@app.command()
@handle_errors
def build(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to index; `-` reads stdin. Default: seeds/.")] = None,
    index: IndexOpt = default_index_dir(),
    prune: Annotated[bool, typer.Option("--prune", help="Remove documents whose files under the paths given are gone.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad input file.")] = False,
    text_field: Annotated[str | None, typer.Option("--text-field", help="JSON/CSV field holding the article text (default: text, body, content, ...).")] = None,
    title_field: Annotated[str | None, typer.Option("--title-field", help="JSON/CSV field holding the title.")] = None,
    source_field: Annotated[str | None, typer.Option("--source-field", help="JSON/CSV field naming the outlet.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Outlet of the articles read that name none themselves (a .txt file, a row without a source field, piped text); default: the URL's domain, else the file name.")] = None,
    date_field: Annotated[str | None, typer.Option("--date-field", help="JSON/CSV field holding the publication date.")] = None,
    url_field: Annotated[str | None, typer.Option("--url-field", help="JSON/CSV field holding the URL.")] = None,
    include: Annotated[list[str] | None, typer.Option("--include", help="Only files matching this glob (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Skip files matching this glob (repeatable).")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Skip files larger than this.")] = 50_000_000,
    index_type: Annotated[str | None, typer.Option("--index-type", help="Vector index: auto (exact below 200k claims, IVF-SQ8 above), flat or ivf-sq8. Default: keep the index's own.")] = None,
    no_nli: NoNliOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Build or update the evidence index from articles (default: seeds/)."""
    from claimcheck.build import build as run_build

    err = stderr()
    paths = paths or [Path("seeds")]
    # A typo in one of several paths must not pass unnoticed in a script: nothing is built.
    missing = [p for p in paths if str(p) != "-" and not p.exists()]
    if missing:
        what = ("a symbolic link to nothing (or to itself)" if os.path.lexists(missing[0])
                else "no such file or folder")
        raise BadInput(f"{missing[0]}: {what}; nothing was built")
    settings = Settings(index_dir=index, use_nli=not no_nli)
    report = run_build(
        paths, settings, resources=Resources(settings, check_models=True, notice=_notice),
        prune=prune, strict=strict, progress=_progress(err), index_type=index_type,
        on_problem=_problem_printer(err),
        text_field=text_field, title_field=title_field, source_field=source_field,
        date_field=date_field, url_field=url_field, include=tuple(include or ()),
        exclude=tuple(exclude or ()), max_bytes=max_bytes, source=_one_line_or_none(source),
    )
    if as_json:
        from claimcheck.render_json import dumps

        data = {**report.__dict__, "problems": [p.__dict__ for p in report.problems],
                "warnings": [p.__dict__ for p in report.warnings]}
        print(dumps(data))
    else:
        total = report.totals
        err.print(
            f"Indexed {report.documents_added} new, {report.documents_unchanged} unchanged, "
            f"{_n(report.documents_removed, 'removed document')}; {len(report.problems)} skipped; "
            f"{_n(report.claims_added, 'claim')} added, {_n(report.relations_added, 'relation')}; "
            f"index now {_n(total.get('documents', 0), 'document')}, {_n(total.get('claims', 0), 'claim')} "
            f"({report.seconds:.1f} s) -> {report.index}", markup=False
        )
        if report.without_claims:
            err.print(f"{_n(report.without_claims, 'document')} gave no claim "
                      f"({', '.join(report.without_claims_examples)}"
                      f"{', ...' if report.without_claims > len(report.without_claims_examples) else ''}): "
                      "claimcheck reads English news; text in another language, or without statements, "
                      "gives none", markup=False, highlight=False)
    if report.problems:
        nothing_read = report.documents_added + report.documents_unchanged == 0
        if nothing_read:
            print(f"Error: no document could be read ({_n(len(report.problems), 'input')} skipped, "
                  "see above)", file=sys.stderr)
        raise typer.Exit(1 if strict or nothing_read else 0)


def _problem_printer(console: Console) -> Callable[[Any], None]:
    """Print an input problem on stderr as it is met: a skipped file or row, or a warning about
    a file that was read (see `IngestProblem`)."""
    from rich.markup import escape

    def show(problem: Any) -> None:
        word = "[yellow]warning[/]" if getattr(problem, "warning", False) else "[yellow]skipped[/]"
        console.print(f"{word} {escape(problem.location)}: {escape(problem.message)}", highlight=False)
    return show


def _progress(console: Console) -> Callable[[str, int, int | None], None]:
    """A progress callback drawing one rich bar per stage on stderr."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bars = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(),
                    console=console, transient=True, disable=not console.is_terminal)
    tasks: dict[str, Any] = {}

    def update(stage: str, advance: int, total: int | None) -> None:
        if not bars.live.is_started:
            bars.start()
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], advance=advance, total=total)
        if stage == "relate" and total is not None and bars.tasks[tasks[stage]].completed >= total:
            bars.stop()

    return update


@app.command()
@handle_errors
def query(
    claim: Annotated[str | None, typer.Argument(help="The claim to verify.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Claims to verify, one per line or JSONL with `claim` (and `source`); `-` reads stdin.")] = None,
    top_k: Annotated[int, typer.Option("-k", "--top-k", min=1, help="Evidence items to show.")] = 5,
    source: SourceOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_similarity: Annotated[float, typer.Option("--min-similarity", min=0.0, max=1.0, callback=_not_nan, help="Drop evidence below this cosine similarity.")] = 0.2,
    rerank: Annotated[int, typer.Option("--rerank", min=0, help="How many of the most similar candidates the NLI model reads (the rest: similarity and conflict signals only).")] = 6,
    index: IndexOpt = default_index_dir(),
    no_nli: NoNliOpt = False,
    as_json: JsonOpt = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Batch mode: one JSON object per claim.")] = False,
) -> None:
    """Verify a claim against the index: verdict, confidence and evidence side by side."""
    settings = Settings(index_dir=index, use_nli=not no_nli)
    resources = Resources(settings, notice=_notice)
    resources.preload()  # the models load while the modules below are imported and the index opened

    from claimcheck.query import QueryOptions
    from claimcheck.query import query as run_query
    from claimcheck.render_json import dumps, verdict_json

    start, end = _window(since, until)
    options = QueryOptions(top_k=top_k, sources=tuple(source or ()), since=start,
                           until=end, min_similarity=min_similarity,
                           candidates=max(20, top_k), nli_reads=rerank)
    if file is not None:
        if claim is not None:
            raise BadInput("give a claim to verify or --file FILE, not both")
        _query_batch(file, settings, options, "jsonl" if jsonl else "json" if as_json else "table", resources)
        return
    if claim is None:
        raise BadInput("give a claim to verify, or --file FILE for many")
    verdict = run_query(claim, settings, options, resources)
    _warn_not_english({"the claim": claim}, "this verdict")
    if as_json or jsonl:
        print(dumps(verdict_json(verdict)))
    else:
        from claimcheck.render import print_verdict  # rich's tables: not imported for --json

        print_verdict(stdout(), verdict)


def _read_lines(file: Path) -> Iterator[tuple[str, str]]:
    """The lines of a batch file (`-`: stdin), each with its location ("FILE:LINE"). UTF-8, with
    or without a byte-order mark, or UTF-16 with one; other bytes are an error naming the line,
    not claims mangled by replacement characters."""
    if str(file) == "-":
        name, data = "stdin", sys.stdin.buffer.read()
    elif not file.is_file():
        raise BadInput(f"{file}: no such file")
    else:
        name, data = str(file), file.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            lines = data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        except UnicodeDecodeError:
            raise BadInput(f"{name}: not readable as the UTF-16 text its byte-order mark announces") from None
    else:
        lines = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    for n, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise BadInput(f"{name}:{n}: not UTF-8 text; save the file as UTF-8") from None
        if "\x00" in line:
            raise BadInput(f"{name}:{n}: holds a NUL byte; a batch file is text, one claim per line")
        yield f"{name}:{n}", line


def _check_line_sources(parsed: list[tuple[str, Any]], settings: Settings) -> None:
    """A batch line's `source` the index does not hold is an error naming the line, before any
    claim is verified (as `--source` is), not a silent NOT_ENOUGH_EVIDENCE."""
    from claimcheck.index import OpenIndex

    wanted = tuple(dict.fromkeys(s for _, item in parsed for s in item.sources))
    if not wanted:
        return
    with OpenIndex(Path(settings.index_dir)) as index:
        try:
            index.store.require_sources(wanted)
        except BadInput:
            for loc, item in parsed:
                try:
                    index.store.require_sources(item.sources)
                except BadInput as exc:
                    raise BadInput(f"{loc}: {exc}") from None
            raise


def _query_batch(file: Path, settings: Settings, options: Any, form: str, resources: Resources) -> None:
    """Verify every line of FILE: `form` "jsonl" streams one object per claim, "json" prints one
    document with all verdicts at the end, "table" prints each verdict as it comes."""
    from rich.progress import Progress

    from claimcheck.query import non_latin, parse_batch_line, query_many
    from claimcheck.render import print_verdict
    from claimcheck.render_json import dumps, verdict_json

    parsed = [(loc, item) for loc, line in _read_lines(file) if (item := parse_batch_line(line, loc))]
    _check_line_sources(parsed, settings)
    foreign = [loc for loc, item in parsed if non_latin(item.claim)]
    if foreign:
        _warn_non_latin(f"{len(foreign)} of {len(parsed)} claims (first: {foreign[0]}) are", "their verdicts")
    items = [item for _, item in parsed]
    out = stdout()
    collected = []
    with Progress(console=stderr(), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("query", total=len(items))
        for verdict in query_many(items, settings, options, resources):
            if form == "jsonl":
                print(dumps(verdict_json(verdict)), flush=True)
            elif form == "json":
                collected.append(verdict_json(verdict))
            else:
                print_verdict(out, verdict)
            bar.advance(task)
    if form == "json":
        print(dumps({"verdicts": collected}))


@app.command()
@handle_errors
def contradictions(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most pairs to list.")] = 20,
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, callback=_not_nan, help="Least score: the probability of `refutes` weighted by how surely the two statements are about one fact.")] = 0.25,
    source: PairSourceOpt = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Only pairs near this text.")] = None,
    since: PairSinceOpt = None,
    until: PairUntilOpt = None,
    index: IndexOpt = default_index_dir(),
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    as_markdown: MarkdownOpt = False,
) -> None:
    """List cross-source contradictions, side by side, strongest first."""
    _one_format(as_json, as_csv, as_markdown)
    from claimcheck import report
    from claimcheck.api import contradictions as run
    from claimcheck.crossmatch import ConflictFilter
    from claimcheck.render import print_conflicts
    from claimcheck.render_json import conflict_json, dumps

    start, end = _window(since, until)
    filters = ConflictFilter(sources=tuple(source or ()), min_score=min_score,
                             since=start, until=end, limit=limit + 1)
    settings = Settings(index_dir=index)
    resources = Resources(settings, notice=_notice)  # one embedder for the --topic search of both listings below
    pairs, more = _cut(run(settings, filters, topic=topic, resources=resources), limit)
    undated = 0
    if start or end:  # say what the window left out for want of a date, as `query` does
        unfiltered = run(settings, replace(filters, since=None, until=None, limit=None), topic=topic,
                         resources=resources)
        undated = sum(1 for c in unfiltered if c.a.published is None and c.b.published is None)
    if as_json:
        print(dumps({"pairs": [conflict_json(c) for c in pairs], "undated_left_out": undated, "more": more}))
    elif as_csv:
        sys.stdout.write(report.conflicts_csv(pairs))
    elif as_markdown:
        sys.stdout.write(report.conflicts_markdown(pairs))
    else:
        print_conflicts(stdout(), pairs)
    _say_more(more, _n(limit, "pair"))
    if undated and not as_json:
        stderr().print(f"{_n(undated, 'pair')} of undated statements left out by --since/--until", markup=False)


@app.command()
@handle_errors
def corroborations(
    min_sources: Annotated[int, typer.Option("--min-sources", min=2, help="Least independent sources per group.")] = 2,
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, callback=_not_nan, help="Least probability of `supports` between members.")] = 0.5,
    source: SourceOpt = None,
    uncorroborated: Annotated[bool, typer.Option("--uncorroborated", help="List check-worthy claims only one source carries instead.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most items to list.")] = 50,
    index: IndexOpt = default_index_dir(),
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    as_markdown: MarkdownOpt = False,
) -> None:
    """List claims reported by several independent sources (wire copies count once)."""
    _one_format(as_json, as_csv, as_markdown)
    from claimcheck import api, report
    from claimcheck.render import print_claim_list, print_corroborations
    from claimcheck.render_json import claim_json, corroboration_json, dumps

    settings = Settings(index_dir=index)
    if uncorroborated:
        lonely, more = _cut(api.uncorroborated(settings, limit=limit + 1, sources=tuple(source or ())), limit)
        if as_json:
            print(dumps({"claims": [claim_json(c) for c in lonely], "more": more}))
        elif as_csv:
            sys.stdout.write(report.claims_csv(lonely))
        elif as_markdown:
            sys.stdout.write(report.claims_markdown(lonely, "Claims only one source carries"))
        else:
            print_claim_list(stdout(), lonely, "Claims only one source carries")
        _say_more(more, _n(limit, "claim"))
        return
    groups, more = _cut(api.corroborations(settings, min_score, min_sources, tuple(source or ())), limit)
    if as_json:
        print(dumps({"groups": [corroboration_json(g) for g in groups], "more": more}))
    elif as_csv:
        sys.stdout.write(report.groups_csv(groups))
    elif as_markdown:
        sys.stdout.write(report.groups_markdown(groups))
    else:
        print_corroborations(stdout(), groups)
    _say_more(more, _n(limit, "group"))


@app.command()
@handle_errors
def relations(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most pairs to list.")] = 30,
    min_similarity: Annotated[float, typer.Option("--min-similarity", min=0.0, max=1.0, callback=_not_nan, help="Least cosine similarity of a pair.")] = 0.0,
    index: IndexOpt = default_index_dir(),
    as_json: JsonOpt = False,
) -> None:
    """How the sources' statements relate: related pairs side by side, each with its relation."""
    from claimcheck import api
    from claimcheck.render import print_relations
    from claimcheck.render_json import dumps, relation_pair_json

    pairs, more = _cut(api.relations(Settings(index_dir=index), limit + 1, min_similarity), limit)
    if as_json:
        print(dumps({"pairs": [relation_pair_json(p) for p in pairs], "more": more}))
    else:
        print_relations(stdout(), pairs)
    _say_more(more, _n(limit, "pair"))


@app.command("report")
@handle_errors
def report_html(
    html: Annotated[Path, typer.Option("--html", help="Write one self-contained HTML page here (`-`: stdout).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most pairs and groups to include.")] = 200,
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, callback=_not_nan, help="Least contradiction score (as in `contradictions`).")] = 0.25,
    index: IndexOpt = default_index_dir(),
    as_json: JsonOpt = False,
) -> None:
    """Write contradictions and corroborations side by side as one offline HTML page."""
    from claimcheck import api, report
    from claimcheck.crossmatch import ConflictFilter
    from claimcheck.render_json import dumps

    settings = Settings(index_dir=index)
    conflicts, more_conflicts = _cut(api.contradictions(settings, ConflictFilter(min_score=min_score, limit=limit + 1)),
                                     limit)
    groups, more_groups = _cut(api.corroborations(settings), limit)
    lonely, more_lonely = _cut(api.uncorroborated(settings, limit=limit + 1), limit)
    more = more_conflicts or more_groups or more_lonely
    page = report.html_report(conflicts, groups, lonely, index_info=api.info(settings))
    if str(html) == "-":  # the page on stdout, for a pipe
        if as_json:
            raise BadInput("--html - writes the page to stdout; leave out --json")
        sys.stdout.write(page)
        _say_more(more, f"{limit} of each list")  # on stderr
        return
    try:
        html.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot write {html}: {exc.strerror or exc}") from None
    if as_json:
        print(dumps({"html": str(html), "contradictions": len(conflicts), "corroborations": len(groups),
                     "more": more}))
    else:
        stderr().print(f"Wrote {html}: {_n(len(conflicts), 'contradiction')}, {_n(len(groups), 'corroboration')}", markup=False)
    _say_more(more, f"{limit} of each list")


@app.command()
@handle_errors
def compare(
    a: Annotated[str | None, typer.Argument(help="Statement A.")] = None,
    b: Annotated[str | None, typer.Argument(help="Statement B.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="JSONL pairs with fields `a` and `b`; `-` reads stdin.")] = None,
    no_nli: NoNliOpt = False,
    as_json: JsonOpt = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Batch mode: one JSON object per pair.")] = False,
) -> None:
    """How two statements relate: does A support or refute B, and why."""
    settings = Settings(use_nli=not no_nli)
    resources = Resources(settings, notice=_notice)
    resources.preload()

    from claimcheck import api
    from claimcheck.render_json import dumps, relation_json

    if file is not None:
        if a is not None:
            raise BadInput("give two statements A and B or --file PAIRS.jsonl, not both")
        pairs = [_pair(line, loc) for loc, line in _read_lines(file) if line.strip()]
        from claimcheck.query import non_latin

        foreign = sum(1 for pa, pb in pairs if non_latin(pa) or non_latin(pb))
        if foreign:
            _warn_non_latin(f"in {foreign} of {len(pairs)} pairs a statement is", "those relations")
        related = zip(pairs, api.compare_many(pairs, settings, resources))
        if as_json and not jsonl:
            print(dumps({"relations": [relation_json(pa, pb, relation) for (pa, pb), relation in related]}))
        else:  # JSON Lines, with or without --jsonl, as scripts have always read it
            for (pa, pb), relation in related:
                print(dumps(relation_json(pa, pb, relation)), flush=True)
        return
    if a is None or b is None:
        raise BadInput("give two statements A and B, or --file PAIRS.jsonl")
    relation = api.compare(a, b, settings, resources)
    _warn_not_english({"statement A": a, "statement B": b}, "this relation")
    if as_json or jsonl:
        print(dumps(relation_json(a, b, relation)))
    else:
        from claimcheck.render import print_relation

        print_relation(stdout(), a, b, relation)


def _pair(line: str, location: str) -> tuple[str, str]:
    import json

    try:
        data = json.loads(line)
    except ValueError as exc:
        raise BadInput(f"{location}: malformed JSON ({exc.args[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str) or not isinstance(data.get("b"), str):
        raise BadInput(f"{location}: each line needs string fields 'a' and 'b'")
    if not data["a"].strip() or not data["b"].strip():
        raise BadInput(f"{location}: 'a' and 'b' must not be empty")
    from claimcheck.api import pair_problem

    problem = pair_problem(data["a"], data["b"])
    if problem:  # named by the line, before any pair is related
        raise BadInput(f"{location}: {problem}")
    return data["a"], data["b"]


def _cut(items: list[Any], limit: int) -> tuple[list[Any], bool]:
    """The first `limit` of items fetched one past the limit, and whether there were more."""
    return items[:limit], len(items) > limit


def _say_more(more: bool, shown: str) -> None:
    """Say on stderr that a listing stopped at --limit with more to show (`shown`: "20 pairs")."""
    if more:
        print(f"Showing the first {shown}; more pass the filters (raise --limit to see them)", file=sys.stderr)


def _warn_not_english(texts: dict[str, str], answer: str) -> None:
    """Warn on stderr about each statement in a non-Latin script (the models read English)."""
    from claimcheck.query import non_latin

    for name, text in texts.items():
        if non_latin(text):
            _warn_non_latin(f"{name} is", answer)


def _warn_non_latin(what: str, answer: str) -> None:
    """The one wording of the warning: "Warning: <what> mostly in a non-Latin script; ..."."""
    print(f"Warning: {what} mostly in a non-Latin script; claimcheck reads English, so {answer} may be wrong",
          file=sys.stderr)


@app.command()
@handle_errors
def claims(
    file: Annotated[Path, typer.Argument(help="An article file (txt, md, html, json, csv); `-` reads stdin.")],
    min_checkworthiness: Annotated[float | None, typer.Option("--min-checkworthiness", min=0.0, max=1.0, callback=_not_nan, help="Hide claims below this score (0..1).")] = None,
    text_field: Annotated[str | None, typer.Option("--text-field", help="JSON/CSV field holding the article text.")] = None,
    title_field: Annotated[str | None, typer.Option("--title-field", help="JSON/CSV field holding the title.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The claims one article makes, with speakers and check-worthiness."""
    from claimcheck import api
    from claimcheck.render import print_claims
    from claimcheck.render_json import dumps, extracted_claim_json

    err = stderr()
    found = api.claims(file, min_checkworthiness=min_checkworthiness, text_field=text_field, title_field=title_field,
                       on_problem=_problem_printer(err))
    if as_json:
        print(dumps({"claims": [extracted_claim_json(c) for c in found]}))
    else:
        print_claims(stdout(), found, str(file))


@app.command()
@handle_errors
def info(
    index: IndexOpt = default_index_dir(),
    check: Annotated[bool, typer.Option("--check", help="Verify every checksum and the store's integrity.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """What an index holds: documents, claims, sources, model, build time."""
    from claimcheck import api
    from claimcheck.render import print_info
    from claimcheck.render_json import dumps, info_json

    result = api.info(Settings(index_dir=index), check=check)
    if as_json:
        print(dumps(info_json(result)))
    else:
        print_info(stdout(), result)


@app.command()
@handle_errors
def remove(
    keys: Annotated[list[str], typer.Argument(help="Document ids, file locations, folders or source names.")],
    index: IndexOpt = default_index_dir(),
    as_json: JsonOpt = False,
) -> None:
    """Remove documents (by id, location or source) and their claims and relations."""
    from claimcheck.build import remove as run_remove
    from claimcheck.render_json import dumps

    settings = Settings(index_dir=index)
    removed = run_remove(keys, settings, resources=Resources(settings, notice=_notice))
    if as_json:
        print(dumps({"removed": removed.documents, "locations_forgotten": removed.locations}))
    else:
        kept = (f"; forgot {_n(removed.locations, 'file location')} whose text another file still holds"
                if removed.locations else "")
        stderr().print(f"Removed {_n(removed.documents, 'document')} from {index}{kept}", markup=False)


# Commands that only read. Once their output is flushed, the process ends without tearing down
# what it loaded (two onnxruntime sessions, a memory-mapped FAISS index, every imported module):
# that teardown took 60 ms of a 0.5 s cold query on a 100k-claim index. Nothing is left to
# write: the index is opened read-only and stdout and stderr are flushed first.
FAST_EXIT = frozenset({"query", "compare"})


def main() -> None:
    """Console-script entry point."""
    one_blas_thread()
    try:
        app()
    except SystemExit as exc:
        command = sys.argv[1] if len(sys.argv) > 1 else None
        if exc.code not in (0, None) or command not in FAST_EXIT:
            raise
    else:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: let the interpreter report it the usual way
        raise SystemExit(0) from None
    os._exit(0)
