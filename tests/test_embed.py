"""The ONNX query-path embedder gives the sentence-transformers vectors, without importing torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from claimcheck.embed import (
    DIMENSION,
    EMBEDDER_ID,
    MANIFEST_NAME,
    MODEL_DATA_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    embedder_for,
    ensure_onnx_embedder,
)
from claimcheck.errors import IndexCorrupt, ModelMismatch, ModelMissing

REPO = Path(__file__).resolve().parents[1]

SENTENCES = [
    "Inflation rose.",
    "Paris",
    "",
    "The unemployment rate fell to 3.5% in March, the lowest level since 1969.",
    '"We will not negotiate with armed groups," the foreign minister told reporters on Tuesday.',
    "Damascus refuses to negotiate with armed opposition groups.",
    "At least 42 people were killed and 130 injured when the 7.8-magnitude quake struck at 04:17.",
    "The company reported revenue of $4.2 billion for Q3 2023, up 12% year on year.",
    "According to NASA, 2023 was the warmest year on record, about 1.2 °C above the 1850-1900 mean.",
    "Officials said the bridge, built in 1932, would reopen on 14 July after $18m of repairs.",
    "The vaccine was 95 per cent effective in preventing symptomatic COVID-19, Pfizer said.",
    "Sea levels have risen by roughly 21-24 centimetres since 1880.",
    "He did not say whether the talks would resume.",
    "Prime Minister Rishi Sunak announced a general election for 4 July 2024.",
    "The central bank kept its benchmark rate unchanged at 5.25%–5.5% for a fourth meeting.",
    "Arctic sea ice extent in September averaged 4.37 million square kilometres.",
    "«Nous ne céderons pas», a déclaré le président lors d'une conférence de presse à Lyon.",
    "Der Bundestag stimmte mit 395 zu 271 Stimmen für das Gesetz.",
    "WHO: 'No evidence' the virus spreads through food packaging (statement, 12 Feb.)",
    # Longer than 256 tokens, so truncation has to agree with sentence-transformers'.
    " ".join(
        f"In paragraph {i} the report says that emissions from the {i}th largest plant rose "
        f"by {i * 3}.{i} percent between 2015 and 2022, which the regulator disputes."
        for i in range(1, 16)
    ),
]


@pytest.fixture(scope="session")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fp32 export per test session, into a temporary directory."""
    return ensure_onnx_embedder(tmp_path_factory.mktemp("models") / "minilm-l6-v2")


@pytest.fixture(scope="session")
def onnx_embedder(onnx_dir: Path) -> OnnxEmbedder:
    return OnnxEmbedder(onnx_dir)


@pytest.fixture(scope="session")
def reference() -> np.ndarray:
    """The sentence-transformers vectors of SENTENCES: what indexes are built with."""
    return SentenceTransformerEmbedder().embed(SENTENCES)


def test_onnx_matches_sentence_transformers(onnx_embedder: OnnxEmbedder, reference: np.ndarray):
    vectors = onnx_embedder.embed(SENTENCES)
    cosine = np.sum(vectors * reference, axis=1)
    assert cosine.min() >= 0.999, dict(zip(SENTENCES, cosine.round(5)))


def test_vectors_are_unit_float32(onnx_embedder: OnnxEmbedder):
    vectors = onnx_embedder.embed(SENTENCES)
    assert vectors.shape == (len(SENTENCES), DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_order_preserved_across_length_sorted_batches(onnx_dir: Path):
    # Small batches over shuffled texts: every batch boundary and the sort are exercised.
    texts = [SENTENCES[i] for i in np.random.default_rng(7).permutation(len(SENTENCES))]
    texts += texts[:3]  # duplicates must land in both places
    batched = OnnxEmbedder(onnx_dir, batch_size=3).embed(texts)
    one_by_one = OnnxEmbedder(onnx_dir, batch_size=1).embed(texts)  # no padding at all
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


def test_empty_input(onnx_embedder: OnnxEmbedder):
    assert onnx_embedder.embed([]).shape == (0, DIMENSION)


def test_export_is_self_describing(onnx_dir: Path, onnx_embedder: OnnxEmbedder):
    manifest = json.loads((onnx_dir / MANIFEST_NAME).read_text())
    assert manifest["model_id"] == EMBEDDER_ID == onnx_embedder.model_id
    assert (manifest["dimension"], manifest["max_length"], manifest["pooling"]) == (
        DIMENSION,
        256,
        "mean",
    )
    assert (onnx_dir / TOKENIZER_FILE).is_file()
    OnnxEmbedder(onnx_dir, verify=True)  # the recorded sha256 is the file's


def test_ensure_reuses_a_current_export(onnx_dir: Path, monkeypatch: pytest.MonkeyPatch):
    before = (onnx_dir / MODEL_FILE).stat().st_mtime_ns

    from claimcheck.hashing import sha256_file

    def no_hashing(path: Path) -> str:
        if Path(path).name == TOKENIZER_FILE:  # 0.5 MB, checked every time
            return sha256_file(path)
        raise AssertionError(f"hashed {path}: the stat fingerprint should have sufficed")

    monkeypatch.setattr("claimcheck.embed.sha256_file", no_hashing)
    # cheap enough for a query to call, and silent: nothing slow is announced
    assert ensure_onnx_embedder(onnx_dir, notice=lambda m: pytest.fail(f"announced {m!r}")) == onnx_dir
    assert (onnx_dir / MODEL_FILE).stat().st_mtime_ns == before


def test_embedder_for_picks_onnx(onnx_dir: Path):
    assert isinstance(embedder_for(onnx_dir), OnnxEmbedder)


def _linked_copy(onnx_dir: Path, dest: Path, **changes: object) -> Path:
    # Hard links, not symbolic ones: onnxruntime refuses a weights file that resolves outside
    # the graph file's real directory.
    dest.mkdir()
    for name in (MODEL_FILE, MODEL_DATA_FILE, TOKENIZER_FILE):
        try:
            os.link(onnx_dir / name, dest / name)
        except OSError:  # another file system
            shutil.copyfile(onnx_dir / name, dest / name)
    manifest = json.loads((onnx_dir / MANIFEST_NAME).read_text()) | changes
    (dest / MANIFEST_NAME).write_text(json.dumps(manifest))
    return dest


def test_missing_export_is_refused(tmp_path: Path):
    with pytest.raises(ModelMissing, match="claimcheck build"):
        OnnxEmbedder(tmp_path / "nothing-here")


@pytest.mark.parametrize("lost", [MODEL_FILE, MODEL_DATA_FILE, TOKENIZER_FILE])
def test_export_missing_a_file_is_refused(onnx_dir: Path, tmp_path: Path, lost: str):
    export = _linked_copy(onnx_dir, tmp_path / "export")
    (export / lost).unlink()
    with pytest.raises(ModelMissing, match=lost):
        OnnxEmbedder(export)


@pytest.mark.parametrize(
    "changes",
    [
        {"model_id": "sentence-transformers/all-mpnet-base-v2"},
        {"dimension": 768},
        {"format_version": 99},
    ],
)
def test_mismatched_export_is_refused(onnx_dir: Path, tmp_path: Path, changes: dict):
    with pytest.raises(ModelMismatch):
        OnnxEmbedder(_linked_copy(onnx_dir, tmp_path / "export", **changes))


def test_unloadable_model_file_is_refused(onnx_dir: Path, tmp_path: Path):
    export = _linked_copy(onnx_dir, tmp_path / "export")
    (export / MODEL_FILE).unlink()
    (export / MODEL_FILE).write_bytes((onnx_dir / MODEL_FILE).read_bytes()[:4096])  # truncated
    with pytest.raises(IndexCorrupt, match="claimcheck build"):
        OnnxEmbedder(export)


def test_a_single_str_is_not_split_into_characters(onnx_embedder: OnnxEmbedder):
    with pytest.raises(TypeError):
        onnx_embedder.embed("Inflation rose.")


def test_checksum_mismatch_is_refused_when_verifying(onnx_dir: Path, tmp_path: Path):
    export = _linked_copy(onnx_dir, tmp_path / "export", sha256="0" * 64)
    OnnxEmbedder(export)  # the query path does not hash 90 MB
    with pytest.raises(ModelMismatch, match="checksum"):
        OnnxEmbedder(export, verify=True)


def test_onnx_path_does_not_import_torch(onnx_dir: Path):
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from claimcheck.embed import OnnxEmbedder\n"
        f"vectors = OnnxEmbedder(Path({str(onnx_dir)!r})).embed(['Inflation rose to 4%.'])\n"
        "assert vectors.shape == (1, 384), vectors.shape\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = os.environ | {"PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_int8_is_close_but_not_index_grade(onnx_dir: Path, tmp_path: Path, reference: np.ndarray):
    from claimcheck.onnx_export import quantize_embedder_onnx

    export = tmp_path / "export"
    export.mkdir()
    for name in (MODEL_FILE, MODEL_DATA_FILE, TOKENIZER_FILE, MANIFEST_NAME):
        (export / name).write_bytes((onnx_dir / name).read_bytes())
    quantize_embedder_onnx(export)
    int8 = OnnxEmbedder(export, int8=True)
    assert int8.model_id != EMBEDDER_ID  # never mistaken for the fp32 vectors of an index
    cosine = np.sum(int8.embed(SENTENCES) * reference, axis=1)
    assert cosine.mean() >= 0.97


def test_an_export_from_other_weights_is_not_current(onnx_dir: Path, tmp_path: Path):
    from claimcheck.embed import _is_current_export

    assert _is_current_export(onnx_dir)
    assert _is_current_export(_linked_copy(onnx_dir, tmp_path / "copied", stat=None))  # by hash
    assert not _is_current_export(
        _linked_copy(onnx_dir, tmp_path / "old", source_sha256="0" * 64, stat=None)
    )


@pytest.mark.slow
def test_ensure_replaces_a_stale_export(onnx_dir: Path, tmp_path: Path):
    stale = _linked_copy(onnx_dir, tmp_path / "minilm", source_sha256="0" * 64, stat=None)
    said: list[str] = []
    assert ensure_onnx_embedder(stale, notice=said.append) == stale
    # said before the seconds of silence, not after
    expected = (f"Exporting the embedder to ONNX in {stale} (replacing the out-of-date one there): "
                "once per machine, about 10 s")
    assert said == [expected]
    assert (stale / MODEL_FILE).stat().st_ino != (onnx_dir / MODEL_FILE).stat().st_ino  # a fresh export
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minilm"]  # nothing left aside
    assert OnnxEmbedder(stale).embed(["x"]).shape == (1, DIMENSION)


def test_an_export_with_weights_inside_the_graph_loads_but_is_stale(onnx_dir: Path, tmp_path: Path,
                                                                     reference: np.ndarray):
    """The layout before external weights: queries still read it; the next build re-exports."""
    import onnx

    from claimcheck.embed import _is_current_export

    copy = tmp_path / "copy"  # onnx will not read weights that other tests hard-linked
    copy.mkdir()
    for name in (MODEL_FILE, MODEL_DATA_FILE):
        shutil.copyfile(onnx_dir / name, copy / name)
    export = tmp_path / "inline"
    export.mkdir()
    shutil.copyfile(onnx_dir / TOKENIZER_FILE, export / TOKENIZER_FILE)
    onnx.save_model(onnx.load(str(copy / MODEL_FILE)), str(export / MODEL_FILE))  # weights inline
    manifest = json.loads((onnx_dir / MANIFEST_NAME).read_text())
    for key in ("data_file", "data_sha256", "stat"):
        manifest.pop(key)
    (export / MANIFEST_NAME).write_text(json.dumps(manifest))
    assert not (export / MODEL_DATA_FILE).exists()
    vectors = OnnxEmbedder(export).embed(SENTENCES)
    assert np.sum(vectors * reference, axis=1).min() >= 0.999
    assert not _is_current_export(export)


def test_a_damaged_export_is_an_error_that_names_it(onnx_dir: Path, tmp_path: Path):
    # QA pass: a cut tokenizer.json gave a traceback, an odd embedder.json an AttributeError, an
    # edited tokenizer other vectors without a word, and damaged weights NaN vectors used as is.
    from claimcheck.embed import _is_current_export, read_onnx_manifest

    cut = _linked_copy(onnx_dir, tmp_path / "cut")
    text = (cut / TOKENIZER_FILE).read_text()
    (cut / TOKENIZER_FILE).unlink()  # a hard link: replace the file, never write into it
    (cut / TOKENIZER_FILE).write_text(text[:200_000])
    with pytest.raises(ModelMismatch, match=f"{TOKENIZER_FILE} does not match its embedder.json checksum"):
        OnnxEmbedder(cut)
    unrecorded = _linked_copy(onnx_dir, tmp_path / "unrecorded", tokenizer_sha256=None)
    manifest = json.loads((unrecorded / MANIFEST_NAME).read_text())
    del manifest["tokenizer_sha256"]  # an export that did not record it
    (unrecorded / MANIFEST_NAME).write_text(json.dumps(manifest))
    (unrecorded / TOKENIZER_FILE).unlink()
    (unrecorded / TOKENIZER_FILE).write_text(text[:200_000])
    with pytest.raises(ModelMismatch, match=f"cannot read .*{TOKENIZER_FILE}.*claimcheck build"):
        OnnxEmbedder(unrecorded)
    assert not _is_current_export(cut)  # a build exports again

    edited = _linked_copy(onnx_dir, tmp_path / "edited")
    (edited / TOKENIZER_FILE).unlink()
    (edited / TOKENIZER_FILE).write_text(text.replace('"lowercase":true', '"lowercase":false', 1))
    assert not _is_current_export(edited)
    with pytest.raises(ModelMismatch, match="checksum"):
        OnnxEmbedder(edited)  # the query path too: 0.5 MB hashed in about a millisecond

    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / MANIFEST_NAME).write_text("[1, 2]")
    with pytest.raises(ModelMismatch, match="not an embedder manifest"):
        read_onnx_manifest(odd)

    nan = OnnxEmbedder(onnx_dir)
    nan._session = type("Broken", (), {"run": lambda self, out, feeds: [np.full((len(feeds["input_ids"]), DIMENSION), np.nan, np.float32)]})()
    with pytest.raises(ModelMismatch, match="non-finite vectors"):
        nan.embed(["Inflation rose to 4%."])


def test_a_model_cache_that_cannot_be_written_says_so(tmp_path: Path):
    (tmp_path / "afile").write_text("not a folder")
    with pytest.raises(ModelMissing, match="cannot write the model cache .*CLAIMCHECK_MODELS"):
        ensure_onnx_embedder(tmp_path / "afile" / "models" / "minilm-l6-v2")


def test_the_exported_weights_follow_the_umask(onnx_dir: Path):
    modes = {p.name: p.stat().st_mode & 0o777 for p in onnx_dir.iterdir()}
    assert len(set(modes.values())) == 1, modes  # the weights are not owner-only


def test_an_export_killed_outright_leaves_no_work_folder_behind(tmp_path: Path):
    # QA pass: a SIGTERM during the first export left `.minilm-l6-v2.PID.xxxx` for good.
    from claimcheck.onnx_export import _remove_abandoned

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    assert dead.wait() == 0  # its pid now names no process
    abandoned = tmp_path / f".minilm-l6-v2.{dead.pid}.0a1b2c3d"
    aside = tmp_path / f".minilm-l6-v2.old.{dead.pid}"
    running = tmp_path / ".minilm-l6-v2.1.0a1b2c3d"  # pid 1 is alive
    for folder in (abandoned, aside, running):
        folder.mkdir()
        (folder / MODEL_FILE).write_text("half")
    _remove_abandoned(tmp_path / "minilm-l6-v2")
    assert not abandoned.exists() and not aside.exists() and running.exists()


def test_a_query_says_why_its_first_run_pauses(onnx_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """With no export in the model cache, a query exports one first and says so on stderr before
    the pause (the export itself is stood in for by copying the session's one)."""
    from typer.testing import CliRunner

    from claimcheck.cli import app

    said: list[str] = []
    monkeypatch.setattr("claimcheck.cli._notice", said.append)
    monkeypatch.setattr("claimcheck.onnx_export.export_embedder_onnx",
                        lambda dest: shutil.copytree(onnx_dir, dest))
    cache = tmp_path / "models"
    monkeypatch.setenv("CLAIMCHECK_MODELS", str(cache))
    ix = tmp_path / "ix"
    result = CliRunner().invoke(app, ["build", str(SEEDS), "--index", str(ix), "--no-nli", "--json"])
    assert result.exit_code == 0, result.output
    assert said == [f"Exporting the embedder to ONNX in {cache / 'minilm-l6-v2'}: once per machine, about 10 s"]
    shutil.rmtree(cache)
    result = CliRunner().invoke(app, ["query", "Assad said the war has been won", "--index", str(ix),
                                      "--no-nli", "--json"])
    assert result.exit_code == 0, result.output
    assert len(said) == 2 and (cache / "minilm-l6-v2").is_dir()
    result = CliRunner().invoke(app, ["query", "Assad said the war has been won", "--index", str(ix),
                                      "--no-nli", "--json"])
    assert result.exit_code == 0 and len(said) == 2  # exported once: the next run says nothing
