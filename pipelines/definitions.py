"""The one place the Dagster Definitions are assembled (explicit lists)."""
from __future__ import annotations

import dagster as dg
from .assets.dbt import dbt_project, news_dbt_models
from .assets.publish import warehouse_snapshot
from .assets.raw import discovered_urls, fetched_pages, parsed_articles, text_mentions
from .checks import ASSET_CHECKS
from .event_log import use_normal_sqlite_sync, use_pooled_event_log_connections
from .resources import NewsDbtCliResource, SourcesResource, WarehouseResource, run_robots
from .schedules import executor_from_env, nightly_refresh, nightly_schedule
from .settings import Settings, dbt_executable, load_settings


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=[discovered_urls, fetched_pages, parsed_articles, text_mentions, news_dbt_models, warehouse_snapshot],
        asset_checks=ASSET_CHECKS,
        jobs=[nightly_refresh],
        schedules=[nightly_schedule],
        executor=executor_from_env(),  # also the executor of asset backfills' runs (not only nightly_refresh)
        resources={
            "warehouse": WarehouseResource(path=str(settings.warehouse_path)),
            "sources": SourcesResource(path=str(settings.sources_path)),
            "robots": run_robots,
            "dbt": NewsDbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.project_dir),
                                      dbt_executable=dbt_executable()),
        },
    )


use_normal_sqlite_sync()  # the instance's SQLite event log: no disk flush per event (pipelines/event_log.py)
use_pooled_event_log_connections()  # ... and one open connection per event log file, not one per statement
defs = build_definitions(load_settings())
