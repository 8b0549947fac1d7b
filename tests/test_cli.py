"""End-to-end tests through the CLI on the seed articles, with the real packaged models."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from conftest import SEEDS

runner = CliRunner()

SEED_A = SEEDS / "000_71aa0cbbda9650db.txt"
SEED_B = SEEDS / "004_1b2de568631d7ccf.txt"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = run(*args, "--json")
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
