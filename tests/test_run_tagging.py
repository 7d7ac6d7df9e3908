"""Which process a daemon- or UI-launched run records as its worker (pipelines.runs.tag_run_process): the process
that emitted the run's start event, whether the tagging step runs in it (the in-process executor; under a gRPC
code server that worker is itself a multiprocessing child of the code server) or in a child of it (a
multiprocess executor's step)."""
from __future__ import annotations

import multiprocessing
import os
import shutil

import dagster as dg
import pytest

from pipelines import runs
from tests.support.paths import REPO

pytestmark = pytest.mark.e2e  # spawns a process that imports Dagster (about 20 s)


@dg.op
def idle() -> None:
    pass


@dg.job
def idle_job() -> None:
    idle()


def emit_run_start(instance: dg.DagsterInstance, run_id: str) -> None:
    run = instance.get_run_by_id(run_id)
    instance.report_dagster_event(dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value,
                                                  job_name=run.job_name, pid=os.getpid()), run_id=run_id)


def child(home: str, run_id: str, start_here: bool) -> None:
    with dg.DagsterInstance.from_config(home) as instance:
        if start_here:
            emit_run_start(instance, run_id)
        runs.tag_run_process(instance, run_id)


def tagged_pid(tmp_path, *, start_in_child: bool) -> tuple[int, int, int]:
    """(tagged pid, this process, the child) after a spawned child tags the run."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run_id = instance.create_run_for_job(job_def=idle_job).run_id
        if not start_in_child:
            emit_run_start(instance, run_id)
    proc = multiprocessing.get_context("spawn").Process(target=child, args=(str(home), run_id, start_in_child))
    proc.start()
    proc.join(120)
    assert proc.exitcode == 0
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return int(instance.get_run_by_id(run_id).tags[runs.TAG_PID]), os.getpid(), proc.pid


def test_a_run_worker_that_is_a_multiprocessing_child_records_itself_not_its_parent(tmp_path):
    tagged, parent, worker = tagged_pid(tmp_path, start_in_child=True)
    assert tagged == worker != parent


def test_a_step_process_under_the_run_worker_records_the_run_worker(tmp_path):
    tagged, parent, worker = tagged_pid(tmp_path, start_in_child=False)
    assert tagged == parent != worker
