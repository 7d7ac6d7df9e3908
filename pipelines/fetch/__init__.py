"""The fetch stage: find article URLs (`discover`) and fetch them politely (`fetch_all`).

Synchronous functions around asyncio (the Dagster assets call them as plain functions); each call
runs one event loop with one shared HTTP client, host gates and robots cache. Every failure ends as
a `FetchResult` outcome (vocabulary: `types.FETCH_OUTCOMES`); these functions do not raise for
network or content problems. Rules and the fault -> outcome table: docs/crawler.md.

The network side (`discover`, `fetch_all` in `session.py`: httpx, and the pydantic sources schema they take;
`RobotsCache`) is imported on first use, so a process that needs only the result types or the URL rules -- a
parse worker of pipelines.parallel -- does not pay for it (tests/test_core_imports.py).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pipelines.fetch.types import FETCH_OUTCOMES, Discovered, FetchResult
from pipelines.fetch.urls import canonicalize_url, clean_url

if TYPE_CHECKING:
    from pipelines.fetch.robots import RobotsCache
    from pipelines.fetch.session import discover, fetch_all

__all__ = [
    "FETCH_OUTCOMES", "Discovered", "FetchResult", "RobotsCache", "canonicalize_url", "clean_url",
    "discover", "fetch_all",
]
_ON_FIRST_USE = {"discover": "pipelines.fetch.session", "fetch_all": "pipelines.fetch.session",
                 "RobotsCache": "pipelines.fetch.robots"}


def __getattr__(name: str) -> Any:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
