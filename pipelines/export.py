"""Take the marts away: Parquet for tools, CSV with a UTF-8 BOM for Excel users. Pure Python.

Besides the marts tables (ids, for joining), the readable views of schema ``reporting`` (names instead of hash
ids, amounts in 억 원, dates with their precision, the article's title / URL / date on every row) are written as
``budgets``, ``events``, ``partnerships`` and ``partnership_members``: the files a spreadsheet user opens.

The CSV is for spreadsheets, which run a cell that starts with ``=``, ``+``, ``-``, ``@``, TAB or CR as a
formula (CSV / formula injection: a title ``=HYPERLINK("http://…")`` would be a live link). Such text cells
get a leading single quote in the CSV (the OWASP rule), so a spreadsheet shows them as text; the Parquet
files keep every value as stored.
"""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .tables import MARTS, REPORTING  # noqa: F401 - export.MARTS: what is exported

BOM = b"\xef\xbb\xbf"
FORMULA_START = "=+-@\t\r"  # a text cell starting with one of these is read as a formula by spreadsheets
_FORMULA_START_RE = "^[" + FORMULA_START.replace("-", "\\-") + "]"


def neutralise_formulas(table: pa.Table) -> pa.Table:
    """Text cells that a spreadsheet would run as a formula, prefixed with a single quote (other cells as they are)."""
    for i, f in enumerate(table.schema):
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
            col = table.column(i)
            risky = pc.match_substring_regex(col, _FORMULA_START_RE)
            quoted = pc.binary_join_element_wise(pa.scalar("'", f.type), col, pa.scalar("", f.type))
            table = table.set_column(i, f, pc.if_else(risky, quoted, col))
    return table


def export_marts(warehouse: Path, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/<name>.parquet and <name>.csv for every marts table and every reporting view (REPORTING);
    return row counts by file name. A warehouse built before the reporting views existed is refused: run the
    nightly job once (`make run`) to build them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    counts = {}
    try:
        views = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'reporting'").fetchall()}
        missing = [v for v in REPORTING if v not in views]
        if missing:
            raise FileNotFoundError(f"{warehouse} has no reporting.{', reporting.'.join(missing)}: "
                                    "run the nightly job once (make run) to build the reporting views")
        for schema, table in [("marts", t) for t in MARTS] + [("reporting", v) for v in REPORTING]:
            counts[table] = _export_one(con, f"{schema}.{table}", out_dir / table)
    finally:
        con.close()
    return counts


def _export_one(con: duckdb.DuckDBPyConnection, relation: str, stem: Path) -> int:
    """<stem>.parquet (values as stored) and <stem>.csv (UTF-8 BOM, lists '; '-joined, formulas quoted)."""
    data = con.sql(f"select * from {relation}").to_arrow_table()  # noqa: S608 - fixed names
    pq.write_table(data, stem.with_suffix(".parquet"))
    # lists (aliases, article_ids) become '; '-joined text in the CSV; Excel reads the BOM as UTF-8
    lists = [name for name, kind, *_ in con.execute(f"describe {relation}").fetchall()  # noqa: S608
             if kind.endswith("[]")]
    replace = ", ".join(f"array_to_string({c}, '; ') as {c}" for c in lists)
    flat = con.sql(f"select * replace ({replace}) from {relation}" if lists  # noqa: S608
                   else f"select * from {relation}").to_arrow_table()  # noqa: S608
    buf = io.BytesIO()
    pacsv.write_csv(neutralise_formulas(flat), buf)
    stem.with_suffix(".csv").write_bytes(BOM + buf.getvalue())
    return data.num_rows
