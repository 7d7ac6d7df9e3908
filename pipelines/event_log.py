"""The Dagster instance's SQLite event log: commits without a disk flush each (PRAGMA synchronous=NORMAL).

Dagster's default instance keeps its event log in SQLite files under $DAGSTER_HOME (storage/index.db and one
<run_id>.db per run), in WAL mode, and opens a new connection per event (SQLAlchemy NullPool). A backfill of a year
as one run writes one ASSET_MATERIALIZATION_PLANNED event before the run and one ASSET_MATERIALIZATION after each
raw step per news day per asset (about 1,100 of each for the four raw assets over 365 days); SQLite's default
synchronous=FULL flushes the disk at every commit, several per event. With WAL, synchronous=NORMAL is SQLite's
documented safe pairing: a process crash loses nothing and never corrupts the file; only a power cut / OS crash
can lose the last commits (the database stays consistent). Every event is still stored, one per partition, so the
UI's per-day materialisation status is unchanged. docs/performance.md "Dagster bookkeeping" has the numbers.

Only SQLite connections (Python's sqlite3 driver) are touched; the deployment's PostgreSQL instance is not.
Installed once per process when the Definitions load (pipelines/definitions.py): the CLI run, `dg dev`'s code
server and run workers all load them.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

SYNCHRONOUS = "NORMAL"


def _on_connect(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS}")


def use_normal_sqlite_sync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on (the Dagster instance's event log,
    run and schedule storage) commits with synchronous=NORMAL. Idempotent."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
