"""Take the marts away: Parquet for tools, CSV with a UTF-8 BOM for Excel users. Pure Python."""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

MARTS = ("dim_articles", "fct_budgets", "fct_events", "fct_partnerships", "dim_organizations", "fct_fetches",
         "dim_projects", "fct_project_budgets", "fct_project_events", "fct_project_partnerships",
         "fct_project_timeline", "sido_budget_summary")
BOM = b"\xef\xbb\xbf"


def export_marts(warehouse: Path, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/<table>.parquet and <table>.csv for every marts table; return row counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    counts = {}
    try:
        for table in MARTS:
            data = con.sql(f"select * from marts.{table}").to_arrow_table()  # noqa: S608 - fixed names
            pq.write_table(data, out_dir / f"{table}.parquet")
            # lists (aliases, article_ids) become '; '-joined text in the CSV; Excel reads the BOM as UTF-8
            lists = [name for name, kind, *_ in con.execute(f"describe marts.{table}").fetchall()  # noqa: S608
                     if kind.endswith("[]")]
            replace = ", ".join(f"array_to_string({c}, '; ') as {c}" for c in lists)
            flat = con.sql(f"select * replace ({replace}) from marts.{table}" if lists  # noqa: S608
                           else f"select * from marts.{table}").to_arrow_table()  # noqa: S608
            buf = io.BytesIO()
            pacsv.write_csv(flat, buf)
            (out_dir / f"{table}.csv").write_bytes(BOM + buf.getvalue())
            counts[table] = data.num_rows
    finally:
        con.close()
    return counts
