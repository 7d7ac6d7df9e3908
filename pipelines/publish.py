"""A read-only copy of the warehouse for analysts, replaced atomically at the end of each run.

Readers open `warehouse/published/news.duckdb` (read-only); they never see a half-written state and never
hold the writer's lock. Pure Python.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb


def published_path(warehouse: Path) -> Path:
    return warehouse.parent / "published" / warehouse.name


def publish_snapshot(warehouse: Path) -> Path:
    """Checkpoint the warehouse, copy it beside the published file, then rename over it (atomic on POSIX)."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    target = published_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".news-", suffix=".duckdb.tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(warehouse, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
