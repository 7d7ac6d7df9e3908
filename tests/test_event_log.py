"""The Dagster instance's SQLite event log (pipelines/event_log.py): Dagster's run-sharded SQLite files, written
through one open connection per file in every process that loads the code.

A ranged run of news days still leaves one materialisation per day per asset (what the UI shows per partition), a
failed ranged run still marks its days failed, the connections opened by a run do not grow with its days, another
process sees every commit (and Dagster's live log watcher wakes on it), and a process that dies without closing
its connections loses no committed event. The instance's SQLite connections commit with synchronous=NORMAL in WAL.

Real parts: a temporary DAGSTER_HOME holding the repo's dagster.yaml, real SQLite files, real in-process runs over
the project's news-day partitions with the project's backfill policy (the whole range in one run), real second
processes. The stand-in job is bench/event_log.py's (the benchmark of this storage)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
import time

import dagster as dg
import pytest
from dagster._core.events.log import EventLogEntry
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

import pipelines.definitions  # noqa: F401 - installs the event log's commit mode, as every process loading the code does
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from bench.event_log import stand_in_job
from pipelines import event_log
from pipelines.event_log import (
    use_dagster_event_log_connections,
    use_normal_sqlite_sync,
    use_pooled_event_log_connections,
)
from pipelines.partitions import NEWS_DAYS, range_tags
from tests.support.paths import REPO

DAYS = 5
KEYS = NEWS_DAYS.get_partition_keys()[-DAYS:]
RANGE_TAGS = range_tags(KEYS[0], KEYS[-1])


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A DAGSTER_HOME with the project's dagster.yaml, as `make` and the bench prepare it."""
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def instance(home):
    with dg.DagsterInstance.from_config(str(home)) as inst:
        yield inst


def _connections_opened(instance: dg.DagsterInstance, days: int) -> int:
    opened = []

    def count(*_args):
        opened.append(1)

    event.listen(Engine, "connect", count)
    try:
        keys = NEWS_DAYS.get_partition_keys()[-days:]
        assert stand_in_job().execute_in_process(instance=instance, tags=range_tags(keys[0], keys[-1])).success
    finally:
        event.remove(Engine, "connect", count)
    return len(opened)


def test_loading_the_code_pools_the_connections_of_dagsters_own_storage_files(instance, home):
    assert SqliteEventLogStorage._connect is event_log._connect  # installed by pipelines.definitions
    assert type(instance.event_log_storage) is SqliteEventLogStorage  # the project's dagster.yaml: Dagster's files
    assert (home / "history" / "runs" / "index.db").is_file()


def test_a_ranged_run_leaves_one_materialisation_per_day_per_asset(instance):
    result = stand_in_job().execute_in_process(instance=instance, tags=RANGE_TAGS)
    assert result.success
    assert len(instance.get_runs()) == 1  # the whole range in one run
    for name in ("days", "left", "right"):
        key = dg.AssetKey(["raw", name])
        assert instance.get_materialized_partitions(key) == set(KEYS)
        planned = instance.fetch_planned_materializations(key, limit=100).records
        assert sorted(r.partition_key for r in planned) == sorted(KEYS)  # one planned event per day, as before


def test_a_failed_ranged_run_marks_its_days_failed(instance):
    result = stand_in_job(fail=True).execute_in_process(instance=instance, tags=RANGE_TAGS, raise_on_error=False)
    assert not result.success
    status = instance.get_status_by_partition(dg.AssetKey(["raw", "days"]), KEYS, NEWS_DAYS)
    assert status == {k: dg.AssetPartitionStatus.FAILED for k in KEYS}


def test_the_connections_a_run_opens_do_not_grow_with_its_days(home, tmp_path_factory, monkeypatch):
    with dg.DagsterInstance.from_config(str(home)) as inst:
        short = _connections_opened(inst, 3)
    other = tmp_path_factory.mktemp("home_long")
    shutil.copy(REPO / "dagster.yaml", other / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(other))
    with dg.DagsterInstance.from_config(str(other)) as inst:
        long = _connections_opened(inst, 12)  # 4x the days: 4x the events
    assert long == short
    # Dagster's own connection handling opens connections per event: the same count grows with the days
    use_dagster_event_log_connections()
    try:
        with dg.DagsterInstance.local_temp(str(tmp_path_factory.mktemp("dagster_default"))) as inst:
            assert _connections_opened(inst, 12) > long + 3 * 12
    finally:
        use_pooled_event_log_connections()


def test_the_instance_sqlite_commits_with_synchronous_normal_in_wal(instance):
    stand_in_job().execute_in_process(instance=instance, tags=RANGE_TAGS)
    with instance.event_log_storage.index_connection() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL (SQLite's default FULL is 2)


# a second process on the same DAGSTER_HOME writes user events into one run's shard, keeping its connection open.
# It first opens the shard (Dagster creates the file through a short-lived connection, whose close checkpoints
# into <run_id>.db) and says "ready"; it writes when the parent says so. `end`: "clean" (instance disposed) or
# "crash" (os._exit: no connection closed, no checkpoint).
WRITER = textwrap.dedent("""
    import logging, os, sys, time
    import dagster as dg
    from dagster._core.events.log import EventLogEntry
    from pipelines.event_log import use_pooled_event_log_connections
    use_pooled_event_log_connections()  # as when the code loads (a run worker)
    run_id, count, end = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    instance = dg.DagsterInstance.get()
    instance.get_records_for_run(run_id)
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        instance.event_log_storage.store_event(EventLogEntry(
            error_info=None, level=logging.INFO, user_message=f"event {i}", run_id=run_id, timestamp=time.time()))
    print("written", flush=True)
    sys.stdin.readline()  # the parent says when to end
    if end == "crash":
        os._exit(0)
    instance.dispose()
""")


def _writer(run_id: str, count: int, end: str, settle_s: float = 0.0) -> subprocess.Popen:
    """The writer process, once it has written its events (`settle_s` after it opened the shard)."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, run_id, str(count), end], cwd=REPO, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(settle_s)
    proc.stdin.write("go\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "written"
    return proc


def _end(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0


def _messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [r.event_log_entry.user_message for r in instance.get_records_for_run(run_id).records]


def test_another_process_sees_each_commit_and_the_run_log_watcher_wakes(instance):
    run_id = "watched-run"
    seen: list[str] = []
    all_seen = threading.Event()

    def on_event(entry: EventLogEntry, _cursor: str) -> None:
        seen.append(entry.user_message)
        if len(seen) == 3:
            all_seen.set()

    instance.watch_event_logs(run_id, None, on_event)  # what the webserver does for a run's live log
    try:
        # the watcher has handled the file changes of the shard's creation before the events are written
        writer = _writer(run_id, 3, "clean", settle_s=2.0)
        try:
            # the writer still holds its connection: its commits are in the WAL, not yet in <run_id>.db
            assert _messages(instance, run_id) == ["event 0", "event 1", "event 2"]
            assert all_seen.wait(timeout=30), f"the watcher saw {seen}"
        finally:
            _end(writer)
    finally:
        instance.end_watch_event_logs(run_id, on_event)
    assert seen == ["event 0", "event 1", "event 2"]


def test_a_process_that_dies_with_open_connections_loses_no_committed_event(home):
    writer = _writer("crashed-run", 4, "crash")
    _end(writer)
    with dg.DagsterInstance.from_config(str(home)) as inst:
        assert _messages(inst, "crashed-run") == [f"event {i}" for i in range(4)]


def test_installing_twice_adds_one_listener():
    use_normal_sqlite_sync()
    use_normal_sqlite_sync()
    assert event.contains(Engine, "connect", event_log._on_connect)
    event.remove(Engine, "connect", event_log._on_connect)  # exactly one registration: one removal clears it
    assert not event.contains(Engine, "connect", event_log._on_connect)
    use_normal_sqlite_sync()



def test_installing_the_pooled_connections_twice_keeps_dagsters_methods_to_restore():
    use_pooled_event_log_connections()
    use_pooled_event_log_connections()
    use_dagster_event_log_connections()
    try:
        assert SqliteEventLogStorage._connect is not event_log._connect
        assert SqliteEventLogStorage.store_event.__module__.startswith("dagster.")
    finally:
        use_pooled_event_log_connections()
    assert SqliteEventLogStorage._connect is event_log._connect
