"""A read-only copy of the warehouse for analysts, replaced atomically at the end of each run.

Readers open `warehouse/published/news.duckdb` (read-only); they never see a half-written state and never
hold the writer's lock. The copy gets the permissions of any new file (0666 less the umask: 0644 under the usual
umask 022), so other accounts on the machine can read it as they could read the warehouse. Pure Python.
"""
from __future__ import annotations

import os
import secrets
import shutil
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
    # created like an ordinary file (mode 0666 less the umask), not mkstemp's 0600; O_EXCL: never someone else's
    tmp = str(target.parent / f".news-{os.getpid()}-{secrets.token_hex(6)}.duckdb.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        shutil.copyfile(warehouse, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
