"""Shared fixtures: the shared evaluation data (skipped when absent), the project's embedder
export, and a small seeds index to copy (for the crash, concurrency and integrity tests)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED_DATA = Path(os.environ.get("CLAIMCHECK_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The third-party data sets in ../shared/data; tests that need them skip without them."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA


@pytest.fixture(scope="module")
def shared_models() -> Iterator[None]:
    """Reuse the project's ONNX export (indexes/.models) instead of exporting per test module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLAIMCHECK_MODELS", os.environ.get("CLAIMCHECK_MODELS") or str(REPO / "indexes" / ".models"))
        yield


@pytest.fixture(scope="module")
def resources(shared_models: None) -> object:
    """Models without NLI, loaded once per module."""
    from claimcheck.settings import Resources, Settings

    return Resources(Settings(use_nli=False))


@pytest.fixture(scope="module")
def base_index(tmp_path_factory: pytest.TempPathFactory, resources: object) -> Path:
    """The seeds built once per module (no NLI); tests copy it with `index`."""
    from claimcheck.build import build
    from claimcheck.settings import Settings

    index = tmp_path_factory.mktemp("base") / "ix"
    build([SEEDS], Settings(index_dir=index, use_nli=False), resources=resources)  # type: ignore[arg-type]
    return index


@pytest.fixture
def index(tmp_path: Path, base_index: Path) -> Path:
    """A private copy of `base_index`."""
    copy = tmp_path / "ix"
    shutil.copytree(base_index, copy)
    return copy
