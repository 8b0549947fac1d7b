"""claimcheck: offline fact-claim verification over a folder of news articles.

The public API mirrors the command line (`claimcheck query` is `claimcheck.query`). Names are
imported lazily so that `import claimcheck` and `claimcheck --help` stay fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "build": "claimcheck.build", "remove": "claimcheck.build",
    "query": "claimcheck.query", "query_many": "claimcheck.query", "QueryOptions": "claimcheck.query",
    "compare": "claimcheck.api", "compare_many": "claimcheck.api", "claims": "claimcheck.api",
    "contradictions": "claimcheck.api", "corroborations": "claimcheck.api",
    "uncorroborated": "claimcheck.api", "info": "claimcheck.api",
    "Settings": "claimcheck.settings", "Resources": "claimcheck.settings",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")
