"""dbt build state: a signature per raw table dbt reads, and the signatures the last build saw (raw.dbt_builds)."""
from __future__ import annotations

from collections.abc import Iterable

import duckdb

from ..basics import utcnow
from .connection import table_ref, transaction
from .load import insert_rows


# the newest write time of each raw table dbt reads (mention tables move with raw.extractions)
_SIGNATURE_TIME = {"fetch_log": "(select max(fetched_at) from raw.fetch_log)",
                   "page_parses": "(select max(parsed_at) from raw.page_parses)",
                   "articles": "(select max(parsed_at) from raw.articles)"}
_EXTRACTED = "(select max(extracted_at) from raw.extractions)"


def source_signatures(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, str]:
    """A cheap signature per raw table (row count + newest write time): it moves whenever the stages add,
    replace or delete rows of the table."""
    out = {}
    for t in tables:
        newest = _SIGNATURE_TIME.get(t, _EXTRACTED)
        n, ts = con.execute(f"select (select count(*) from {table_ref(t)}), {newest}").fetchone()  # noqa: S608
        out[t] = f"{n}|{ts.isoformat() if ts is not None else ''}"
    return out


def built_signatures(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("select source_table, signature from raw.dbt_builds").fetchall())


def record_built(con: duckdb.DuckDBPyConnection, signatures: dict[str, str]) -> None:
    rows = [{"source_table": t, "signature": s, "built_at": utcnow()} for t, s in signatures.items()]
    with transaction(con):
        insert_rows(con, "dbt_builds", rows, replace=True)
