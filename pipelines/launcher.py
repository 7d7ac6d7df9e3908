"""The run launcher of this project's Dagster instance (`dagster.yaml`): Dagster's DefaultRunLauncher plus a run
worker health check, so the daemon's run monitoring fails a run whose process died (SIGKILL, OOM, reboot) and
frees its pool slots (`free_slots_after_run_end_seconds`) instead of letting the `duckdb_writer` pool block every
later night. DefaultRunLauncher alone cannot tell a dead run worker from a live one.

The run worker's process comes from the run's `news/*` tags (pipelines/runs.py) or, for a run that no step has
tagged yet, from the pid Dagster records on the run's start event (`runs.worker_state`).
"""
from __future__ import annotations

from typing import Any

from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus

from .runs import worker_state


class ProcessCheckingRunLauncher(DefaultRunLauncher):
    """DefaultRunLauncher whose run worker health check looks at the worker's process on this machine."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: Any) -> CheckRunHealthResult:
        state, how = worker_state(self._instance, run)
        if state == "gone":
            return CheckRunHealthResult(WorkerStatus.FAILED, f"run worker {how} is gone")
        # alive, or not known yet (a run waiting for its first step): a run monitoring timeout still applies
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"run worker {how}: {state}")
