"""The Dagster instance's SQLite event log (pipelines/event_log.py): a ranged run of news days still leaves one
materialisation per day per asset (what the UI shows per partition), a failed ranged run still marks its days
failed, and the instance's SQLite connections commit with synchronous=NORMAL in WAL mode (no disk flush per event).

Real parts: a real SQLite DagsterInstance in a temporary folder, a real in-process run over the project's news-day
partitions with the project's backfill policy (the whole range in one run)."""
from __future__ import annotations

import dagster as dg
import pytest
from sqlalchemy import text

import pipelines.definitions  # noqa: F401 - installs the event log's commit mode, as every process loading the code does
from pipelines.assets.raw import fetch_side_backfill_policy
from pipelines.event_log import use_normal_sqlite_sync
from pipelines.partitions import NEWS_DAYS

DAYS = 5
KEYS = NEWS_DAYS.get_partition_keys()[-DAYS:]
RANGE_TAGS = {"dagster/asset_partition_range_start": KEYS[0], "dagster/asset_partition_range_end": KEYS[-1]}
POLICY = fetch_side_backfill_policy(None)


def _job(fail: bool) -> dg.JobDefinition:
    @dg.asset(key=["raw", "days"], partitions_def=NEWS_DAYS, backfill_policy=POLICY)
    def days(context) -> dg.MaterializeResult:
        if fail:
            raise RuntimeError("the stage failed")
        return dg.MaterializeResult(metadata={"news_days": len(context.partition_keys)})

    @dg.multi_asset(specs=[dg.AssetSpec(["raw", "left"], deps=[["raw", "days"]]),
                           dg.AssetSpec(["raw", "right"], deps=[["raw", "days"]])],
                    partitions_def=NEWS_DAYS, backfill_policy=POLICY)
    def pair(context):  # noqa: ARG001
        yield dg.MaterializeResult(asset_key=["raw", "left"])
        yield dg.MaterializeResult(asset_key=["raw", "right"])

    return dg.Definitions(assets=[days, pair]).resolve_implicit_global_asset_job_def()


@pytest.fixture
def instance(tmp_path):
    with dg.DagsterInstance.local_temp(str(tmp_path)) as inst:
        yield inst


def test_a_ranged_run_leaves_one_materialisation_per_day_per_asset(instance):
    result = _job(fail=False).execute_in_process(instance=instance, tags=RANGE_TAGS)
    assert result.success
    assert len(instance.get_runs()) == 1  # the whole range in one run
    for name in ("days", "left", "right"):
        key = dg.AssetKey(["raw", name])
        assert instance.get_materialized_partitions(key) == set(KEYS)
        planned = instance.fetch_planned_materializations(key, limit=100).records
        assert sorted(r.partition_key for r in planned) == sorted(KEYS)  # one planned event per day, as before


def test_a_failed_ranged_run_marks_its_days_failed(instance):
    result = _job(fail=True).execute_in_process(instance=instance, tags=RANGE_TAGS, raise_on_error=False)
    assert not result.success
    status = instance.get_status_by_partition(dg.AssetKey(["raw", "days"]), KEYS, NEWS_DAYS)
    assert status == {k: dg.AssetPartitionStatus.FAILED for k in KEYS}


def test_the_instance_sqlite_commits_with_synchronous_normal_in_wal(instance):
    _job(fail=False).execute_in_process(instance=instance, tags=RANGE_TAGS)
    with instance.event_log_storage.index_connection() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL (SQLite's default FULL is 2)


def test_installing_twice_adds_one_listener():
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from pipelines import event_log

    use_normal_sqlite_sync()
    use_normal_sqlite_sync()
    assert event.contains(Engine, "connect", event_log._on_connect)
    event.remove(Engine, "connect", event_log._on_connect)  # exactly one registration: one removal clears it
    assert not event.contains(Engine, "connect", event_log._on_connect)
    use_normal_sqlite_sync()
