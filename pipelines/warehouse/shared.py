"""The shared raw store (docs/scaling.md "The shared warehouse"): many writers, one warehouse, on DuckDB 2.0 alone.

Each writer keeps its own working DuckDB file (the raw stages write it as always: keyed replaces, incremental
reads) and, at the end of its raw stages, publishes what it wrote since its last publish as one *commit*:

    <data_path>/commits/<seq:012d>-<run_id>/<table>.parquet     one file per raw table (every table, maybe 0 rows)

* `seq` comes from a PostgreSQL sequence in the shared catalog (`news_shared.commit_seq`), so commits of writers
  on different machines are totally ordered; the catalog table `news_shared.commits` records each commit (run,
  row counts, time).
* The files are written under `<data_path>/_incoming/<name>/` and the folder is renamed into `commits/` in one
  `rename(2)`: a reader sees a commit whole or not at all, and a writer that dies mid-way leaves only an
  `_incoming` folder that nobody reads. The rename is the commit point; the catalog row follows it.
* Readers (dbt's `shared` target, macro `shared_raw_views`) see, per raw table, the union of the committed files,
  each key's rows taken from the newest commit that holds the key (`meta.shared_key` of the dbt source): the
  INSERT OR REPLACE of the single file, in commit order. A commit that is published twice changes nothing.

Pure Python (no Dagster); psycopg2 (a dagster-postgres dependency) talks to the catalog.
"""
from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ..basics import utcnow
from ..settings import SharedStore
from ..tables import MENTION_TABLES
from .connection import RAW_TABLES, ident, table_ref, transaction

INCOMING_DIR = "_incoming"
CATALOG_SCHEMA = "news_shared"

# what a publish takes from the working file: the rows of each table written since the last publish, by the
# column that holds the time of the write; the mention tables (replaced whole per article) go with the article's
# extraction (raw.extractions.extracted_at)
WRITTEN_AT = {
    "discovered_urls": "discovered_at", "fetch_log": "fetched_at", "pages": "fetched_at",
    "page_parses": "parsed_at", "articles": "parsed_at", "extractions": "extracted_at",
    "extract_errors": "failed_at",
}

_CATALOG_DDL = f"""
create schema if not exists {CATALOG_SCHEMA};
create sequence if not exists {CATALOG_SCHEMA}.commit_seq;
create table if not exists {CATALOG_SCHEMA}.commits (
    seq          bigint primary key,
    name         text not null unique,
    run_id       text not null,
    row_counts   text not null,
    committed_at timestamptz not null default now()
);
"""
_WATERMARK_DDL = """
create table if not exists raw.shared_published (
    published_before timestamptz not null
)
"""


class SharedStoreError(RuntimeError):
    """The shared store cannot be used (catalog unreachable, data path not writable): nothing was committed."""


@dataclass(frozen=True)
class Commit:
    seq: int
    name: str
    path: Path
    row_counts: Mapping[str, int]


def _catalog(store: SharedStore):
    import psycopg2

    try:
        return psycopg2.connect(store.catalog, connect_timeout=10)
    except psycopg2.Error as exc:
        raise SharedStoreError(f"the shared catalog is unreachable ({str(exc).strip()}): nothing published") from exc


def ensure_catalog(store: SharedStore) -> None:
    """The catalog's schema, sequence and table (idempotent; concurrent writers may race on it: one wins)."""
    import psycopg2

    conn = _catalog(store)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (CATALOG_SCHEMA,))
            cur.execute(_CATALOG_DDL)
    except psycopg2.Error as exc:
        raise SharedStoreError(f"cannot prepare the shared catalog: {str(exc).strip()}") from exc
    finally:
        conn.close()


def _next_seq(store: SharedStore) -> int:
    conn = _catalog(store)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f"select nextval('{CATALOG_SCHEMA}.commit_seq')")
            return int(cur.fetchone()[0])
    finally:
        conn.close()


def _record(store: SharedStore, commit: Commit, run_id: str) -> None:
    import json

    conn = _catalog(store)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f"insert into {CATALOG_SCHEMA}.commits (seq, name, run_id, row_counts) values (%s, %s, %s, %s) "
                        "on conflict (seq) do nothing", (commit.seq, commit.name, run_id,
                                                         json.dumps(dict(commit.row_counts), sort_keys=True)))
    finally:
        conn.close()


def _published_before(con: duckdb.DuckDBPyConnection) -> datetime | None:
    con.execute(_WATERMARK_DDL)
    row = con.execute("select max(published_before) from raw.shared_published").fetchone()
    return row[0] if row else None


def _select(table: str, since: datetime | None) -> tuple[str, list]:
    """The SELECT of `table`'s rows written since `since` (all rows when None), HUGEINT as DECIMAL(38,0): Parquet
    has no 128-bit integer and DuckDB would write a DOUBLE (the readers cast it back)."""
    where, params = "", []
    if since is not None:
        if table in WRITTEN_AT:
            where, params = f" where {ident(WRITTEN_AT[table])} >= ?", [since]
        elif table in MENTION_TABLES:
            where = " where article_key in (select article_key from raw.extractions where extracted_at >= ?)"
            params = [since]
        else:
            raise SharedStoreError(f"raw.{table} has no rule for what a publish takes (shared.WRITTEN_AT)")
    return f"select * from {table_ref(table)}{where}", params


def _hugeint_as_decimal(con: duckdb.DuckDBPyConnection, table: str) -> str:
    cols = con.execute("select column_name, data_type from information_schema.columns where table_schema = 'raw' "
                       "and table_name = ? order by ordinal_position", [table]).fetchall()
    return ", ".join(f"CAST({ident(c)} AS DECIMAL(38,0)) AS {ident(c)}" if t == "HUGEINT" else ident(c)
                     for c, t in cols)


def publish(con: duckdb.DuckDBPyConnection, store: SharedStore, run_id: str) -> Commit:
    """Publish the working file's raw rows written since the last publish as one commit of the shared store.

    The watermark (raw.shared_published) moves only after the commit's folder is in place, so a writer stopped
    anywhere republishes at its next run (a key published twice is the same row: readers take it once)."""
    started = utcnow()
    since = _published_before(con)
    ensure_catalog(store)
    incoming = store.data_path / INCOMING_DIR / f"{uuid.uuid4().hex}"
    try:
        incoming.mkdir(parents=True)
        store.commits.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SharedStoreError(f"the shared data path {store.data_path} is not writable: {exc}") from exc
    counts: dict[str, int] = {}
    try:
        for table in RAW_TABLES:
            sql, params = _select(table, since)
            target = incoming / f"{table}.parquet"
            con.execute(f"create or replace temp table _publish as {sql}", params)
            counts[table] = con.execute("select count(*) from _publish").fetchone()[0]
            cols = _hugeint_as_decimal(con, table)
            con.execute(f"copy (select {cols} from _publish) to '{_sql_text(target)}' (format parquet)")
            con.execute("drop table _publish")
        for f in incoming.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        seq = _next_seq(store)
        name = f"{seq:012d}-{_safe(run_id)}"
        final = store.commits / name
        os.rename(incoming, final)  # the commit point: one rename, the folder is visible whole or not at all
        _fsync_dir(store.commits)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    commit = Commit(seq=seq, name=name, path=final, row_counts=counts)
    with transaction(con):
        con.execute("delete from raw.shared_published")
        con.execute("insert into raw.shared_published values (?)", [started])
    _record(store, commit, run_id)
    return commit


def _safe(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)[:80] or "run"


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
