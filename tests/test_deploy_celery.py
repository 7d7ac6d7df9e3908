"""The fan-out of deploy/ for real on 127.0.0.1 (issue 20): a backfill of news days on the Celery executor, split
into several runs (NEWS_BACKFILL_DAYS_PER_RUN -> BackfillPolicy.multi_run), steps executed by the two Celery
workers on the Redis broker; one worker SIGKILLed in the middle of a step; the backfill still finishes and the
marts equal those of an in-process run (`pipelines.cli run --from --to`, one process) over the same days.

A small generated corpus (bench/scale_corpus.py, PAGES pages) is served by bench/scale_server.py with its
sitemap dates folded onto the last DAYS news days."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from bench.fanout import (clean_env, deploy, launch_backfill, news_days, step_executions,
                          wait_backfill)
from bench.scale import sources_yaml
from bench.scale_corpus import ensure_corpus
from bench.scale_server import running
from pipelines.days import newest_news_day
from pipelines.warehouse.checksum import marts_checksums
from tests.support.paths import REPO
from tests.support.system_packages import require_postgres_and_redis

pytestmark = pytest.mark.e2e

PAGES, DAYS, DAYS_PER_RUN = 60, 4, 2
RUNS = DAYS // DAYS_PER_RUN
# a task is handed to another worker once unacknowledged this long: longer than any step of this small
# backfill (dbt build, the longest, takes about 100 s on a loaded 2-core machine)
VISIBILITY_TIMEOUT_S = 200
BACKFILL_TIMEOUT_S = 1500
KILLED_STEP = "news_dbt_models"


def pid_alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.fixture(scope="module")
def site():
    folder, _, _ = ensure_corpus(PAGES, workers=1)
    last_day = newest_news_day()
    with running(folder, date.fromisoformat(last_day), DAYS) as server:
        yield {"server": server, "days": news_days(last_day, DAYS)}


@pytest.fixture(scope="module")
def root():
    require_postgres_and_redis()
    # not under pytest's tmp dir: that is mode 0700 and PostgreSQL runs as another user when we are root
    path = Path(tempfile.mkdtemp(prefix="deploy-celery-test-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def sources(site, root):
    path = root / "sources.yaml"
    path.write_text(sources_yaml(site["server"].url("/sitemap.xml"), 8), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def in_process_marts(site, root, sources):
    """The reference: the same days in one in-process run of the nightly job (the README's backfill command)."""
    warehouse = root / "reference" / "news.duckdb"
    env = clean_env(NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse),
                    DAGSTER_HOME=str(root / "reference" / "dagster_home"))
    Path(env["DAGSTER_HOME"]).mkdir(parents=True)
    shutil.copyfile(REPO / "dagster.yaml", Path(env["DAGSTER_HOME"]) / "dagster.yaml")
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--from", site["days"][0],
                           "--to", site["days"][-1]], env=env, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return marts_checksums(warehouse)


@pytest.fixture(scope="module")
def backfill_with_a_worker_killed(site, root, sources):
    """The deployment with NEWS_BACKFILL_DAYS_PER_RUN; a backfill of DAYS news days launched through the
    webserver; when a worker starts the dbt step of the first run, that worker is SIGKILLed."""
    warehouse = root / "fanout" / "news.duckdb"
    env = clean_env(NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse),
                    NEWS_BACKFILL_DAYS_PER_RUN=str(DAYS_PER_RUN),
                    NEWS_CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT_S), NEWS_CELERY_RESTORE_INTERVAL="2")
    state = root / "state"
    started = deploy("start", state, env)
    info: dict = {"state": state, "env": env, "warehouse": warehouse, "killed": None}
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        config = json.loads((state / "deploy.json").read_text())
        pids = {name: entry["pid"] for name, entry in json.loads((state / "pids.json").read_text()).items()}
        info.update(config=config, pids=pids)
        backfill = launch_backfill(config["web_port"], site["days"])

        def kill_the_worker_running_dbt(runs: dict) -> None:
            if info["killed"] is not None or not runs:
                return
            for run_id, step_key, worker in step_executions(config, list(runs)):
                if step_key == KILLED_STEP:
                    os.kill(pids[worker], signal.SIGKILL)
                    info["killed"] = {"worker": worker, "run_id": run_id, "at": time.monotonic()}
                    return

        began = time.monotonic()
        info["runs"] = wait_backfill(config, backfill, RUNS, BACKFILL_TIMEOUT_S, on_poll=kill_the_worker_running_dbt)
        info["seconds"] = time.monotonic() - began
        info["backfill"] = backfill
        info["executions"] = step_executions(config, list(info["runs"]))
        yield info
    finally:
        deploy("stop", state, env)


def test_the_deployment_runs_redis_and_two_celery_workers(backfill_with_a_worker_killed):
    pids = backfill_with_a_worker_killed["pids"]
    assert {"redis", "celery_worker_1", "celery_worker_2"} <= set(pids)
    assert len(set(pids.values())) == len(pids)


def test_the_backfill_became_several_runs_that_all_succeeded(backfill_with_a_worker_killed):
    runs = backfill_with_a_worker_killed["runs"]
    logs = backfill_with_a_worker_killed["state"] / "logs"
    assert len(runs) == RUNS, runs
    assert sorted(r["status"] for r in runs.values()) == ["SUCCESS"] * RUNS, \
        (logs / "daemon.log").read_text()[-3000:]


def test_steps_ran_on_both_workers(backfill_with_a_worker_killed):
    executions = backfill_with_a_worker_killed["executions"]
    assert {worker for _, _, worker in executions} == {"celery_worker_1", "celery_worker_2"}, executions


def test_the_step_of_the_killed_worker_was_run_again_by_the_other(backfill_with_a_worker_killed):
    killed = backfill_with_a_worker_killed["killed"]
    assert killed is not None, "no dbt step was seen starting: the worker was never killed"
    assert not pid_alive(backfill_with_a_worker_killed["pids"][killed["worker"]])
    executions = backfill_with_a_worker_killed["executions"]
    attempts = [i for i, (run_id, step, _) in enumerate(executions)
                if run_id == killed["run_id"] and step == KILLED_STEP]
    other = ({"celery_worker_1", "celery_worker_2"} - {killed["worker"]}).pop()
    assert [executions[i][2] for i in attempts] == [killed["worker"], other], executions
    # from then on every step went to the surviving worker
    assert {worker for _, _, worker in executions[attempts[-1]:]} == {other}


def test_the_marts_equal_those_of_an_in_process_run_over_the_same_days(backfill_with_a_worker_killed,
                                                                        in_process_marts):
    fanned_out = marts_checksums(backfill_with_a_worker_killed["warehouse"])
    assert set(fanned_out) == set(in_process_marts) and len(fanned_out) >= 10
    assert fanned_out["marts.dim_articles"][0] > 0  # the corpus's articles are there
    assert fanned_out == in_process_marts
