"""Fan-out on Celery (issue 20): a backfill of news days over the deployment of deploy/ (`make deploy-local`:
PostgreSQL, Redis, two Celery workers, code server, webserver, daemon), at 1 and at 2 workers.

    python -m bench.fanout            # BENCH_FANOUT_PAGES (2000), BENCH_FANOUT_DAYS (14), BENCH_FANOUT_PER_RUN (2)

For each worker count, in a fresh temporary deployment and warehouse: the scale corpus (bench/scale_corpus.py)
served on 127.0.0.1 (one server for both: the port is part of every URL) with its sitemap's dates folded onto the last BENCH_FANOUT_DAYS news days; a backfill of
those days launched through the webserver's GraphQL API as a job backfill of `nightly_refresh`, split into runs
of BENCH_FANOUT_PER_RUN days (NEWS_BACKFILL_DAYS_PER_RUN: BackfillPolicy.multi_run); wall time from the launch
to the last run's end, pages/s (articles in the marts / wall time), and the marts' checksum (the same at 1 and
2 workers). "1 worker": the second worker is stopped before the launch.

The helpers (launch a backfill, wait for its runs, which worker ran which step) are also the e2e test's
(tests/test_deploy_celery.py).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_PY = ROOT / "deploy" / "local.py"
LOCATION = "kr_smartcity_news"
TERMINAL = ("SUCCESS", "FAILURE", "CANCELED")
WORKER_RE = re.compile(r"celery_worker_\d+@[\w.-]+")


def news_days(last_day: str, days: int) -> list[str]:
    last = date.fromisoformat(last_day)
    return [(last - timedelta(days=days - 1 - i)).isoformat() for i in range(days)]


def deploy(command: str, state: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(LOCAL_PY), command, "--state", str(state)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


def clean_env(**news: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "DAGSTER_", "DEPLOY_"))}
    env.update(news)
    return env


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", method="POST",
                                 data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


LAUNCH = """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message stack }
  ... on PartitionSetNotFoundError { message } ... on InvalidStepError { invalidStepKey }
  ... on InvalidOutputError { stepKey } ... on UnauthorizedError { message } } }"""


def launch_backfill(web_port: int, partitions: list[str], job: str = "nightly_refresh") -> str:
    """A job backfill of `partitions` through the webserver; the daemon's backfill loop splits it into runs by
    the job's backfill policy and submits them. Returns the backfill id."""
    params = {"selector": {"partitionSetName": f"{job}_partition_set",
                           "repositorySelector": {"repositoryLocationName": LOCATION,
                                                  "repositoryName": "__repository__"}},
              "partitionNames": partitions}
    answer = graphql(web_port, LAUNCH, {"params": params})
    result = (answer.get("data") or {}).get("launchPartitionBackfill") or {}
    if result.get("__typename") != "LaunchBackfillSuccess":
        raise RuntimeError(f"backfill not launched: {answer}")
    return result["backfillId"]


def pg_connect(config: dict):
    import psycopg2

    return psycopg2.connect(host="127.0.0.1", port=config["pg_port"], user=config["db_user"],
                            password=config["password"], dbname=config["db_name"])


def backfill_runs(config: dict, backfill_id: str) -> dict[str, dict]:
    """{run_id: {status, start, end (epoch s)}} of the backfill's runs, from the runs table."""
    with pg_connect(config) as conn, conn.cursor() as cur:
        cur.execute("SELECT r.run_id, r.status, r.start_time, r.end_time, r.create_timestamp FROM runs r "
                    "JOIN run_tags t ON t.run_id = r.run_id WHERE t.key = 'dagster/backfill' AND t.value = %s",
                    (backfill_id,))
        return {run_id: {"status": status, "start": start, "end": end, "created": created}
                for run_id, status, start, end, created in cur.fetchall()}


def backfill_status(config: dict, backfill_id: str) -> str | None:
    with pg_connect(config) as conn, conn.cursor() as cur:
        cur.execute("SELECT status FROM bulk_actions WHERE key = %s", (backfill_id,))
        row = cur.fetchone()
    return row[0] if row else None


def wait_backfill(config: dict, backfill_id: str, expected_runs: int, timeout_s: float,
                  on_poll=None) -> dict[str, dict]:
    """Until the backfill has submitted its runs and every one of them has ended (or timeout_s passes)."""
    deadline = time.monotonic() + timeout_s
    runs: dict[str, dict] = {}
    while time.monotonic() < deadline:
        runs = backfill_runs(config, backfill_id)
        status = backfill_status(config, backfill_id)
        if status not in (None, "REQUESTED") and len(runs) >= expected_runs and \
                all(r["status"] in TERMINAL for r in runs.values()):
            return runs
        if status in ("FAILED", "CANCELED"):
            return runs
        if on_poll is not None:
            on_poll(runs)
        time.sleep(2)
    return runs


def step_executions(config: dict, run_ids: list[str]) -> list[tuple[str, str, str]]:
    """(run_id, step_key, worker) for every "Executing steps ... in celery worker" event of the runs: which
    Celery worker started which step, in the order they did (a step re-run after a lost worker shows twice)."""
    with pg_connect(config) as conn, conn.cursor() as cur:
        cur.execute("SELECT run_id, step_key, event FROM event_logs WHERE run_id = ANY(%s) AND "
                    "dagster_event_type = 'ENGINE_EVENT' AND event LIKE %s ORDER BY id",
                    (list(run_ids), "%in celery worker%"))
        rows = cur.fetchall()
    found = []
    for run_id, step_key, event in rows:
        match = WORKER_RE.search(event)
        if match:
            found.append((run_id, step_key, match.group(0).split("@")[0]))
    return found


def stop_process(pid: int, timeout_s: float = 30) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        try:
            if "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text():
                return
        except OSError:
            return
        time.sleep(0.2)


# ---------------------------------------------------------------- the benchmark

def bench_once(workers: int, pages: int, days: int, per_run: int, root: Path, site, partitions: list[str]) -> dict:
    """One backfill at `workers` workers. `site` is the one scale server of both measurements: the pages' URLs
    (hence article ids) carry its port, so the two marts compare only when both read the same server."""
    from bench.scale import sources_yaml
    from pipelines.warehouse.checksum import marts_checksums

    import duckdb

    work = root / f"w{workers}"
    work.mkdir(parents=True)
    work.chmod(0o755)
    sources = work / "sources.yaml"
    sources.write_text(sources_yaml(site.url("/sitemap.xml"), 32), encoding="utf-8")
    warehouse = work / "warehouse" / "news.duckdb"
    env = clean_env(NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse),
                    NEWS_BACKFILL_DAYS_PER_RUN=str(per_run))
    state = work / "state"
    started = deploy("start", state, env)
    if started.returncode != 0:
        raise RuntimeError(started.stdout + started.stderr)
    try:
        config = json.loads((state / "deploy.json").read_text())
        pids = json.loads((state / "pids.json").read_text())
        if workers == 1:
            stop_process(pids["celery_worker_2"]["pid"])
        began = time.time()
        backfill = launch_backfill(config["web_port"], partitions)
        expected = -(-days // per_run)
        runs = wait_backfill(config, backfill, expected, timeout_s=3600)
        ended = max((r["end"] or time.time()) for r in runs.values()) if runs else time.time()
        wall = ended - began
        executions = step_executions(config, list(runs))
    finally:
        deploy("stop", state, env)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        articles = con.execute("select count(*) from marts.dim_articles").fetchone()[0]
        fetched = con.execute("select count(*) from raw.pages").fetchone()[0]
    finally:
        con.close()
    return {"workers": workers, "pages": pages, "days": days, "days_per_run": per_run, "runs": len(runs),
            "statuses": sorted(r["status"] for r in runs.values()), "wall_s": round(wall, 1),
            "pages_fetched": fetched, "articles": articles, "pages_per_s": round(fetched / wall, 2),
            "steps_per_worker": {w: sum(1 for e in executions if e[2] == w)
                                 for w in sorted({e[2] for e in executions})},
            "checksum": marts_checksums(warehouse), "loadavg_end": os.getloadavg()}


def main() -> int:
    pages = int(os.environ.get("BENCH_FANOUT_PAGES", "2000"))
    days = int(os.environ.get("BENCH_FANOUT_DAYS", "14"))
    per_run = int(os.environ.get("BENCH_FANOUT_PER_RUN", "2"))
    from bench.scale_corpus import ensure_corpus
    from bench.scale_server import running
    from pipelines.days import newest_news_day

    root = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    root.chmod(0o755)
    results = []
    folder, _, _ = ensure_corpus(pages)
    last_day = newest_news_day()
    try:
        with running(folder, date.fromisoformat(last_day), days) as site:
            for workers in (1, 2):
                print(f"[fanout] {workers} worker(s): backfill of {days} news days, {pages} pages, "
                      f"{per_run} days per run; load average {os.getloadavg()}", flush=True)
                result = bench_once(workers, pages, days, per_run, root, site, news_days(last_day, days))
                results.append(result)
                print(json.dumps({k: v for k, v in result.items() if k != "checksum"}), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    one, two = results
    print(f"[fanout] wall: 1 worker {one['wall_s']} s, 2 workers {two['wall_s']} s; "
          f"speed-up {one['wall_s'] / two['wall_s']:.2f}x; pages/s {one['pages_per_s']} vs {two['pages_per_s']}; "
          f"marts equal: {one['checksum'] == two['checksum']}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "fanout-latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
