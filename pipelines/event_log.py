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

import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster._check as check
from dagster._config import StringSource
from dagster._config.config_schema import UserConfigSchema
from dagster._core.event_api import EventHandlerFn
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
    SqliteEventLogStorageWatchdog,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, QueuePool
from watchdog.events import FileSystemEvent
from watchdog.observers import Observer

SYNCHRONOUS = "NORMAL"


def _on_connect(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS}")


def use_normal_sqlite_sync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process from now on (the Dagster instance's event log,
    run and schedule storage) commits with synchronous=NORMAL. Idempotent."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


# --- the event log storage: one engine (and SQLite connection) per shard file, kept open -----------------------

# run shards whose engines stay open in one process besides index.db: a run worker writes one; the webserver and
# the daemon read many runs' shards over their life, and every open engine holds a file descriptor
OPEN_RUN_SHARDS = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's run-sharded SQLite event log (the same files: <dagster_home>/history/runs/index.db and one
    <run_id>.db per run, the same tables and rows), with one SQLAlchemy engine per shard file kept open instead of a
    new engine and SQLite connection per statement (Dagster's NullPool).

    Why: closing the last connection of a WAL database checkpoints the WAL into the file and deletes it (disk
    flushes), and the next connection's first commit starts a new WAL; a fresh engine also compiles every
    statement again (SQLAlchemy's statement cache is per engine). A year's backfill writes ~2,200 asset events,
    each one run-shard and one index.db transaction: that is most of run 1's bookkeeping (docs/performance.md).

    Safe with several processes (webserver, daemon, code server, run workers): an idle pooled connection holds no
    transaction (returned connections are rolled back), so it holds no lock and every read sees the other
    processes' last commits; WAL mode lets readers and one writer overlap as before. Use within one process stays
    serialised by the storage's own lock. Engines are rebuilt after a fork, disposed when the instance is disposed,
    and before `wipe` deletes shard files.

    One thing changes on disk: the WAL of a shard is checkpointed into <run_id>.db every ~1,000 pages (SQLite's
    auto-checkpoint) and when the engine closes, not after every statement. Dagster's live run-log watcher (the
    webserver's log view) waits for file changes of <run_id>.db; `watch` here also wakes on its -wal file."""

    def __init__(self, dagster_home: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_pid = os.getpid()
        self._tables_present: set[str] = set()
        super().__init__(base_dir=os.path.join(dagster_home, "history", "runs"), inst_data=inst_data)

    @classmethod
    def config_type(cls) -> UserConfigSchema:
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None,
                          config_value: Mapping[str, Any]) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The open engine of a shard file (created, and the file initialised, on first use). Caller holds _db_lock."""
        if self._engines_pid != os.getpid():  # a forked child must not use its parent's SQLite connections
            self._engines = OrderedDict()
            self._engines_pid = os.getpid()
        engine = self._engines.get(shard)
        if engine is None:
            url, connect_args = self.conn_string_for_shard(shard), {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
            if shard not in self._initialized_dbs:  # as Dagster does: create the file's tables if missing, once
                once = create_engine(url, poolclass=NullPool, connect_args=connect_args)
                self._initdb(once)
                once.dispose()
                self._initialized_dbs.add(shard)
            # one connection, used by one caller at a time (_db_lock); max_overflow=0: a second concurrent
            # checkout would be a bug here, and fails loudly (pool timeout) instead of opening a connection
            engine = create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=0, connect_args=connect_args)
            self._engines[shard] = engine
            run_shards = [s for s in self._engines if s != INDEX_SHARD_NAME]
            for old in run_shards[:-OPEN_RUN_SHARDS]:
                self._engines.pop(old).dispose()
        elif shard != INDEX_SHARD_NAME:
            self._engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            check.str_param(shard, "shard")
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def _dispose_engines(self) -> None:
        with self._db_lock:
            engines, self._engines = list(self._engines.values()), OrderedDict()
        if self._engines_pid == os.getpid():
            for engine in engines:
                engine.dispose()

    def has_table(self, table_name: str) -> bool:
        """Dagster asks this of index.db on every asset event (a new engine and connection each time); a table
        that exists stays (migrations only add them), so a yes is remembered for the life of the process."""
        if table_name in self._tables_present:
            return True
        present = super().has_table(table_name)
        if present:
            self._tables_present.add(table_name)
        return present

    def wipe(self) -> None:
        self._dispose_engines()  # no open connection to a shard file that is about to be deleted
        super().wipe()

    def upgrade(self) -> None:
        self._dispose_engines()
        self._tables_present = set()
        super().upgrade()

    def dispose(self) -> None:
        super().dispose()
        self._dispose_engines()

    def watch(self, run_id: str, cursor: str | None, callback: EventHandlerFn) -> None:
        if not self._obs:
            self._obs = Observer()
            self._obs.start()
        handler = _RunShardWatchdog(self, run_id, callback, cursor)
        self._watchers[run_id][callback] = (handler, self._obs.schedule(handler, self._base_dir, recursive=True))


class _RunShardWatchdog(SqliteEventLogStorageWatchdog):
    """Dagster's watcher of one run's shard, woken by changes of <run_id>.db and of its WAL (<run_id>.db-wal),
    where a pooled connection's commits land until a checkpoint."""

    def __init__(self, storage: PooledSqliteEventLogStorage, run_id: str, callback: EventHandlerFn,
                 cursor: str | None) -> None:
        super().__init__(storage, run_id, callback, cursor)
        self._patterns = [self._log_path, self._log_path + "-wal"]

    def on_modified(self, event: FileSystemEvent) -> None:
        self._process_log()
