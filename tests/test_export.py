"""make export: every marts table as Parquet (same rows) and as CSV that Excel opens as UTF-8."""
from __future__ import annotations

import csv
import io

import dagster as dg
import duckdb
import pyarrow.parquet as pq

from pipelines.definitions import build_definitions
from pipelines.export import BOM, MARTS, export_marts
from pipelines.settings import Settings
from tests.support.paths import SEED_CORPUS


def test_export_writes_parquet_and_bom_csv(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: seeds, kind: html_dir, path: '{SEED_CORPUS}'}}\n", encoding="utf-8")
    warehouse = tmp_path / "news.duckdb"
    defs = build_definitions(Settings(sources_path=sources, warehouse_path=warehouse))
    assert defs.resolve_job_def("nightly_refresh").execute_in_process(instance=dg.DagsterInstance.ephemeral()).success
    counts = export_marts(warehouse, tmp_path / "out")
    con = duckdb.connect(str(warehouse), read_only=True)
    for table in MARTS:
        n = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
        assert counts[table] == n
        assert pq.read_table(tmp_path / "out" / f"{table}.parquet").num_rows == n
        raw = (tmp_path / "out" / f"{table}.csv").read_bytes()
        assert raw.startswith(BOM)
        rows = list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"))))
        assert len(rows) == n + 1
    con.close()
    orgs = (tmp_path / "out" / "dim_organizations.csv").read_bytes().decode("utf-8-sig")
    assert "전주시" in orgs  # Korean text survives the round trip
