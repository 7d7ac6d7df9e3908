"""A checksum of the marts: do two warehouses hold the same facts? (The fan-out test and bench compare a backfill
run on the Celery workers with an in-process run over the same news days.)

Per marts table: md5 over its rows, each row cast to text, in sorted order, so neither the order rows were
written in nor the physical layout matters. Left out: the columns that say *when* and *in which run* a page was
read (VOLATILE_COLUMNS), which differ between any two runs by construction, not what was read from it.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

VOLATILE_COLUMNS = frozenset({"run_id", "fetch_id", "fetched_at", "parsed_at"})
MARTS = "marts"


def marts_checksums(warehouse: Path | str) -> dict[str, str]:
    """{table: md5 of its sorted rows} for every table of the marts schema of `warehouse` (opened read-only)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
                "select table_name, column_name from information_schema.columns where table_schema = ? "
                "order by table_name, ordinal_position", [MARTS]).fetchall():
            columns.setdefault(table, [])
            if column not in VOLATILE_COLUMNS:
                columns[table].append(column)
        sums = {}
        for table, cols in columns.items():
            row = "cast(row(" + ", ".join(f'"{c}"' for c in cols) + ") as varchar)" if cols else "''"
            sums[table] = con.execute(
                f"select md5(coalesce(string_agg(r, chr(10) order by r), '')) || ':' || count(*) "
                f'from (select {row} as r from "{MARTS}"."{table}")').fetchone()[0]
        return sums
    finally:
        con.close()
