"""A killed run never blocks the next night (issue: "Nothing stops the night", item 0).

Every test here uses one persistent DAGSTER_HOME holding the project's own dagster.yaml (the `duckdb_writer`
pool limited to one slot, run monitoring on, the project's run launcher), as `make` installs it for an operator:
* a run SIGKILLed while it holds the pool slot is reaped by the next `pipelines.cli run`, which completes;
* a slot held by a live run is waited for with a deadline, and the message says which run and step;
* SIGTERM and SIGINT end a run promptly: the run is marked failed, its slots are freed, the next run completes;
* under the daemon, run monitoring asks the project's launcher, which reports a dead run worker as failed.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines import runs
from pipelines.settings import DEFAULT_STOP_GRACE_S
from tests.support.paths import REPO
from tests.test_crash_safety import invariants, sources_file
from tests.test_pipeline_e2e import SeedSite

pytestmark = pytest.mark.e2e

POOL = "duckdb_writer"


@dg.op
def idle() -> None:
    pass


@dg.job
def idle_job() -> None:
    idle()


def dagster_home(tmp: Path) -> Path:
    home = tmp / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    return home


def cli_run(home: Path, sources: Path, warehouse: Path, **env: str) -> subprocess.Popen:
    environ = dict(os.environ, NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse), DAGSTER_HOME=str(home),
                   **env)
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run"], cwd=REPO, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def instance_at(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def wait_for_slot_claim(home: Path, proc: subprocess.Popen, timeout: float = 120) -> str:
    """The run id holding the writer slot once the CLI run has claimed it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode()
        with instance_at(home) as instance:
            storage = instance.event_log_storage
            if POOL in storage.get_concurrency_keys():
                claimed = storage.get_concurrency_info(POOL).claimed_slots
                if claimed:
                    return claimed[0].run_id
        time.sleep(0.3)
    raise AssertionError("the run never claimed the writer slot")


@pytest.fixture(scope="module")
def slow_site():
    with SeedSite(delay_s=0.6) as site:
        yield site


def test_project_instance_has_a_pool_limit_run_monitoring_and_the_checking_launcher(tmp_path):
    with instance_at(dagster_home(tmp_path)) as instance:
        assert instance.event_log_storage.get_pool_config().default_pool_limit == 1
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] > 0
        assert type(instance.run_launcher).__name__ == "ProcessCheckingRunLauncher"


def test_a_run_killed_while_holding_the_slot_is_reaped_and_the_next_run_completes(tmp_path, slow_site):
    home, warehouse = dagster_home(tmp_path), tmp_path / "news.duckdb"
    sources = sources_file(tmp_path, slow_site.base)
    first = cli_run(home, sources, warehouse)
    dead_run = wait_for_slot_claim(home, first)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    with instance_at(home) as instance:  # what the operator's instance looks like after the kill
        assert instance.get_run_by_id(dead_run).status == dg.DagsterRunStatus.STARTED
        assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots

    second = cli_run(home, sources, warehouse)
    out, _ = second.communicate(timeout=240)
    text = out.decode()
    assert second.returncode == 0, text[-3000:]
    assert f"reaped: run {dead_run}" in text
    assert "is gone" in text
    with instance_at(home) as instance:
        dead = instance.get_run_by_id(dead_run)
        assert dead.status == dg.DagsterRunStatus.FAILURE
        failure = instance.get_records_for_run(dead_run, of_type=dg.DagsterEventType.RUN_FAILURE).records
        assert "is gone" in failure[0].event_log_entry.dagster_event.message
        assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots == []
    assert invariants(warehouse) == []


def test_a_slot_held_by_a_live_run_is_waited_for_with_a_deadline_that_says_what_it_waited_for(tmp_path, slow_site):
    home, warehouse = dagster_home(tmp_path), tmp_path / "news.duckdb"
    sources = sources_file(tmp_path, slow_site.base)
    # a live holder: a run of this instance whose process (this test's) is alive and holds the writer slot
    with instance_at(home) as instance:
        holder = instance.create_run_for_job(job_def=idle_job, tags=runs.process_tags())
        instance.handle_run_event(holder.run_id, dg.DagsterEvent(
            event_type_value=dg.DagsterEventType.RUN_START.value, job_name=holder.job_name))
        instance.event_log_storage.initialize_concurrency_limit_to_default(POOL)
        assert instance.event_log_storage.claim_concurrency_slot(POOL, holder.run_id, "holder_step").is_claimed
    started = time.monotonic()
    proc = cli_run(home, sources, warehouse, NEWS_POOL_WAIT_S="3")
    out, _ = proc.communicate(timeout=120)
    text = out.decode()
    assert proc.returncode == 75, text[-3000:]
    assert f"held by run {holder.run_id}" in text
    assert "step holder_step" in text and "gave up after" in text
    assert time.monotonic() - started < 60
    with instance_at(home) as instance:  # the live holder was not touched
        assert instance.get_run_by_id(holder.run_id).status == dg.DagsterRunStatus.STARTED
        assert [s.run_id for s in instance.event_log_storage.get_concurrency_info(POOL).claimed_slots] == [
            holder.run_id]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_run_promptly_and_the_next_run_completes(tmp_path, slow_site, sig):
    home, warehouse = dagster_home(tmp_path), tmp_path / "news.duckdb"
    sources = sources_file(tmp_path, slow_site.base)
    proc = cli_run(home, sources, warehouse)
    run_id = wait_for_slot_claim(home, proc)
    sent = time.monotonic()
    os.kill(proc.pid, sig)  # the run's own process only, as systemd or a deploy script would
    out, _ = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    text = out.decode()
    assert took < DEFAULT_STOP_GRACE_S + 10, text[-3000:]
    assert proc.returncode == 128 + sig, text[-3000:]
    assert f"stopped by {signal.Signals(sig).name}" in text
    assert "Traceback" not in text  # tracebacks go to the log file, the console gets one line
    with instance_at(home) as instance:
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots == []
    if warehouse.exists():
        assert invariants(warehouse) == []
    again = cli_run(home, sources, warehouse)
    out, _ = again.communicate(timeout=240)
    assert again.returncode == 0, out.decode()[-3000:]


FORCED_STOP_SCRIPT = """
import subprocess, sys, time
import dagster as dg
from dagster._utils.interrupts import capture_interrupts
from pipelines import runs
from tests.test_run_hygiene import idle_job

instance = dg.DagsterInstance.from_config(sys.argv[1])
run = instance.create_run_for_job(job_def=idle_job, tags=runs.process_tags())
instance.handle_run_event(run.run_id, dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value,
                                                      job_name=run.job_name))
instance.event_log_storage.initialize_concurrency_limit_to_default("duckdb_writer")
instance.event_log_storage.claim_concurrency_slot("duckdb_writer", run.run_id, "step")
child = subprocess.Popen(["sleep", "300"])
with runs.StopGuard(instance, run.run_id, grace_s=1.0):
    # Dagster between steps or waiting for a pool slot: interrupts are captured and never acted on
    with capture_interrupts():
        print(run.run_id, child.pid, flush=True)
        time.sleep(120)
print("not stopped", flush=True)
"""


def test_a_run_stuck_where_dagster_swallows_signals_is_force_stopped_after_the_grace_period(tmp_path):
    home = dagster_home(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", FORCED_STOP_SCRIPT, str(home)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    run_id, child = proc.stdout.readline().decode().split()
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    text = out.decode()
    assert proc.returncode == 128 + signal.SIGTERM, text
    assert 1.0 <= took < 15, took
    assert "not stopped" not in text and "marked failed, pool slots freed" in text
    time.sleep(0.3)
    assert runs.process_state(runs.process_tags(int(child))) != "alive"  # child processes are ended too
    with instance_at(home) as instance:
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots == []


def test_daemon_run_monitoring_fails_a_dead_run_worker_and_frees_its_slot(tmp_path):
    """The daemon's own monitoring iterations, against the project's instance config."""
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import EmptyWorkspaceTarget
    from dagster._daemon.monitoring.concurrency import execute_concurrency_slots_iteration
    from dagster._daemon.monitoring.run_monitoring import execute_run_monitoring_iteration

    home = dagster_home(tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone_tags = runs.process_tags(gone.pid)
    gone.wait()
    with instance_at(home) as instance:
        dead = instance.create_run_for_job(job_def=idle_job, tags=gone_tags)
        alive = instance.create_run_for_job(job_def=idle_job, tags=runs.process_tags())
        for run in (dead, alive):
            instance.handle_run_event(run.run_id, dg.DagsterEvent(
                event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name))
        instance.event_log_storage.initialize_concurrency_limit_to_default(POOL)
        assert instance.event_log_storage.claim_concurrency_slot(POOL, dead.run_id, "step").is_claimed
        logger = logging.getLogger("test-run-monitoring")
        with WorkspaceProcessContext(instance, EmptyWorkspaceTarget()) as context:
            list(execute_run_monitoring_iteration(context, logger))
            assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
            assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
            # the slot is freed once the run has been over for free_slots_after_run_end_seconds
            record = instance.get_run_record_by_id(dead.run_id)
            time.sleep(max(0.0, record.end_time + instance.run_monitoring_settings[
                "free_slots_after_run_end_seconds"] + 1 - time.time()))
            list(execute_concurrency_slots_iteration(context, logger))
        assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots == []
