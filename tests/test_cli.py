"""End-to-end tests through the CLI on the seed articles, with the real packaged models."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from claimcheck.cli import app

runner = CliRunner()

SEED_A = SEEDS / "000_71aa0cbbda9650db.txt"
SEED_B = SEEDS / "004_1b2de568631d7ccf.txt"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def run_json(*args: str, input: str | None = None) -> dict:  # type: ignore[type-arg]
    result = run(*args, "--json", input=input)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    return data


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("idx") / "default"
    result = run("build", str(SEEDS), "--index", str(index))
    assert result.exit_code == 0, result.output
    return index


def test_build_reports_counts(seeds_index: Path) -> None:
    data = run_json("info", "--index", str(seeds_index))
    assert data["documents"] == 2
    assert data["claims"] >= 15
    assert data["embedder"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert data["dimension"] == 384


@pytest.mark.parametrize(
    ("claim", "seed"),
    [
        ("Assad praised Russia, Iran and Hezbollah for their support", SEED_A),
        ("The UN Security Council adopted a resolution submitted by Russia and Turkey on the ceasefire", SEED_B),
    ],
)
def test_query_finds_the_seed_sentence(seeds_index: Path, claim: str, seed: Path) -> None:
    data = run_json("query", claim, "--index", str(seeds_index))
    assert set(data) >= {"claim", "verdict", "confidence", "evidence"}
    top = data["evidence"][0]
    assert top["document"].endswith(seed.name)
    assert set(top) >= {"text", "source", "document", "relation", "score", "similarity", "reasons"}
    assert top["relation"] in {"supports", "refutes", "neutral"}
    assert data["verdict"] in {"SUPPORTED", "REFUTED", "CONFLICTING", "NOT_ENOUGH_EVIDENCE"}


def test_query_number_conflict_is_refuted(seeds_index: Path) -> None:
    data = run_json("query", "Damascus is ready to negotiate with some 19 armed opposition groups",
                    "--index", str(seeds_index))
    assert data["verdict"] == "REFUTED"
    assert any("91 vs 19" in r for r in data["evidence"][0]["reasons"])


def test_query_already_won_is_refuted_with_both_seed_statements(seeds_index: Path) -> None:
    # Issue 5's acceptance query: the seeds say the war "had not yet been won" and "We do not
    # consider that ... as a victory".
    data = run_json("query", "Assad said the war in Syria has already been won", "--index", str(seeds_index))
    assert data["verdict"] in {"REFUTED", "CONFLICTING"}
    texts = [e["text"] for e in data["evidence"]]
    assert any("not yet been won" in t for t in texts)
    assert any("We do not consider that" in t and "victory" in t for t in texts)
    refuting = next(e for e in data["evidence"] if "not yet been won" in e["text"])
    assert refuting["relation"] == "refutes"


def test_query_source_filter(seeds_index: Path) -> None:
    source = SEED_B.stem
    data = run_json("query", "Assad praised Russia", "--source", source, "--index", str(seeds_index))
    assert data["evidence"] and all(e["source"] == source for e in data["evidence"])


def test_query_batch_jsonl(seeds_index: Path) -> None:
    lines = "\n".join([
        "Assad praised Russia, Iran and Hezbollah",
        json.dumps({"claim": "The truce could accelerate peace efforts", "source": SEED_B.stem}),
    ])
    result = run("query", "--file", "-", "--jsonl", "--index", str(seeds_index), input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["claim"] for r in rows][0].startswith("Assad praised")
    assert len(rows) == 2
    assert all(e["source"] == SEED_B.stem for e in rows[1]["evidence"])


def test_contradictions_and_corroborations_json(seeds_index: Path) -> None:
    pairs = run_json("contradictions", "--index", str(seeds_index))["pairs"]
    for pair in pairs:
        assert set(pair) >= {"a", "b", "score", "reasons"}
        assert set(pair["a"]) >= {"text", "source", "document"}
        assert pair["a"]["source"] != pair["b"]["source"] or pair["kind"] == "speaker-disagreement"
    groups = run_json("corroborations", "--index", str(seeds_index))["groups"]
    for group in groups:
        assert len(group["sources"]) >= 2


def test_relations_pair_the_two_seed_articles(seeds_index: Path) -> None:
    pairs = run_json("relations", "--index", str(seeds_index))["pairs"]
    assert pairs, "the seeds index should hold cross-source pairs"
    for pair in pairs:
        assert pair["relation"] in {"supports", "refutes", "neutral"}
        assert {pair["a"]["source"], pair["b"]["source"]} == {SEED_A.stem, SEED_B.stem}
    sims = [p["similarity"] for p in pairs]
    assert sims == sorted(sims, reverse=True)


def test_terminal_views_render(seeds_index: Path) -> None:
    for args in (["contradictions"], ["corroborations"], ["relations"], ["info"], ["query", "Assad praised Russia"]):
        result = run(*args, "--index", str(seeds_index))
        assert result.exit_code == 0, result.output


def test_compare_names_the_number() -> None:
    data = run_json("compare", "Damascus is ready to negotiate with some 91 armed opposition groups.",
                    "Damascus is ready to negotiate with some 19 armed opposition groups.")
    assert data["relation"] == "refutes"
    assert abs(sum(data["probabilities"].values()) - 1) < 1e-3
    assert any("91 vs 19" in r for r in data["reasons"])


def test_compare_batch(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        json.dumps({"a": "The talks start on January 23.", "b": "The talks start on January 25."}) + "\n"
        + json.dumps({"a": "The cat sleeps.", "b": "Stocks rose on Monday."}) + "\n"
    )
    result = run("compare", "--file", str(pairs), "--jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["relation"] for r in rows] == ["refutes", "neutral"]


def test_compare_refuses_what_the_model_cannot_read_and_warns_of_another_script(tmp_path: Path) -> None:
    long = "The bridge over the river was finished after years of work and delay. " * 14 + "It cost $40 million."
    result = run("compare", long, long.replace("$40", "$48"), "--no-nli")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: statement A is 186 words long; give one statement (up to 150 words")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"a": "It rose.", "b": "It fell."}) + "\n" + json.dumps({"a": "x", "b": long}) + "\n")
    result = run("compare", "--file", str(pairs), "--jsonl", "--no-nli")
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {pairs}:2: statement B is 186 words long")
    from claimcheck.api import compare_many
    from claimcheck.errors import BadInput

    with pytest.raises(BadInput, match="^pair 2: statement B is 186 words long"):  # the library refuses it too
        compare_many([("It rose.", "It fell."), ("x", long)])
    # Japanese: the models read English, so the answer comes with a warning, on stderr only
    result = run("compare", "橋の建設費は4000万ドルだった。", "The bridge cost $48 million.", "--no-nli", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["relation"]
    assert result.stderr == ("Warning: statement A is mostly in a non-Latin script; claimcheck reads English, "
                             "so this relation may be wrong\n")
    pairs.write_text(json.dumps({"a": "It rose.", "b": "It fell."}) + "\n"
                     + json.dumps({"a": "Цены выросли.", "b": "Prices rose."}) + "\n")
    result = run("compare", "--file", str(pairs), "--jsonl", "--no-nli")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert result.stderr.startswith("Warning: in 1 of 2 pairs a statement is mostly in a non-Latin script")
    assert run("compare", "Café prices rose in Zürich.", "Café prices fell in Zürich.", "--no-nli").stderr == ""


def test_a_batch_of_claims_warns_of_those_in_another_script(seeds_index: Path) -> None:
    result = run("query", "--file", "-", "--jsonl", "--no-nli", "--index", str(seeds_index),
                 input="Assad praised Russia\nАсад похвалил Россию\n")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert result.stderr == ("Warning: 1 of 2 claims (first: stdin:2) are mostly in a non-Latin script; claimcheck "
                             "reads English, so their verdicts may be wrong\n")


def test_claims_json_for_seed() -> None:
    claims = run_json("claims", str(SEED_B))["claims"]
    assert claims
    for claim in claims:
        assert set(claim) >= {"text", "sentence", "start", "end", "speaker", "checkworthiness"}
        assert "Photo:" not in claim["text"]
    raw = SEED_B.read_text(encoding="utf-8")
    assert any(c["sentence"] in raw for c in claims)


def test_incremental_build_skips_unchanged(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_A, corpus / SEED_A.name)
    index = tmp_path / "ix"
    first = run_json("build", str(corpus), "--index", str(index))
    assert first["documents_added"] == 1
    shutil.copy(SEED_B, corpus / SEED_B.name)
    second = run_json("build", str(corpus), "--index", str(index))
    assert (second["documents_added"], second["documents_unchanged"]) == (1, 1)
    (corpus / SEED_A.name).unlink()
    third = run_json("build", str(corpus), "--index", str(index), "--prune")
    assert third["documents_removed"] == 1
    assert run_json("info", "--index", str(index))["documents"] == 1


def test_remove_by_source(tmp_path: Path, seeds_index: Path) -> None:
    index = tmp_path / "copy"
    shutil.copytree(seeds_index, index)
    assert run_json("remove", SEED_A.stem, "--index", str(index))["removed"] == 1
    info = run_json("info", "--index", str(index))
    assert info["documents"] == 1 and SEED_A.stem not in info["sources"]


def test_failed_build_keeps_previous_index(tmp_path: Path, seeds_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = tmp_path / "copy"
    shutil.copytree(seeds_index, index)
    before = run_json("info", "--index", str(index))
    extra = tmp_path / "new.txt"
    extra.write_text("The river flooded the town of Exampleville on Monday, officials said.\n")

    def explode(self, texts):  # type: ignore[no-untyped-def]
        raise RuntimeError("model crashed")

    from claimcheck import embed

    for cls in (getattr(embed, "OnnxEmbedder", None), embed.SentenceTransformerEmbedder):
        if cls is not None:
            monkeypatch.setattr(cls, "embed", explode)
    result = run("build", str(extra), "--index", str(index))
    assert result.exit_code != 0
    monkeypatch.undo()
    assert run_json("info", "--index", str(index), "--check")["documents"] == before["documents"]
    assert len(list(index.glob("v-*"))) == 1


# --- errors -----------------------------------------------------------------------------------


def test_query_without_index_says_build(tmp_path: Path) -> None:
    result = run("query", "anything", "--index", str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no index at ")
    assert "claimcheck build" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "only one"], "Error: give two statements A and B, or --file PAIRS.jsonl"),
        (["query", "x", "--since", "yesterday"], "Error: --since 'yesterday' is not a date; use YYYY-MM-DD"),
        (["claims", "does-not-exist.txt"], "Error: does-not-exist.txt: no such file or folder"),
    ],
)
def test_error_lines(args: list[str], message: str, seeds_index: Path) -> None:
    result = run(*args, "--index", str(seeds_index)) if args[0] == "query" else run(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_usage_error_exit_code() -> None:
    assert run("query", "-k", "zero").exit_code == 2
    for value in ("nan", "2", "-5"):  # QA pass: accepted, and nan or 2 gave an empty list silently
        assert run("claims", str(SEEDS / next(p.name for p in SEEDS.iterdir())), "--min-checkworthiness",
                   value).exit_code == 2


def test_bad_files_are_skipped_and_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_A, corpus / "good.txt")
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run("build", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0, result.output
    assert "empty.txt" in result.stderr and "binary.txt" in result.stderr
    assert run_json("info", "--index", str(tmp_path / "ix"))["documents"] == 1


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("build", str(tmp_path / "empty"), "--index", str(tmp_path / "ix"))
    assert str(tmp_path / "empty") in result.stderr


def _process(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the real entry point (`python -m claimcheck`), which CliRunner does not reach."""
    return subprocess.run([sys.executable, "-m", "claimcheck", *args], capture_output=True, text=True,
                          timeout=120, check=False, **kwargs)  # type: ignore[call-overload]


def test_a_query_process_prints_everything_before_it_ends(seeds_index: Path) -> None:
    """`query` ends without tearing its models down (cli.FAST_EXIT): its output is still whole."""
    done = _process("query", "Damascus is ready to negotiate with 91 armed groups.", "--index",
                    str(seeds_index), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["evidence"]
    failed = _process("query", "anything", "--index", str(seeds_index.parent / "nothing"))
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: no index at ")


def test_a_json_query_imports_neither_torch_nor_the_terminal_renderer(seeds_index: Path) -> None:
    """The lean query path: onnxruntime and tokenizers, no torch / sentence-transformers, and no
    rich when nothing is drawn on the terminal (`-X importtime` lists every module imported)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimcheck", "query",
                           "Damascus is ready to negotiate with 91 armed groups.", "--index", str(seeds_index), "--json"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert {"onnxruntime", "tokenizers", "faiss"} <= imported
    assert not imported & {"torch", "sentence_transformers", "transformers", "rich"}


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"a": f"Prices rose {i} percent.", "b": f"Prices rose {i + 1} percent."}) + "\n"
                             for i in range(600)))
    with subprocess.Popen([sys.executable, "-m", "claimcheck", "compare", "--file", str(pairs), "--jsonl"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert json.loads(proc.stdout.readline())["relation"] == "refutes"
        proc.stdout.close()  # like `| head -1`
        stderr = proc.stderr.read()
        assert proc.wait(timeout=120) == 1
    assert stderr == ""


def test_preloaded_models_are_the_ones_used_and_their_errors_surface(tmp_path: Path) -> None:
    from claimcheck.errors import ModelMissing
    from claimcheck.settings import Loading, Resources, Settings

    resources = Resources(Settings(index_dir=tmp_path, model_cache=tmp_path / "no-models"))
    resources.preload()
    assert set(resources._loading) == {"nli"}  # no embedder export yet: left to first use, which exports
    nli = resources._loading["nli"].result()
    assert nli is not None
    resources._embedder = object()  # a stand-in: exporting the embedder is not what this tests
    assert resources.engine.nli is nli  # the engine got the preloaded model

    def fail() -> None:
        raise ModelMissing("gone")

    with pytest.raises(ModelMissing, match="gone"):
        Loading(fail, "test").result()


def test_the_briefs_question_finds_the_refuting_seed_sentence(seeds_index: Path) -> None:
    data = run_json("query", "Is it true that Damascus refuses to negotiate with armed opposition groups?",
                    "--index", str(seeds_index))
    ready = next(e for e in data["evidence"] if "ready to negotiate" in e["text"])
    assert ready["relation"] == "refutes"
    assert any("ready vs refuses" in r for r in ready["reasons"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "x", "--source", "nosuch"], "Error: no source named 'nosuch' in the index; it holds "),
        (["contradictions", "--source", "NOSUCH"], "Error: no source named 'NOSUCH' in the index"),
        (["query", "x", "--since", "2025-01-01", "--until", "2024-01-01"],
         "Error: --since 2025-01-01 is after --until 2024-01-01: no date is in that window"),
        (["query", "x", "--file", "-"], "Error: give a claim to verify or --file FILE, not both"),
        (["contradictions", "--csv", "--json"], "Error: choose one output format: --json, --csv or --markdown"),
    ],
)
def test_filters_that_cannot_match_are_errors(args: list[str], message: str, seeds_index: Path) -> None:
    result = run(*args, "--index", str(seeds_index))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_source_named_in_another_case_gets_a_hint(seeds_index: Path) -> None:
    source = run_json("info", "--index", str(seeds_index))["sources"][0]
    result = run("corroborations", "--source", source.swapcase(), "--index", str(seeds_index))
    assert result.exit_code == 1
    assert f"did you mean {source!r}?" in result.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"claim": "x", "source": 5}', "stdin:1: 'source' must be a string or a list of strings"),
        ('{"claim": "x", "source": [1, 2]}', "stdin:1: 'source' must be a string or a list of strings"),
        ('{"claim": "  "}', "stdin:1: 'claim' is empty"),
        ('["Assad praised Russia"]', "stdin:1: a JSON line must be an object with a string field 'claim', not a list"),
        # A line's source the index does not hold is an error, not a silent NOT_ENOUGH_EVIDENCE.
        ('{"claim": "Assad praised Russia", "source": "NoSuchOutlet"}',
         "stdin:1: no source named 'NoSuchOutlet' in the index; it holds "),
    ],
)
def test_bad_batch_lines_name_the_line(line: str, message: str, seeds_index: Path) -> None:
    result = run("query", "--file", "-", "--jsonl", "--index", str(seeds_index), input=line + "\n")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: {message}")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # QA pass: these were read with replacement characters (or as NUL-ridden text) and
        # verified, some as SUPPORTED.
        ("The caf\u00e9 closed\n".encode("latin-1"), "claims.txt:1: not UTF-8 text; save the file as UTF-8"),
        (b"\x00\x01\x02binary\xff", "claims.txt:1: not UTF-8 text"),
        (b"Assad praised Russia\n\x00\n", "claims.txt:2: holds a NUL byte"),
        (b'{"claim": "\\u0000"}\n', "claims.txt:1: the claim holds a NUL character"),
    ],
)
def test_batch_files_that_are_not_text_are_errors_naming_the_line(data: bytes, message: str, seeds_index: Path,
                                                                   tmp_path: Path) -> None:
    batch = tmp_path / "claims.txt"
    batch.write_bytes(data)
    result = run("query", "--file", str(batch), "--jsonl", "--index", str(seeds_index))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().startswith(f"Error: {batch}:") and message.split(":", 1)[1] in result.stderr


def test_batch_files_with_a_byte_order_mark_are_read(seeds_index: Path, tmp_path: Path) -> None:
    # QA pass: a UTF-8 byte-order mark (Notepad) made the first JSON line a plain-text claim,
    # its source ignored; UTF-16 (with its mark) was read as text full of NUL characters.
    source = run_json("info", "--index", str(seeds_index))["sources"][0]
    lines = f'{{"claim": "Damascus is ready to negotiate", "source": "{source}"}}\r\nAssad praised Russia\r\n'
    for data in (b"\xef\xbb\xbf" + lines.encode(), lines.encode("utf-16")):
        batch = tmp_path / "claims.jsonl"
        batch.write_bytes(data)
        result = run("query", "--file", str(batch), "--jsonl", "--index", str(seeds_index))
        assert result.exit_code == 0, result.output
        verdicts = [json.loads(line) for line in result.stdout.splitlines()]
        assert [v["claim"] for v in verdicts] == ["Damascus is ready to negotiate", "Assad praised Russia"]
        assert {e["source"] for e in verdicts[0]["evidence"]} <= {source}


def test_a_claim_that_is_not_utf8_is_an_error(seeds_index: Path) -> None:
    # QA pass: bytes the terminal could not decode reached the tokenizer and gave a traceback.
    result = run("query", "The caf\udce9 closed", "--index", str(seeds_index))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the claim is not UTF-8 text")


def test_a_damaged_store_is_an_error_line_not_a_traceback(seeds_index: Path, tmp_path: Path) -> None:
    # QA pass: a store whose pages are damaged but whose checksum was made to match gave a
    # sqlite3 traceback from `info` (without --check) and `query`.
    import hashlib
    import shutil

    index = tmp_path / "damaged"
    shutil.copytree(seeds_index, index)
    version = index / (index / "CURRENT").read_text().strip()
    store = version / "store.sqlite"
    data = bytearray(store.read_bytes())
    for page in range(2, len(data) // 4096):
        data[page * 4096 : page * 4096 + 8] = b"\x0d\xff\xff\xff\xff\x00\x00\x00"
    store.write_bytes(bytes(data))
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["files"]["store.sqlite"]["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    (version / "manifest.json").write_text(json.dumps(manifest))
    for args in (["info", "--json"], ["query", "Assad praised Russia"]):
        result = run(*args, "--index", str(index))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: the index's store cannot be read (")
        assert f"--index {index}" in result.stderr


def test_batch_json_is_one_document(seeds_index: Path, tmp_path: Path) -> None:
    lines = "Assad said the war in Syria has already been won\nDamascus is ready to negotiate\n"
    result = run("query", "--file", "-", "--json", "--index", str(seeds_index), input=lines)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [v["claim"] for v in data["verdicts"]] == lines.splitlines()
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"a": "It rose 5%.", "b": "It rose 7%."}\n{"a": "It fell.", "b": "It fell."}\n')
    data = json.loads(run("compare", "--file", str(pairs), "--json").stdout)
    assert data["relations"][0]["relation"] == "refutes" and len(data["relations"]) == 2
    pairs.write_text('{"a": "", "b": "It rose."}\n')
    result = run("compare", "--file", str(pairs), "--jsonl")
    assert result.exit_code == 1 and f"{pairs}:1: 'a' and 'b' must not be empty" in result.stderr


def test_uncorroborated_claims_export_csv_and_markdown(seeds_index: Path) -> None:
    csv_out = run("corroborations", "--uncorroborated", "--csv", "--index", str(seeds_index))
    assert csv_out.exit_code == 0, csv_out.output
    header, *rows = csv_out.stdout.splitlines()
    assert header == "text,source,published,speaker,checkworthiness,document,carried_by" and rows
    md = run("corroborations", "--uncorroborated", "--markdown", "--index", str(seeds_index)).stdout
    assert md.startswith("## Claims only one source carries\n\n| # | Statement |")


def test_an_index_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    for command in ("contradictions", "corroborations", "info"):
        result = run(command, "--index", str(afile))
        assert result.exit_code == 1
        assert result.stderr == (f"Error: --index {afile} is a file, not an index folder; name the folder the "
                                 "index was built into\n")


def test_a_listing_cut_by_limit_says_there_is_more(seeds_index: Path) -> None:
    every = run_json("corroborations", "--uncorroborated", "--index", str(seeds_index))
    assert every["more"] is False and len(every["claims"]) > 3
    cut = run("corroborations", "--uncorroborated", "--limit", "3", "--json", "--index", str(seeds_index))
    assert json.loads(cut.stdout)["claims"] == every["claims"][:3] and json.loads(cut.stdout)["more"] is True
    assert cut.stderr == "Showing the first 3 claims; more pass the filters (raise --limit to see them)\n"
    exact = run("corroborations", "--uncorroborated", "--limit", str(len(every["claims"])), "--json",
                "--index", str(seeds_index))
    assert json.loads(exact.stdout)["more"] is False and exact.stderr == ""  # all shown: nothing to say
    assert run_json("contradictions", "--index", str(seeds_index))["more"] is False


def test_build_refuses_paths_and_index_folders_it_cannot_use(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "typo"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'typo'}: no such file or folder; nothing was built"
    assert not (tmp_path / "ix").exists()
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(SEED_A, articles / "a.txt")
    # QA pass: a typo in one of two paths was a "skipped" line and exit 0, unnoticed in a script.
    result = run("build", str(articles), str(tmp_path / "typo"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and "typo: no such file or folder; nothing was built" in result.stderr
    assert not (tmp_path / "ix").exists()
    result = run("build", str(articles), "--index", str(articles))
    assert result.exit_code == 1 and "is not a claimcheck index but holds other files (a.txt" in result.stderr
    assert sorted(p.name for p in articles.iterdir()) == ["a.txt"]
    (tmp_path / "afile").write_text("x")
    result = run("build", str(articles), "--index", str(tmp_path / "afile"))
    assert result.exit_code == 1 and "is a file; name a folder" in result.stderr
    filtered = run("build", str(articles), "--include", "*.html", "--index", str(tmp_path / "ix2"))
    assert filtered.exit_code == 1  # nothing read at all


def test_a_small_index_can_be_ivf(tmp_path: Path) -> None:
    result = run("build", str(SEED_A), "--index", str(tmp_path / "ix"), "--index-type", "ivf-sq8", "--no-nli")
    assert result.exit_code == 0, result.output
    assert run_json("info", "--index", str(tmp_path / "ix"))["extra"]["index type"] == "ivf-sq8"
    found = run_json("query", "Damascus is ready to negotiate with armed opposition groups", "--index", str(tmp_path / "ix"),
                     "--no-nli")
    assert found["evidence"]


def test_removing_one_of_two_identical_files_keeps_the_other(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_A, corpus / "one.txt")
    shutil.copy(SEED_A, corpus / "two.txt")
    index = str(tmp_path / "ix")
    assert run("build", str(corpus), "--index", index, "--no-nli").exit_code == 0
    removed = run_json("remove", str(corpus / "one.txt"), "--index", index)
    assert (removed["removed"], removed["locations_forgotten"]) == (0, 1)
    info = run_json("info", "--index", index)
    assert info["documents"] == 1 and info["claims"] > 0
    claim = run_json("query", "Damascus is ready to negotiate", "--index", index, "--no-nli")["evidence"][0]
    assert claim["document"].endswith("two.txt")
    assert run_json("remove", str(corpus / "two.txt"), "--index", index)["removed"] == 1


def test_two_pipes_into_one_index_keep_both_articles(tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    first = "The governor said 30 bridges were closed on Monday after the storm.\n"
    second = "The mayor said 12 schools stayed shut on Tuesday because of flooding.\n"
    assert run("build", "-", "--index", index, "--no-nli", input=first).exit_code == 0
    assert run("build", "-", "--index", index, "--no-nli", input=second).exit_code == 0
    assert run_json("build", "-", "--index", index, "--no-nli", input=second)["documents_unchanged"] == 1
    assert run_json("info", "--index", index)["documents"] == 2


def test_reading_a_file_with_other_field_options_reads_it_again(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"body": "The governor said 30 bridges were closed on Monday after the storm.",
                                   "summary": "The mayor said 12 schools stayed shut on Tuesday because of flooding.",
                                   "outlet": "Daily Post", "alt": "Evening Star"}) + "\n")
    index = str(tmp_path / "ix")
    assert run("build", str(records), "--index", index, "--no-nli", "--text-field", "body",
               "--source-field", "outlet").exit_code == 0
    assert run_json("info", "--index", index)["sources"] == ["Daily Post"]
    again = run_json("build", str(records), "--index", index, "--no-nli", "--text-field", "body", "--source-field", "alt")
    assert again["documents_unchanged"] == 1
    assert run_json("info", "--index", index)["sources"] == ["Evening Star"]
    other = run_json("build", str(records), "--index", index, "--no-nli", "--text-field", "summary", "--source-field", "alt")
    assert (other["documents_added"], other["documents_removed"]) == (1, 1)


def test_a_misspelt_field_flag_warns_and_the_build_goes_on(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"body": "The governor said 30 bridges were closed on Monday after the storm.",
                                   "pub": "2024-03-05"}) + "\n")
    index = str(tmp_path / "ix")
    result = run("build", str(records), "--index", index, "--no-nli", "--date-field", "published")
    assert result.exit_code == 0, result.output
    assert f"warning {records}: no row has a value in the field 'published' named by --date-field" in result.stderr
    assert "0 skipped" in result.stderr
    data = run_json("build", str(records), "--index", str(tmp_path / "ix2"), "--no-nli", "--strict",
                    "--date-field", "published")
    assert data["documents_added"] == 1 and not data["problems"]
    assert [w["location"] for w in data["warnings"]] == [str(records)]


def test_claims_reads_a_named_text_column_and_the_report_can_go_to_stdout(tmp_path: Path, seeds_index: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text('headline,story\n"Bridges shut","The governor said 30 bridges were closed on Monday."\n')
    assert "--text-field" in run("claims", str(table)).stderr
    found = run_json("claims", str(table), "--text-field", "story", "--title-field", "headline")["claims"]
    assert [c["text"] for c in found] == ["30 bridges were closed on Monday."]
    page = run("report", "--html", "-", "--index", str(seeds_index))
    assert page.exit_code == 0 and page.stdout.startswith("<!DOCTYPE html>")


def test_one_file_is_one_document_whatever_folder_the_build_runs_from(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "news").mkdir()
    article = tmp_path / "news" / "a.txt"
    article.write_text("Unemployment rose to 7.2 percent in March, the ministry said.\n")
    index = str(tmp_path / "ix")
    monkeypatch.chdir(tmp_path)
    assert run("build", "news", "--index", index, "--no-nli").exit_code == 0
    article.write_text("Unemployment rose to 7.9 percent in March, the ministry said.\n")
    again = run_json("build", str(tmp_path / "news"), "--index", index, "--no-nli", "--prune")
    assert (again["documents_added"], again["documents_removed"]) == (1, 1)
    assert run_json("info", "--index", index)["documents"] == 1
    assert run_json("remove", "news/a.txt", "--index", index)["removed"] == 1


def test_an_index_of_relative_locations_is_moved_to_absolute_ones(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from claimcheck.build import _absolute_locations
    from claimcheck.ingest_meta import make_document
    from claimcheck.store import Store

    class Writer:  # the part of IndexWriter the renaming uses
        def __init__(self, store: Store) -> None:
            self.store, self.removed = store, []

        def remove_vectors(self, ids: list[int]) -> None:
            self.removed.append(ids)

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.jsonl").write_text('{"text": "The dam was finished in 1962."}\n')
    (tmp_path / "b.txt").write_text("The bridge opened on Tuesday.\n")
    store = Store(tmp_path / "store.sqlite")
    store.add_document(make_document("The dam was finished in 1962.", "a.jsonl:1", "a"), "2026-01-01", "fp")
    store.add_document(make_document("The canal opened in 1881.", "gone.txt", "g"), "2026-01-01", "fp")
    # b.txt stored twice, as written by an older build (Monday's text) and absolute (Tuesday's).
    store.add_document(make_document("The bridge opened on Monday.", "b.txt", "b"), "2026-01-01", "fp")
    store.add_document(make_document("The bridge opened on Tuesday.", str(tmp_path / "b.txt"), "b"), "2026-01-02", "fp")
    writer = Writer(store)
    _absolute_locations(writer)  # type: ignore[arg-type]
    assert sorted(store.location_fingerprints()) == sorted([f"{tmp_path / 'a.jsonl'}:1", "gone.txt", str(tmp_path / "b.txt")])
    assert store.counts()["documents"] == 3 and len(writer.removed) == 1  # Monday's version is gone


def test_a_text_two_outlets_carry_keeps_the_remaining_outlet(tmp_path: Path) -> None:
    from claimcheck.ingest_meta import make_document
    from claimcheck.store import Store

    store = Store(tmp_path / "store.sqlite")
    doc = make_document("The dam was finished in 1962.", "/news/reuters/a.txt", "reuters")
    store.add_document(doc, "2026-01-01", "fp")
    store.add_location("/news/ap/a.txt", doc.doc_id, "fp", "ap")
    store.require_sources(["ap", "reuters"])  # a carrier of a copy is a source too
    assert store.remove_location("/news/reuters/a.txt") is None
    assert store.sources() == [("ap", 1)]


def test_removing_a_file_whose_rows_repeat_one_text_removes_it_whole(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    row = json.dumps({"text": "The governor said 30 bridges were closed on Monday after the storm."})
    feed.write_text(row + "\n" + row + "\n")
    index = str(tmp_path / "ix")
    assert run("build", str(feed), "--index", index, "--no-nli").exit_code == 0
    removed = run_json("remove", str(feed), "--index", index)
    assert (removed["removed"], removed["locations_forgotten"]) == (1, 0)


def test_a_first_build_cut_short_can_be_built_again(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    (index / "v-20260101T000000000000-1").mkdir(parents=True)
    (index / "CURRENT.tmp-1").write_text("v-20260101T000000000000-1")
    assert run("build", str(SEED_A), "--index", str(index), "--no-nli").exit_code == 0


def test_a_date_filter_says_how_many_undated_statements_it_left_out(seeds_index: Path) -> None:
    found = run_json("query", "Damascus is ready to negotiate with armed opposition groups", "--since", "2000-01-01",
                     "--index", str(seeds_index))
    assert not found["evidence"]  # the seed articles carry no date
    assert found["rationale"].endswith("undated statements left out by --since/--until")


def _built_news_with_a_nested_folder(tmp_path: Path, top: str) -> tuple[Path, str]:
    """A folder with an article `top` and one in `nested/`, built into an index (no NLI)."""
    news = tmp_path / "news"
    (news / "nested").mkdir(parents=True)
    (news / top).write_text("The council approved 12 new bus routes on Monday, the mayor said.\n")
    (news / "nested" / "b.txt").write_text("The port handled 3 million containers in 2023, officials said.\n")
    index = str(tmp_path / "ix")
    assert run("build", str(news), "--index", index, "--no-nli").exit_code == 0
    return news, index


def test_prune_keeps_files_that_a_filter_left_out(tmp_path: Path) -> None:
    news, index = _built_news_with_a_nested_folder(tmp_path, "a.md")
    for flags in (("--include", "*.md"), ("--exclude", "nested")):
        again = run_json("build", str(news), *flags, "--prune", "--index", index, "--no-nli")
        assert again["documents_removed"] == 0, flags
    assert run_json("info", "--index", index)["documents"] == 2
    (news / "nested" / "b.txt").unlink()
    assert run_json("build", str(news), "--prune", "--index", index, "--no-nli")["documents_removed"] == 1


def test_rows_gone_from_a_file_read_again_are_removed(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [json.dumps({"text": f"The council approved {n} new bus routes on Monday, the mayor said."})
            for n in (12, 14, 16)]
    feed.write_text("\n".join(rows) + "\n")
    index = str(tmp_path / "ix")
    assert run("build", str(feed), "--index", index, "--no-nli").exit_code == 0
    feed.write_text("\n".join(rows[:2]) + "\n{not json\n")  # row 3 now unreadable: it keeps its text
    again = run_json("build", str(feed), "--index", index, "--no-nli")
    assert again["documents_removed"] == 0
    feed.write_text("\n".join(rows[:2]) + "\n")
    again = run_json("build", str(feed), "--index", index, "--no-nli")
    assert (again["documents_removed"], run_json("info", "--index", index)["documents"]) == (1, 2)


def test_rows_that_move_in_a_file_are_kept_and_a_deleted_one_goes(tmp_path: Path) -> None:
    # QA pass: deleting the middle row of three left it in the index for good (its location
    # re-pointed at the row that moved up), and inserting a row at the top re-extracted every
    # row below it.
    feed = tmp_path / "feed.jsonl"
    rows = [json.dumps({"text": f"The council approved {n} new bus routes on Monday, the mayor said.",
                        "source": outlet}) for n, outlet in ((12, "alpha"), (14, "beta"), (16, "gamma"))]
    feed.write_text("\n".join(rows) + "\n")
    index = str(tmp_path / "ix")
    assert run("build", str(feed), "--index", index, "--no-nli").exit_code == 0
    feed.write_text("\n".join([rows[0], rows[2]]) + "\n")
    again = run_json("build", str(feed), "--index", index, "--no-nli")
    assert (again["documents_added"], again["documents_removed"]) == (0, 1)
    assert run_json("info", "--index", index)["sources"] == ["alpha", "gamma"]
    new = json.dumps({"text": "The mayor resigned on Friday after 12 years in office, aides said.", "source": "delta"})
    feed.write_text("\n".join([new, rows[2], rows[0]]) + "\n")  # one row inserted, two swapped
    again = run_json("build", str(feed), "--index", index, "--no-nli")
    assert (again["documents_added"], again["documents_removed"], again["claims_added"]) == (1, 0, 1)
    assert run_json("info", "--index", index)["documents"] == 3
    # Each statement is cited by the row it is on now (review: moved rows kept their old number).
    for text, row in (("The mayor resigned on Friday", 1), ("The council approved 16 new bus routes", 2),
                      ("The council approved 12 new bus routes", 3)):
        top = run_json("query", text, "--index", index)["evidence"][0]
        assert top["text"].startswith(text) and top["document"] == f"{feed}:{row}", (text, top["document"])
    # A row edited into a copy of another row gives up its old text (it stayed, with no location).
    feed.write_text("\n".join([new, rows[2], rows[2]]) + "\n")
    again = run_json("build", str(feed), "--index", index, "--no-nli")
    assert again["documents_removed"] == 1 and run_json("info", "--index", index)["documents"] == 2


def test_a_file_edited_to_hold_another_files_text_drops_its_old_text(tmp_path: Path) -> None:
    # QA pass: b.txt's old statements stayed (no location held them) after b.txt became a copy of a.txt.
    news = _articles(tmp_path / "news", {
        "a.txt": "Cracks were found in 3 support beams of the Elm Street bridge on Monday.",
        "b.txt": "Cracks were found in 4 support beams of the Elm Street bridge on Monday."})
    index = str(tmp_path / "ix")
    assert run("build", str(news), "--index", index, "--no-nli").exit_code == 0
    (news / "b.txt").write_text((news / "a.txt").read_text())
    assert run_json("build", str(news), "--index", index, "--no-nli")["documents_removed"] == 1
    texts = [e["text"] for e in run_json("query", "Cracks were found in 4 support beams", "--index", index)["evidence"]]
    assert texts and not any("4 support beams" in t for t in texts)


def test_file_names_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    news = tmp_path / "notes["
    news.mkdir()
    (news / "[red]draft.txt").write_text("")
    (news / "bold] empty.txt").write_text("")  # its path holds "[/bold]", a closing rich tag
    result = run("build", str(news), "--index", str(tmp_path / "ix"), "--no-nli")
    assert result.exit_code == 1, result.output
    assert "[red]draft.txt: empty file" in result.stderr and "notes[/bold] empty.txt" in result.stderr
    assert "Error: no document could be read" in result.stderr


def test_adding_documents_finds_the_pairs_a_full_build_finds(tmp_path: Path) -> None:
    """An older claim whose nearest claims now include a new one is paired with it, and the
    claims of one's own document do not take a claim's neighbour places."""
    wire, daily = tmp_path / "A", tmp_path / "B"
    wire.mkdir()
    daily.mkdir()
    (wire / "wire.txt").write_text("Senate vote\n\nThe Senate approved the budget on Tuesday by a vote of "
                                   "62 to 38, according to the Senate clerk.\n")
    lines = [f"The Senate approved the budget on Tuesday by a vote of 51 to 49{tail}."
             for tail in ("", ", the clerk said", ", officials said", " after a long debate", ", aides said",
                          ", a spokesman said", " in Washington", " amid protests", ", sources said",
                          " late in the evening", ", records show", " after midnight", ", reporters heard")]
    (daily / "daily.txt").write_text("Budget\n\n" + " ".join(lines) + "\n")
    step, full = str(tmp_path / "step"), str(tmp_path / "full")
    assert run("build", str(wire), "--index", step, "--no-nli").exit_code == 0
    assert run("build", str(daily), "--index", step, "--no-nli").exit_code == 0
    assert run("build", str(wire), str(daily), "--index", full, "--no-nli").exit_code == 0
    relations = run_json("info", "--index", step)["relations"]
    assert relations == run_json("info", "--index", full)["relations"] >= 10


def test_an_empty_answer_says_which_limit_left_nothing(seeds_index: Path) -> None:
    found = run_json("query", "Damascus is ready to negotiate with armed opposition groups", "--min-similarity",
                     "0.999", "--index", str(seeds_index))
    assert not found["evidence"] and found["rationale"].startswith("nothing in the index reaches --min-similarity 0.999")


def test_claims_skips_a_bad_row_as_a_build_does(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "The council approved 12 new bus routes on Monday, the mayor said."})
                    + "\n{bad\n")
    result = run("claims", str(feed), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["claims"]
    assert "feed.jsonl:2: malformed JSON" in result.stderr


def test_a_document_that_gives_no_claim_is_named(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "zh.txt").write_text("北京新闻\n\n中国国家统计局周二表示，今年第一季度经济增长百分之五。官员说，出口增长强劲。\n")
    result = run("build", str(news), "--index", str(tmp_path / "ix"), "--no-nli")
    assert result.exit_code == 0 and "1 document gave no claim" in result.stderr and "zh.txt" in result.stderr


def test_remove_takes_a_folder(tmp_path: Path) -> None:
    news, index = _built_news_with_a_nested_folder(tmp_path, "a.txt")
    assert run_json("remove", str(news / "nested"), "--index", index)["removed"] == 1
    assert run_json("info", "--index", index)["documents"] == 1


def test_markup_in_article_text_and_source_names_is_shown_verbatim(tmp_path: Path) -> None:
    # QA pass: "[/]" in a claim or a source crashed info, contradictions, --uncorroborated, query
    # and claims with a rich MarkupError, and "[link=...]" made a live terminal link.
    feed = tmp_path / "r.jsonl"
    feed.write_text(
        json.dumps({"text": "The factory produced 500 cars in May [/], the company said.", "source": "Quiet [/] Outlet",
                    "date": "2024-01-09"}) + "\n"
        + json.dumps({"text": "The factory produced 800 cars in May, the company said.", "source": "Other [b]x",
                      "date": "2024-01-03"}) + "\n")
    index = str(tmp_path / "ix")
    assert run("build", str(feed), "--index", index, "--no-nli").exit_code == 0
    for args in (("info",), ("contradictions", "--min-score", "0"), ("corroborations", "--uncorroborated"),
                 ("relations",), ("query", "The factory produced 500 cars in May")):
        result = run(*args, "--index", index)
        assert result.exit_code == 0, (args, result.output)
        assert "Quiet [/] Outlet" in result.stdout or "Other [b]x" in result.stdout, args
    claims = run("claims", str(feed))
    assert claims.exit_code == 0 and "[/]" in claims.stdout


def _articles(folder: Path, articles: dict[str, str]) -> Path:
    """`folder` holding one file per article, by file name."""
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text + "\n")
    return folder


def _built(tmp_path: Path, articles: dict[str, str]) -> str:
    """An index (no NLI) built from one-line articles written to `tmp_path/in`, by file name."""
    news = _articles(tmp_path / "in", articles)
    index = str(tmp_path / "ix")
    assert run("build", str(news), "--index", index, "--no-nli").exit_code == 0
    return index


def test_every_listing_cut_by_limit_says_there_is_more(tmp_path: Path) -> None:
    index = _built(tmp_path, {
        "alpha.txt": "The bridge cost 40 million dollars. The flood killed 12 people in Marlow on Monday.",
        "beta.txt": "The bridge cost 48 million dollars. The flood killed 19 people in Marlow on Monday.",
        "gamma.txt": "The new bridge cost 40 million dollars in all. On Monday the flood killed 12 people in Marlow."})
    for args, key in ((("contradictions", "--min-score", "0"), "pairs"), (("corroborations", "--min-score", "0"), "groups"),
                      (("relations",), "pairs")):
        whole = run_json(*args, "--index", index)
        assert whole["more"] is False and len(whole[key]) >= 2, (args, whole)
        cut = run(*args, "--limit", "1", "--json", "--index", index)
        assert json.loads(cut.stdout)[key] == whole[key][:1] and json.loads(cut.stdout)["more"] is True
        assert cut.stderr.startswith("Showing the first 1 ")
    page = run("report", "--html", str(tmp_path / "r.html"), "--limit", "1", "--json", "--index", index)
    assert json.loads(page.stdout)["more"] is True and "Showing the first 1 of each list" in page.stderr


def test_uncorroborated_claims_keep_to_the_chosen_source(tmp_path: Path) -> None:
    index = _built(tmp_path, {"alpha.txt": "The bridge cost 40 million dollars, the council said.",
                              "beta.txt": "The mayor resigned on Friday after 12 years in office, aides said."})
    listed = run_json("corroborations", "--uncorroborated", "--source", "alpha", "--index", index)["claims"]
    assert listed and {c["source"] for c in listed} == {"alpha"}
    unknown = run("corroborations", "--uncorroborated", "--source", "NoSuchOutlet", "--index", index)
    assert unknown.exit_code == 1 and "NoSuchOutlet" in unknown.stderr


def test_removing_one_of_two_outlets_that_carry_one_text_keeps_it_under_the_other(tmp_path: Path) -> None:
    # QA pass: the second outlet was missing from `info`, could not be removed, and removing the
    # first removed the article both carry; a typo among several keys removed the others.
    tunnel = "The tunnel will cost 2 billion euros, the minister said."
    index = _built(tmp_path, {"reuters.txt": tunnel, "afp.txt": tunnel,
                              "beta.txt": "The mayor resigned on Friday after 12 years in office, aides said."})
    assert run_json("info", "--index", index)["sources"] == ["afp", "beta", "reuters"]
    typo = run("remove", "afp", "Beta", "--index", index)
    assert typo.exit_code == 1 and "matches Beta; nothing was removed" in typo.stderr
    assert run_json("info", "--index", index)["documents"] == 2
    removed = run_json("remove", "afp", "--index", index)
    assert (removed["removed"], removed["locations_forgotten"]) == (0, 1)
    assert run_json("info", "--index", index)["sources"] == ["beta", "reuters"]
    assert run_json("remove", "reuters", "--index", index)["removed"] == 1
    assert run_json("info", "--index", index)["sources"] == ["beta"]


def test_a_date_window_says_how_many_undated_pairs_it_left_out(tmp_path: Path) -> None:
    index = _built(tmp_path, {"a.txt": "The factory produced 500 cars in May, the company said.",
                              "b.txt": "The factory produced 800 cars in May, the company said."})
    assert len(run_json("contradictions", "--min-score", "0", "--index", index)["pairs"]) == 1
    windowed = run_json("contradictions", "--min-score", "0", "--since", "2020-01-01", "--index", index)
    assert (windowed["pairs"], windowed["undated_left_out"]) == ([], 1)
    shown = run("contradictions", "--min-score", "0", "--since", "2020-01-01", "--index", index)
    assert "1 pair of undated statements left out by --since/--until" in shown.stderr


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan"])
def test_a_score_floor_outside_0_to_1_is_a_usage_error(value: str, seeds_index: Path) -> None:
    result = run("contradictions", "--min-score", value, "--index", str(seeds_index))
    assert result.exit_code == 2 and "--min-score" in result.output


def test_a_small_k_still_shows_the_evidence_the_verdict_rests_on(tmp_path: Path) -> None:
    # QA pass: with -k 1 the rationale said "refutation from beta" but beta's row was not shown.
    index = _built(tmp_path, {"alpha.txt": "The port of Selby handled 2.4 million containers last year.",
                              "beta.txt": "The port of Selby handled 3.1 million containers last year."})
    verdict = run_json("query", "The port of Selby handled 2.4 million containers last year", "-k", "1",
                       "--index", index)
    assert verdict["verdict"] == "CONFLICTING"
    assert {e["source"] for e in verdict["evidence"]} == {"alpha", "beta"}


def test_query_json_says_which_rows_the_verdict_counted_once(tmp_path: Path) -> None:
    # QA pass: the table marked a wire copy "counted once" but --json did not say so.
    text = "The port of Selby handled 2.4 million containers last year, the port authority said."
    index = _built(tmp_path, {"alpha.txt": f"{text} Dock workers walked out on Monday.",
                              "beta.txt": f"{text} A new crane arrived in March."})
    evidence = run_json("query", "The port of Selby handled 2.4 million containers last year",
                        "--index", index)["evidence"]
    first, copy = (e for e in evidence if e["sentence"] == text)
    assert first["counted_once_with"] is None and copy["counted_once_with"] == first["claim_id"]
    assert all("leans" in e for e in evidence)


def test_json_statements_carry_the_document_id_that_remove_takes(tmp_path: Path) -> None:
    # QA pass: remove takes document ids, but no command printed one.
    index = _built(tmp_path, {"alpha.txt": "The port of Selby handled 2.4 million containers last year.",
                              "beta.txt": "The mayor resigned on Friday after 12 years in office, aides said."})
    top = run_json("query", "The port of Selby handled 2.4 million containers", "--index", index)["evidence"][0]
    assert top["source"] == "alpha"
    assert run_json("remove", top["document_id"], "--index", index)["removed"] == 1
    assert run_json("info", "--index", index)["sources"] == ["beta"]


def test_build_source_names_the_outlet_of_plain_text_articles(tmp_path: Path) -> None:
    # QA pass: two .txt articles of one outlet were two sources (their file names), so a claim
    # both carry counted as corroborated by two independent outlets; piped articles were all "stdin".
    news = _articles(tmp_path / "marlow", {
        "day1.txt": "Strike\n\nAbout 1,200 dockworkers walked out at the Port of Selby on Monday.",
        "day2.txt": "Strike ends\n\nThe dockworkers returned on Friday after a five-day strike."})
    index = str(tmp_path / "ix")
    assert run_json("build", str(news), "--source", "Marlow Post", "--index", index, "--no-nli")["documents_added"] == 2
    assert run_json("info", "--index", index)["sources"] == ["Marlow Post"]
    piped = run("build", "-", "--source", "Harbor Herald", "--index", index, "--no-nli",
                input="Budget\n\nThe council approved a budget of 52 million dollars on Tuesday.\n")
    assert piped.exit_code == 0, piped.output
    assert run_json("info", "--index", index)["sources"] == ["Harbor Herald", "Marlow Post"]
    # Read again without --source, a file is read again and named by its file name.
    again = run_json("build", str(news), "--index", index, "--no-nli")
    assert (again["documents_added"], again["documents_unchanged"]) == (0, 2)
    assert run_json("info", "--index", index)["sources"] == ["Harbor Herald", "day1", "day2"]


@pytest.mark.parametrize(("code", "advice"), [(errno.EROFS, "choose a writable --index"),
                                              (errno.ENOSPC, "free some space or choose another --index")])
def test_a_write_failure_gives_advice_that_fits_it(code: int, advice: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # QA pass: a read-only index folder was told to "free some space".
    import claimcheck.build

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(tmp_path / "ix"))
    monkeypatch.setattr(claimcheck.build, "build", fail)
    result = run("build", str(SEEDS), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f"the index holds its last complete build; {advice}")


def test_a_claim_longer_than_the_models_read_is_an_error(seeds_index: Path) -> None:
    # QA pass: a 5,000-word "claim" was accepted silently (the models read its first words only).
    long = " ".join(["The council approved the budget."] * 40)
    result = run("query", long, "--index", str(seeds_index))
    assert result.exit_code == 1 and result.stderr.startswith("Error: the claim is 200 words long; give one statement")
    result = run("query", "--file", "-", "--jsonl", "--index", str(seeds_index), input=f"Assad praised Russia\n{long}\n")
    assert result.exit_code == 1 and result.stderr.startswith("Error: stdin:2: the claim is 200 words long")


def test_a_folder_that_is_no_index_says_what_it_is(tmp_path: Path, seeds_index: Path) -> None:
    # QA pass: a folder of articles given as --index got "build one with --index DIR", which build
    # then refuses; an index whose CURRENT was deleted was "no index" though its version was there.
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("The council approved 12 new bus routes.\n")
    result = run("info", "--index", str(articles))
    assert result.exit_code == 1 and "is not a claimcheck index but holds other files (a.txt, ...)" in result.stderr
    lost = tmp_path / "lost"
    shutil.copytree(seeds_index, lost)
    (lost / "CURRENT").unlink()
    result = run("query", "Assad praised Russia", "--index", str(lost))
    assert result.exit_code == 1 and "holds index versions (v-" in result.stderr and "no CURRENT pointer" in result.stderr


def test_a_claim_that_names_another_speaker_says_so(tmp_path: Path) -> None:
    # QA pass: "Mayor Alice Grant said ..." was SUPPORTED by a statement Helen Ortiz made, with
    # nothing to say the attribution was not borne out.
    index = _built(tmp_path, {"alpha.txt": "Construction of the Kessler Bridge will begin in June, Mayor Helen Ortiz said."})
    said = "construction of the Kessler Bridge will begin in June"
    other = run_json("query", f"Mayor Alice Grant said {said}", "--index", index)
    assert other["evidence"][0]["speaker"] == "Helen Ortiz"
    assert other["rationale"].endswith("; the claim has Mayor Alice Grant say it, but the evidence quotes Helen Ortiz")
    assert "the claim has" not in run_json("query", f"Helen Ortiz said {said}", "--index", index)["rationale"]
    assert "the claim has" not in run_json("query", f"Officials said {said}", "--index", index)["rationale"]
    # Named last, as news writes it, the speaker is read the same way (it was part of the claim)
    for last in ("Construction of the Kessler Bridge will begin in June, Mayor Alice Grant said.",
                 "Construction of the Kessler Bridge will begin in June, said Mayor Alice Grant"):
        verdict = run_json("query", last, "--index", index)
        assert verdict["evidence"][0]["relation"] == "supports"
        assert verdict["rationale"].endswith("; the claim has Mayor Alice Grant say it, but the evidence quotes Helen Ortiz")


@pytest.mark.parametrize(("claim", "speaker", "statement"), [
    ("Heavy rain flooded 200 homes in Marlow, Mayor Bob Smith said.", "Mayor Bob Smith", "Heavy rain flooded 200 homes in Marlow."),
    ("Heavy rain flooded 200 homes in Marlow, said Mayor Bob Smith.", "Mayor Bob Smith", "Heavy rain flooded 200 homes in Marlow."),
    ("Heavy rain flooded 200 homes in Marlow, she said.", None, "Heavy rain flooded 200 homes in Marlow."),
    ("Is it true that Mayor Bob Smith said that 200 homes were flooded?", "Mayor Bob Smith", "200 homes were flooded"),
    ("Prices rose, Reuters reported.", None, "Prices rose, Reuters reported."),  # too little left to check
    ("The war is over, Assad told reporters in Damascus.", None, "The war is over, Assad told reporters in Damascus."),
    # lists, not speakers (review)
    ("The tariff covers steel from Canada, Mexico, EU states.", None, "The tariff covers steel from Canada, Mexico, EU states."),
    ("Fraud rose in three areas: credit cards, bank transfers, Medicare claims.", None,
     "Fraud rose in three areas: credit cards, bank transfers, Medicare claims."),
])
def test_a_queried_claims_attribution_is_read_first_or_last(claim: str, speaker: str | None, statement: str) -> None:
    from claimcheck.query import attribution

    assert attribution(claim) == (speaker, statement)


def test_a_speaker_named_by_one_part_of_the_name_is_the_same_speaker(seeds_index: Path) -> None:
    # "Assad" is "Bashar al-Assad": the note that the evidence quotes someone else was given.
    verdict = run_json("query", "Assad said the war in Syria has already been won", "--index", str(seeds_index))
    assert verdict["verdict"] in ("REFUTED", "CONFLICTING")
    assert any("not yet been won" in e["text"] for e in verdict["evidence"])
    assert "the claim has" not in verdict["rationale"]


def test_a_build_that_reads_nothing_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    # QA pass: a build that exits 1 with "no document could be read" still wrote a new version.
    index = _built(tmp_path, {"alpha.txt": "The port of Selby handled 2.4 million containers last year."})
    before = (Path(index) / "CURRENT").read_text(), run_json("info", "--index", index)["built_at"]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    result = run("build", str(bad), "--index", index, "--no-nli")
    assert result.exit_code == 1 and "Error: no document could be read" in result.stderr
    assert ((Path(index) / "CURRENT").read_text(), run_json("info", "--index", index)["built_at"]) == before
    assert sorted(p.name for p in Path(index).iterdir()) == ["CURRENT", before[0].strip()]


def test_a_store_that_cannot_be_written_is_no_damaged_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Review: "database or disk is full" was told to remove and rebuild an intact index.
    import sqlite3

    import claimcheck.build

    def fail(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(claimcheck.build, "build", fail)
    result = run("build", str(SEEDS), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert "could not be used (database or disk is full)" in result.stderr and "removing" not in result.stderr


def test_query_flag_defaults_are_the_library_defaults() -> None:
    """`claimcheck query` and `claimcheck.query` answer alike when no option is given."""
    import typer.main

    from claimcheck.query import QueryOptions

    command = typer.main.get_command(app).commands["query"]  # type: ignore[attr-defined]
    defaults = {p.name: p.default for p in command.params}
    library = QueryOptions()
    assert (defaults["top_k"], defaults["min_similarity"], defaults["rerank"]) == \
        (library.top_k, library.min_similarity, library.nli_reads)


def test_an_interrupted_query_says_nothing_of_builds(seeds_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C in a batch query said "nothing of this run was kept", though every verdict printed
    # before it stands; a build keeps that message.
    import claimcheck.query

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr(claimcheck.query, "query", interrupt)
    result = run("query", "Assad praised Russia", "--index", str(seeds_index))
    assert result.exit_code == 130
    assert result.stderr.strip() == "Error: interrupted (what was printed before is complete; the index is unchanged)"
    import claimcheck.build

    monkeypatch.setattr(claimcheck.build, "build", interrupt)
    result = run("build", str(SEEDS), "--index", str(seeds_index.parent / "other"))
    assert result.exit_code == 130 and "the index holds its last complete build" in result.stderr
