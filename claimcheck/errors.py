"""The one error hierarchy of claimcheck; the CLI prints these as `Error: ...` and exits 1."""

from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class: a problem the user can act on; the message says what to do next."""


class IndexNotFound(ClaimcheckError):
    """No index at the given directory."""


class IndexCorrupt(ClaimcheckError):
    """An index directory is incomplete, truncated or edited."""


class ModelMismatch(ClaimcheckError):
    """An index was built with a different embedder or format version."""


class ModelMissing(ClaimcheckError):
    """A packaged model file is not installed."""


class BadInput(ClaimcheckError):
    """An input file, line or argument cannot be used."""


class IndexLocked(ClaimcheckError):
    """Another build holds the index lock."""
