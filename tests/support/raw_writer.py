"""One writer of the shared warehouse, as its own process: the nightly job's raw assets (fetch, parse, extract; no
dbt) for one news day, into its own working file, with the environment's NEWS_DBT_TARGET=shared publishing the
run's rows to the shared store.

    python -m tests.support.raw_writer SOURCES WAREHOUSE DAY
"""
from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.settings import Settings


def main(sources: str, warehouse: str, day: str) -> int:
    defs = build_definitions(Settings(sources_path=Path(sources), warehouse_path=Path(warehouse)))
    job = defs.resolve_job_def("nightly_refresh")
    raw = [key for key in defs.resolve_asset_graph().get_all_asset_keys() if key.path[0] == "raw"]
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), partition_key=day, asset_selection=raw)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
