"""The production shape of the Dagster deployment (deploy/, `make deploy-local` / `make deploy-stop`), for real on
127.0.0.1: PostgreSQL from Debian's binaries holding the instance, a gRPC code server, dagster-webserver and
dagster-daemon as separate processes. A run of the nightly job over the bundled demo corpus is submitted through
the webserver's GraphQL API; the daemon's run queue hands it to the run launcher, which starts a run worker
through the code server. The runs table and event log are read back from PostgreSQL with psycopg2."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psycopg2
import pytest
from dagster_graphql import DagsterGraphQLClient

from pipelines.days import newest_news_day
from tests.support.paths import REPO
from tests.support.system_packages import require_postgres_and_redis

pytestmark = [pytest.mark.e2e,
              pytest.mark.filterwarnings("ignore:Using variable_values and operation_name:DeprecationWarning")]

LOCAL_PY = REPO / "deploy" / "local.py"
RUN_TIMEOUT_S = 420


def deploy(command: str, state: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(LOCAL_PY), command, "--state", str(state)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def pid_alive(pid: int) -> bool:
    """True if `pid` is a live process (a zombie waiting for its parent counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture(scope="module")
def deployment():
    require_postgres_and_redis()
    # not under pytest's tmp dir: that is mode 0700 and PostgreSQL runs as another user when we are root
    root = Path(tempfile.mkdtemp(prefix="deploy-test-"))
    root.chmod(0o755)
    state = root / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "DAGSTER_", "DEPLOY_"))}
    env["NEWS_WAREHOUSE"] = str(root / "warehouse" / "news.duckdb")  # NEWS_SOURCES unset: the demo corpus
    began = time.monotonic()
    started = deploy("start", state, env)
    info = {"root": root, "state": state, "env": env, "start": started, "start_s": time.monotonic() - began}
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        info["config"] = json.loads((state / "deploy.json").read_text())
        info["pids"] = {name: entry["pid"] for name, entry in json.loads((state / "pids.json").read_text()).items()}
        yield info
    finally:
        deploy("stop", state, env)
        shutil.rmtree(root, ignore_errors=True)


def pg_connect(config: dict):
    return psycopg2.connect(host="127.0.0.1", port=config["pg_port"], user=config["db_user"],
                            password=config["password"], dbname=config["db_name"])


def test_start_runs_seven_separate_processes_on_loopback(deployment):
    pids = deployment["pids"]
    assert set(pids) == {"postgres", "redis", "code_server", "celery_worker_1", "celery_worker_2", "webserver",
                         "daemon"}
    assert len(set(pids.values())) == 7 and all(pid_alive(p) for p in pids.values())
    config = deployment["config"]
    assert f"UI http://127.0.0.1:{config['web_port']}" in deployment["start"].stdout
    # PostgreSQL answers on 127.0.0.1 with the password, and is not running as root
    with pg_connect(config) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_database(), inet_server_addr()::text")
        assert cur.fetchone() == ("dagster", "127.0.0.1/32")
    assert os.stat(f"/proc/{pids['postgres']}").st_uid != 0


def test_a_second_start_reports_everything_running_and_keeps_the_pids(deployment):
    again = deploy("start", deployment["state"], deployment["env"])
    assert again.returncode == 0, again.stdout + again.stderr
    assert "everything was already running" in again.stdout
    for name, pid in deployment["pids"].items():
        assert re.search(rf"{name} already running \(pid {pid}\b", again.stdout), again.stdout
    after = json.loads((deployment["state"] / "pids.json").read_text())
    assert {name: entry["pid"] for name, entry in after.items()} == deployment["pids"]


@pytest.fixture(scope="module")
def nightly_run(deployment):
    """The nightly job for the newest news day, submitted to the webserver and run by the daemon."""
    client = DagsterGraphQLClient("127.0.0.1", port_number=deployment["config"]["web_port"])
    began = time.monotonic()
    run_id = client.submit_job_execution("nightly_refresh", repository_location_name="kr_smartcity_news",
                                         tags={"dagster/partition": newest_news_day()})
    status = None
    while time.monotonic() - began < RUN_TIMEOUT_S:
        status = client.get_run_status(run_id).value
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    return {"run_id": run_id, "status": status, "seconds": time.monotonic() - began}


def test_the_nightly_job_submitted_to_the_webserver_succeeds(deployment, nightly_run):
    logs = deployment["state"] / "logs"
    assert nightly_run["status"] == "SUCCESS", (logs / "daemon.log").read_text()[-3000:]


def test_the_run_and_its_events_are_in_postgres(deployment, nightly_run):
    run_id = nightly_run["run_id"]
    with pg_connect(deployment["config"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT status, partition FROM runs WHERE run_id = %s", (run_id,))
        assert cur.fetchone() == ("SUCCESS", newest_news_day())
        cur.execute("SELECT dagster_event_type, count(*) FROM event_logs WHERE run_id = %s GROUP BY 1", (run_id,))
        counts = dict(cur.fetchall())
    # queued by the webserver, dequeued and launched by the daemon, then every step of the job
    for kind in ("PIPELINE_ENQUEUED", "PIPELINE_STARTING", "PIPELINE_START", "PIPELINE_SUCCESS"):
        assert counts.get(kind) == 1, counts
    assert counts.get("STEP_SUCCESS", 0) >= 5 and "STEP_FAILURE" not in counts
    assert counts.get("ASSET_MATERIALIZATION", 0) > 0


def test_the_run_executed_in_its_own_worker_process(deployment, nightly_run):
    """The run worker is neither the webserver, the daemon nor the code server (nor the code server's loader
    child): the process that emitted the run's start event, recorded in the run's news/pid tag (pipelines/runs.py,
    which run monitoring checks; under Celery the run worker tags itself, pipelines/fanout.py, and the workers
    that execute the steps do not), and gone once the run ended while the services still run."""
    run_id = nightly_run["run_id"]
    with pg_connect(deployment["config"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT value FROM run_tags WHERE run_id = %s AND key = 'news/pid'", (run_id,))
        tagged = cur.fetchone()
        cur.execute("SELECT event FROM event_logs WHERE run_id = %s AND dagster_event_type = 'PIPELINE_START'",
                    (run_id,))
        (start_event,) = cur.fetchone()
        cur.execute("SELECT count(*) FROM event_logs WHERE run_id = %s AND dagster_event_type = 'ENGINE_EVENT' "
                    "AND event LIKE %s", (run_id, "%in celery worker%"))
        (celery_steps,) = cur.fetchone()
    worker = json.loads(start_event)["dagster_event"]["pid"]
    assert tagged is not None and int(tagged[0]) == worker
    assert celery_steps >= 5  # the steps were Celery tasks
    services = deployment["pids"]
    assert worker not in services.values()
    assert worker not in code_server_loaders(services["code_server"])
    deadline = time.monotonic() + 30  # the worker may still be closing down just after the run's success event
    while time.monotonic() < deadline and pid_alive(worker):
        time.sleep(0.2)
    assert not pid_alive(worker)
    assert all(pid_alive(p) for p in services.values())


def code_server_loaders(code_server: int) -> list[int]:
    """The children of `dagster code-server start` that load the code (`dagster api grpc`)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        if int(stat[stat.rindex(")") + 2:].split()[1]) == code_server and "api grpc" in cmdline:
            found.append(int(proc.name))
    assert found, "no code-loading child of the code server found"
    return found


def test_the_warehouse_got_the_demo_articles(deployment, nightly_run):
    warehouse = Path(deployment["env"]["NEWS_WAREHOUSE"])
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        articles = con.execute("SELECT count(*) FROM marts.dim_articles").fetchone()[0]
        budgets = con.execute("SELECT count(*) FROM marts.fct_budgets").fetchone()[0]
    finally:
        con.close()
    assert articles >= 5 and budgets > 0


def test_stop_ends_every_process_by_its_pid(deployment, nightly_run):
    stopped = deploy("stop", deployment["state"], deployment["env"])
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pid_alive(p) for p in deployment["pids"].values()):
        time.sleep(0.2)
    assert [name for name, pid in deployment["pids"].items() if pid_alive(pid)] == []
    assert not (deployment["state"] / "pids.json").exists()
    for name, pid in deployment["pids"].items():
        assert f"{name} stopped (pid {pid})" in stopped.stdout, stopped.stdout
