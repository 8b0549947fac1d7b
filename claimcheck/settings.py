"""Configuration (flag, then environment variable, then default) and the models it loads once.

`Settings` is the one object passed down from the CLI to the library. `Resources` loads each
model on first use and keeps it, so a batch command loads models once, and a command that never
needs a model never imports torch or spaCy.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_INDEX = Path("indexes/default")


def one_blas_thread() -> bool:
    """Ask OpenBLAS (numpy's and faiss's copies) for one thread, if no BLAS is loaded yet.

    Process-wide and only effective before numpy or faiss is imported, so the command-line
    entry point calls it first; a value the user set is kept. On 2 cores the build runs spaCy,
    the ONNX embedder and the relation model side by side, and every core is already busy: two
    OpenBLAS threads only add waiting. Measured on the 299-document build of
    `bench/bench_build_query.py`: 28.6 s with two threads, 25.4 s with one (CPU 52.6 s against
    46.1 s; spaCy's parser and entity recogniser and cross-matching all gained). Lowering the
    count later, through threadpoolctl, does not recover it.

    Returns:
        True when the setting was made here.
    """
    if "numpy" in sys.modules or "faiss" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return False
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    return True


def default_index_dir() -> Path:
    """`CLAIMCHECK_INDEX` when set, else indexes/default."""
    return Path(os.environ.get("CLAIMCHECK_INDEX") or DEFAULT_INDEX)


@dataclass(frozen=True)
class Settings:
    """Settings shared by the commands.

    Attributes:
        index_dir: The index directory read or written.
        model_cache: Where exported model files (the ONNX embedder) are kept: flag, else
            `CLAIMCHECK_MODELS`, else `~/.cache/claimcheck/models` — one export per machine,
            shared by every index (each manifest records the export's checksum).
        use_nli: Use the trained NLI model when installed (False: signals and similarity only).
    """

    index_dir: Path = field(default_factory=default_index_dir)
    model_cache: Path | None = None
    use_nli: bool = True

    @property
    def models_dir(self) -> Path:
        if self.model_cache is not None:
            return self.model_cache
        env = os.environ.get("CLAIMCHECK_MODELS")
        if env:
            return Path(env)
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(cache) / "claimcheck" / "models"


class Loading:
    """A model loading on a background thread; `result()` waits for it (and re-raises its error).

    The thread is not a daemon: a process that stops early waits for the load to finish rather
    than tearing down onnxruntime under a thread still inside it.
    """

    def __init__(self, load: Callable[[], Any], name: str) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(load,), name=f"load-{name}")
        self._thread.start()

    def _run(self, load: Callable[[], Any]) -> None:
        try:
            self._value = load()
        except BaseException as exc:  # handed to the thread that asks for the model
            self._error = exc

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


class Resources:
    """Models loaded lazily, once per process."""

    def __init__(self, settings: Settings, check_models: bool = False,
                 notice: Callable[[str], None] | None = None) -> None:
        """Args:
            settings: where the index and the model cache are.
            check_models: re-export a stale embedder export (a build), rather than load it as is.
            notice: told of slow one-time work before it starts (exporting the embedder).
        """
        self.settings = settings
        self.check_models = check_models
        self.notice = notice
        self._embedder: Any = None
        self._engine: Any = None
        self._extractor: Any = None
        self._loading: dict[str, Loading] = {}

    def preload(self, embedder: bool = True, nli: bool = True) -> None:
        """Start loading the ONNX models on background threads, to overlap whatever the caller
        does next (imports, opening the index).

        Creating an onnxruntime session releases the GIL, so on the query path the two models
        (about 0.25 s of a cold query) load while the index is read. A missing or stale
        embedder export is left to the first use, on the caller's thread, where exporting it
        (which imports torch) reports progress and errors in order.
        """
        if embedder and self._embedder is None and "embedder" not in self._loading and not self.check_models:
            models_dir = self.settings.models_dir
            if _exported(models_dir):
                self._loading["embedder"] = Loading(lambda: load_embedder(models_dir, prepack=False), "embedder")
        if nli and self.settings.use_nli and self._engine is None and "nli" not in self._loading:
            self._loading["nli"] = Loading(_load_nli, "nli")

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            loading = self._loading.pop("embedder", None)
            self._embedder = (loading.result() if loading is not None
                              else load_embedder(self.settings.models_dir, check=self.check_models,
                                                 notice=self.notice))
        return self._embedder

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from claimcheck.relate import RelationEngine

            loading = self._loading.pop("nli", None)
            nli = loading.result() if loading is not None else None
            self._engine = RelationEngine(nli=nli, embedder=self.embedder, use_nli=self.settings.use_nli)
        return self._engine

    @property
    def extractor(self) -> Any:
        if self._extractor is None:
            from claimcheck.extract import Extractor

            self._extractor = Extractor()
        return self._extractor


EMBEDDER_DIR = "minilm-l6-v2"


def _load_nli() -> Any:
    from claimcheck.relate import load_default_nli

    return load_default_nli()


def load_embedder(models_dir: Path, check: bool = False, prepack: bool = True,
                  notice: Callable[[str], None] | None = None) -> Any:
    """The ONNX export of the packaged embedder (exported into `models_dir` once, on first use).

    Build and query both embed through the same ONNX file, so their vectors are identical;
    only the one-time export imports torch. A build passes `check=True` to re-export a stale
    export (new weights installed); a query loads an existing export as it is, which keeps the
    freshness check's file hashing off the query path.
    """
    from claimcheck import embed

    export = models_dir / EMBEDDER_DIR
    if check or not _exported(models_dir):
        embed.ensure_onnx_embedder(export, notice)
    return embed.OnnxEmbedder(export, prepack=prepack)  # off for the few sentences of a query


def _exported(models_dir: Path) -> bool:
    """Whether `models_dir` holds an embedder export (current or not: `ensure_onnx_embedder` judges)."""
    from claimcheck.embed import MANIFEST_NAME

    return (models_dir / EMBEDDER_DIR / MANIFEST_NAME).exists()
