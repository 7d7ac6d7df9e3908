"""Bulk loads into raw.<table> through Arrow batches (never row by row), keyed deletes, keyed reads, and the
write timer a stage owns (its total is the stage report's write_seconds).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa

from .connection import ident, table_ref

_SCHEMA: dict[str, list[tuple[str, str]]] = {}


def _schema(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of raw.<table> in order; looked up once per process (the DDL is ours)."""
    cols = _SCHEMA.get(table)
    if cols is None:
        cols = [(c, t) for c, t in con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'raw' "
            "and table_name = ? order by ordinal_position", [table]).fetchall()]
        if cols:
            _SCHEMA[table] = cols
    return cols


class WriteTimer:
    """Time spent writing the warehouse during one stage call. The stage creates one, passes it to every write
    (`record_*(..., timer=timer)`) and puts `seconds` in its report (the assets' `write_seconds` metadata).
    Nothing is kept between calls: no module state."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - started


@contextmanager
def timed_write(timer: WriteTimer | None) -> Iterator[None]:
    """`timer.measure()`, or nothing when the caller keeps no timer (a test, a one-off write)."""
    if timer is None:
        yield
    else:
        with timer.measure():
            yield


def arrow_batch(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]],
                columns: Sequence[str] | None = None) -> pa.Table:
    schema = dict(_schema(con, table))
    cols = list(columns) if columns is not None else [c for c, _ in _schema(con, table)]
    return pa.table({c: pa.array([r.get(c) for r in rows], type=_arrow_type(schema[c])) for c in cols})


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]], *,
                replace: bool = False) -> int:
    """Bulk insert dict rows into raw.<table> through one Arrow batch; columns missing from a row are NULL.
    With replace, a row whose primary key exists replaces it (INSERT OR REPLACE: one index probe per row,
    not a scan of the table)."""
    if not rows:
        return 0
    schema = _schema(con, table)
    batch = arrow_batch(con, table, rows)
    name = f"_batch_{table}"
    con.register(name, batch)
    try:
        select = ", ".join(f"CAST({ident(c)} AS {t}) AS {ident(c)}" for c, t in schema)
        verb = "INSERT OR REPLACE INTO" if replace else "INSERT INTO"
        con.execute(f"{verb} {table_ref(table)} SELECT {select} FROM {ident(name)}")  # noqa: S608 - names are ours
    finally:
        con.unregister(name)
    return len(rows)


def _arrow_type(duck_type: str) -> pa.DataType:
    t = duck_type.upper()
    if t in ("VARCHAR", "JSON"):
        return pa.string()
    if t == "BLOB":
        return pa.binary()
    if t in ("INTEGER", "BIGINT"):
        return pa.int64()
    if t == "HUGEINT":  # int64 would overflow past 9.2e18 won: a 128-bit decimal holds every HUGEINT
        return pa.decimal128(38, 0)
    if t == "BOOLEAN":
        return pa.bool_()
    if t.startswith("TIMESTAMP"):
        return pa.timestamp("us", tz="UTC")
    if t.startswith("DECIMAL") or t == "DOUBLE":
        return pa.float64()
    return pa.string()


def delete_keys(con: duckdb.DuckDBPyConnection, table: str, column: str, keys: Iterable[str]) -> None:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    con.execute(f"DELETE FROM {table_ref(table)} WHERE {ident(column)} IN (SELECT unnest(?::VARCHAR[]))",  # noqa: S608
                [keys])


def rows_by_keys(con: duckdb.DuckDBPyConnection, sql: str, column: str, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of `sql` (which joins the registered `_keys(k)` on `column`), returned in the order of `keys`."""
    con.register("_keys", pa.table({"k": pa.array(list(keys), pa.string())}))
    try:
        cur = con.execute(sql)
        cols = [c[0] for c in cur.description]
        rows = {r[cols.index(column)]: dict(zip(cols, r)) for r in cur.fetchall()}
    finally:
        con.unregister("_keys")
    return [rows[k] for k in keys if k in rows]
