"""The nightly job and its schedule (02:00 Asia/Seoul)."""
from __future__ import annotations

import dagster as dg

nightly_refresh = dg.define_asset_job(
    name="nightly_refresh",
    selection=dg.AssetSelection.all(),
    description="Discover, fetch, parse and extract every source, then dbt build (models + tests).",
    executor_def=dg.in_process_executor,
    tags={"warehouse": "writer"},
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_refresh_schedule",
    job=nightly_refresh,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Seoul",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 Asia/Seoul.",
)
