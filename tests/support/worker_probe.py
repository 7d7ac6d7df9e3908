"""Run inside a spawned pool worker: import what a parse/extract worker imports, say which Dagster modules came along."""
from __future__ import annotations

import sys


def dagster_modules_after_worker_imports(chunk: list[str]) -> list[str]:
    import importlib

    for name in chunk:
        importlib.import_module(name)
    return sorted(m for m in sys.modules if m == "dagster" or m.startswith(("dagster.", "dagster_")))
