"""The nightly job and its schedule (02:00 Asia/Seoul, for the news day that just ended)."""
from __future__ import annotations

import dagster as dg

from .settings import executor_name

EXECUTORS = ("in_process", "multiprocess", "k8s", "celery")


def executor_from_env(environ: dict[str, str] | None = None) -> dg.ExecutorDefinition:
    """NEWS_EXECUTOR picks how a run's steps execute (the scale path, README "When one machine is not enough"):

    in_process    (default) one process; the discover and fetch steps share the per-run robots.txt cache
    multiprocess  one process per step on this machine (the writer pool still serialises warehouse writes)
    celery        one Celery task per step, run by the workers of deploy/ (`make deploy-local`: Redis on
                  127.0.0.1, two workers); broker and result backend from NEWS_CELERY_BROKER / _BACKEND
    k8s           one pod per step: needs `dagster-k8s` (not installed) and the warehouse on a shared catalog
    """
    name = executor_name(environ)
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "celery":
        from .fanout import celery_executor

        return celery_executor
    if name == "k8s":
        try:
            from dagster_k8s import k8s_job_executor
        except ImportError as exc:
            raise RuntimeError("NEWS_EXECUTOR=k8s needs the dagster-k8s package (pip install dagster-k8s); it is "
                               "not part of the install") from exc
        return k8s_job_executor
    raise RuntimeError(f"NEWS_EXECUTOR={name!r} is not one of {', '.join(EXECUTORS)}")


nightly_refresh = dg.define_asset_job(
    name="nightly_refresh",
    selection=dg.AssetSelection.all(),
    description="Discover and fetch one news day (or a range of them: a backfill), parse and extract what is "
                "new, then dbt build (models + tests) and publish the read-only snapshot.",
    executor_def=executor_from_env(),
    tags={"warehouse": "writer"},
)

# The job's partitions are the fetch side's news days; at 02:00 Seoul time the schedule materialises the
# newest complete day (yesterday), which also takes undated entries and anything listed since midnight.
nightly_schedule = dg.build_schedule_from_partitioned_job(
    nightly_refresh,
    name="nightly_refresh_schedule",
    hour_of_day=2,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 Asia/Seoul: the news day that just ended.",
)
