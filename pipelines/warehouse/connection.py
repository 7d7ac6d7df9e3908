"""The warehouse file: opening it (with the raw schema's DDL), transactions, and SQL identifier quoting.

Values are always bound parameters or Arrow batches; identifiers (our own table and column names) are the only
names put into SQL text, and always through `ident` / `table_ref`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..settings import DDL_DIR, duckdb_memory_limit
from ..tables import MENTION_TABLES

RAW_TABLES = (
    "discovered_urls", "fetch_log", "pages", "page_parses", "articles", "extractions", *MENTION_TABLES,
    "extract_errors",
)


def ident(name: str) -> str:
    """A SQL identifier, double-quoted (an embedded double quote doubled)."""
    return '"' + name.replace('"', '""') + '"'


def table_ref(table: str, schema: str = "raw") -> str:
    """schema.table, both quoted: `"raw"."pages"`."""
    return f"{ident(schema)}.{ident(table)}"


def apply_ddl(con: duckdb.DuckDBPyConnection, ddl_dir: Path | None = None) -> None:
    """Create the raw schema (warehouse/ddl/*.sql, idempotent) in one transaction: a run stopped while it runs leaves
    every table or none, never a half-made schema that the readers of the raw tables would trip on."""
    with transaction(con):
        for path in sorted((ddl_dir or DDL_DIR).glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file (creating its folder and the raw schema when writable)."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET TimeZone = 'Asia/Seoul'")
    # DuckDB's buffer pool may grow to 80 % of RAM by default, and a long load of page bytes fills it: cap it
    # (DuckDB spills to <file>.tmp beyond the cap) so a 100k-page backfill stays within a small machine's memory
    con.execute("SET memory_limit = ?", [duckdb_memory_limit()])
    if not read_only:
        apply_ddl(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def table_counts(con: duckdb.DuckDBPyConnection, tables: Iterable[str], schema: str = "raw") -> dict[str, int]:
    out = {}
    for t in tables:
        out[t] = con.execute(f"select count(*) from {table_ref(t, schema)}").fetchone()[0]  # noqa: S608
    return out
