"""The Dagster instance's SQLite event log: commits without a disk flush each, through one open connection per file.

Dagster's default instance keeps its event log in SQLite files under $DAGSTER_HOME (history/runs/index.db and one
<run_id>.db per run), in WAL mode. A backfill of a year as one run writes one ASSET_MATERIALIZATION_PLANNED event
before the run and one ASSET_MATERIALIZATION after each raw step per news day per asset (about 1,100 of each for
the raw assets over 365 days), each a run-shard and an index.db transaction. Two changes, both installed once per
process when the Definitions load (pipelines/definitions.py: the CLI run, `dg dev`'s code server and run workers
all load them); docs/performance.md "Dagster bookkeeping" has the numbers:

1. `use_normal_sqlite_sync`: every SQLite connection SQLAlchemy opens commits with PRAGMA synchronous=NORMAL.
   With WAL this is SQLite's documented safe pairing: a process crash loses nothing and never corrupts the file;
   only a power cut / OS crash can lose the last commits (the database stays consistent).

2. `use_pooled_event_log_connections`: Dagster's SqliteEventLogStorage opens a new engine and connection per
   statement (NullPool) and closes it. Closing the last connection of a WAL database checkpoints the WAL into the
   file and deletes it (disk flushes); the next first commit starts a new WAL; a new engine compiles every
   statement again (SQLAlchemy's statement cache is per engine); and Dagster asks `has_table` of index.db on every
   asset event (another engine). Here each shard file keeps one engine with one open connection (the last
   OPEN_RUN_SHARDS run shards and index.db per storage), and a "yes" of has_table is remembered (migrations only
   add tables). Same files, tables and rows: every event is still stored, one per partition, so the UI's
   per-day status is unchanged.

   Several processes (webserver, daemon, code server, run workers) stay correct: a pooled connection is idle
   between uses with no transaction open (returned connections are rolled back), so it holds no lock and every
   read sees the other processes' last commits; WAL lets readers and one writer overlap as before. Use within one
   process stays serialised by the storage's own lock. Engines are rebuilt after a fork and disposed with the
   storage and before `wipe`/`upgrade` touch the files. Commits now land in <run_id>.db-wal until a checkpoint
   (SQLite's auto-checkpoint, ~1,000 pages, or the last close), not in <run_id>.db, which Dagster's live run-log
   watcher (the webserver's log view, another process) waits on; so after storing an event the run shard's
   modification time is set (os.utime: no data written, no flush), which wakes that watcher as before.

Only SQLite is touched; the deployment's PostgreSQL instance (deploy/dagster.yaml) is not.
"""
from __future__ import annotations

import os
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, QueuePool

SYNCHRONOUS = "NORMAL"
# run shards whose engines stay open per storage besides index.db: a run worker writes one; the webserver and the
# daemon read many runs' shards over their life, and every open engine holds a file descriptor
OPEN_RUN_SHARDS = 8


def _on_connect(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS}")


def use_normal_sqlite_sync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on (the Dagster instance's event log,
    run and schedule storage) commits with synchronous=NORMAL. Idempotent."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


class _ShardEngines:
    """The open engines of one storage object's shard files, most recently used run shard last."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.engines: OrderedDict[str, Engine] = OrderedDict()
        self.tables_present: set[str] = set()

    def dispose(self) -> None:
        engines, self.engines = list(self.engines.values()), OrderedDict()
        if self.pid == os.getpid():  # a forked child never closes its parent's connections
            for engine in engines:
                engine.dispose()


_INHERITED: list[_ShardEngines] = []  # a forked child's copies of its parent's engines: kept, never used or closed


def _shard_engines(storage: SqliteEventLogStorage) -> _ShardEngines:
    state = storage.__dict__.get("_shard_engines")
    if state is None or state.pid != os.getpid():  # new, or inherited through a fork: start afresh
        if state is not None:
            _INHERITED.append(state)
        state = storage.__dict__["_shard_engines"] = _ShardEngines()
    return state


def _engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    """The open engine of a shard file (created, and the file initialised as Dagster does, on first use).
    The caller holds the storage's lock."""
    state = _shard_engines(storage)
    engine = state.engines.get(shard)
    if engine is not None:
        if shard != INDEX_SHARD_NAME:
            state.engines.move_to_end(shard)
        return engine
    url, connect_args = storage.conn_string_for_shard(shard), {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    if shard not in storage._initialized_dbs:  # create the file's tables if missing, once (Dagster's own code)
        once = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        storage._initdb(once)
        once.dispose()
        storage._initialized_dbs.add(shard)
    # one connection, used by one caller at a time (the storage's lock); max_overflow=0: a second concurrent
    # checkout would be a bug here, and fails loudly (pool timeout) instead of opening another connection
    engine = create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=0, connect_args=connect_args)
    state.engines[shard] = engine
    run_shards = [name for name in state.engines if name != INDEX_SHARD_NAME]
    for old in run_shards[:-OPEN_RUN_SHARDS]:
        state.engines.pop(old).dispose()
    return engine


@contextmanager
def _connect(self: SqliteEventLogStorage, shard: str) -> Iterator[Connection]:
    with self._db_lock:
        with _engine(self, shard).connect() as conn, conn.begin():
            yield conn


def _has_table(self: SqliteEventLogStorage, table_name: str) -> bool:
    state = _shard_engines(self)
    if table_name in state.tables_present:
        return True
    present = _DAGSTER["has_table"](self, table_name)
    if present:
        state.tables_present.add(table_name)
    return present


def _store_event(self: SqliteEventLogStorage, event_entry: EventLogEntry) -> None:
    _DAGSTER["store_event"](self, event_entry)
    try:  # wake Dagster's run-log watcher of this run (it waits for changes of <run_id>.db)
        os.utime(self.path_for_shard(event_entry.run_id))
    except FileNotFoundError:
        pass


def _closing_first(name: str) -> Callable[..., Any]:
    def method(self: SqliteEventLogStorage, *args: Any, **kwargs: Any) -> Any:
        with self._db_lock:
            _shard_engines(self).dispose()
        self.__dict__.pop("_shard_engines", None)
        return _DAGSTER[name](self, *args, **kwargs)

    method.__name__ = name
    return method


_DAGSTER: dict[str, Callable[..., Any]] = {}  # Dagster's own methods, while ours are installed
_POOLED: dict[str, Callable[..., Any]] = {
    "_connect": _connect, "has_table": _has_table, "store_event": _store_event,
    "wipe": _closing_first("wipe"), "upgrade": _closing_first("upgrade"),
}


def _dispose(self: SqliteEventLogStorage) -> None:
    _DAGSTER["dispose"](self)
    with self._db_lock:
        _shard_engines(self).dispose()


_POOLED["dispose"] = _dispose


def use_pooled_event_log_connections() -> None:
    """Dagster's SQLite event log storage, in this process from now on, keeps one open connection per shard file
    (see the module's docstring). Idempotent."""
    if _DAGSTER:
        return
    for name, method in _POOLED.items():
        _DAGSTER[name] = SqliteEventLogStorage.__dict__[name]
        setattr(SqliteEventLogStorage, name, method)


def use_dagster_event_log_connections() -> None:
    """Back to Dagster's own methods (one connection per statement); for the benchmark's and tests' comparisons.
    Storage objects created while pooled keep their open engines until disposed."""
    for name, method in _DAGSTER.items():
        setattr(SqliteEventLogStorage, name, method)
    _DAGSTER.clear()
