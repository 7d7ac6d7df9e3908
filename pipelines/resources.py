"""Dagster resources: the DuckDB warehouse file and the sources file. Built once in definitions.py."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from . import warehouse as wh
from .sources.config import SourcesConfig, load_sources

# Every step that opens the warehouse file -- writers, and readers too: DuckDB's file lock keeps a reader in
# another process out while one writes -- is in this Dagster pool, limited to one step at a time (dagster.yaml).
WAREHOUSE_POOL = "duckdb_writer"


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB file the raw stages write (one writer at a time: the `duckdb_writer` pool)."""

    path: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # every step that opens the warehouse records which process runs it (pipelines/runs.py: a run whose
        # process is gone is reaped by the next run or by the daemon's run monitoring, never blocking a night)
        if context.instance is not None and context.run is not None:
            from .runs import tag_run_process

            try:
                tag_run_process(context.instance, context.run.run_id)
            except Exception as exc:  # noqa: BLE001 - bookkeeping must never fail a step
                context.log.warning(f"could not tag the run's process: {exc}")

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = wh.connect(self.path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


class SourcesResource(dg.ConfigurableResource):
    """The sources file (format: shared/spec/sources.md)."""

    path: str

    def load(self) -> SourcesConfig:
        return load_sources(self.path)
