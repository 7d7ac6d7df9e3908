"""Dagster resources: the DuckDB warehouse file, the sources file and the run's robots.txt cache. Built once in
definitions.py."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION

from . import warehouse as wh
from .settings import dbt_is_bundled
from .sources.config import SourcesConfig, load_sources

if TYPE_CHECKING:
    from .fetch.robots import RobotsCache

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


class NewsDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without the two things each `cli()` call did before starting dbt, neither of which
    the dbt step uses (a quiet night's dbt step is one short `dbt build`, so they were a large part of it):

    * `dbt --version` in a subprocess, once per step, to learn dbt's version: a whole dbt start-up, and dbt asks
      pypi.org for the latest release every time (a network call on every night). The dbt of this project's
      environment (settings.dbt_executable) is the dbt-core this Python imports: its version is the one dagster-dbt
      read on import (DBT_PYTHON_VERSION). Another dbt (one on PATH) is still asked.
    * a dbt adapter opened in this process (dbt-core imported, the profile loaded, the project's macros parsed),
      which dagster-dbt uses only for `fetch_row_counts()` / `fetch_column_metadata()` on the event stream. The dbt
      step reads row counts and column types from the warehouse itself (assets/dbt.py `with_row_counts`)."""

    @cached_property
    def _cli_version(self) -> Any:
        if DBT_PYTHON_VERSION is not None and dbt_is_bundled(self.dbt_executable):
            return DBT_PYTHON_VERSION
        return DbtCliResource._cli_version.func(self)  # type: ignore[attr-defined]

    def _initialize_dbt_core_adapter(self, args: Any) -> None:
        return None


@dg.resource(description="The run's robots.txt cache (pipelines.fetch.robots.RobotsCache).")
def run_robots(_context: dg.InitResourceContext) -> Iterator[RobotsCache]:
    """The run's robots.txt cache, passed to the discover and fetch stages (pipelines.stages: `robots=`), so a
    host's robots.txt is fetched once per run. Dagster initialises a run's resources once for the in-process
    executor (the default: both stages share one cache); a step in a process of its own gets a cache of its own.
    Nothing is kept in module state: the cache lives and ends with the run's resources."""
    from .fetch.robots import RobotsCache

    yield RobotsCache()
