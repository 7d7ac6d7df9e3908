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
