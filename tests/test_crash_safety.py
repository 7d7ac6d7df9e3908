"""Crash safety: the nightly run killed (SIGKILL) at several points — while fetching, while parsing/loading,
while dbt builds — leaves a warehouse that opens, holds no half-written batch, and the next run completes
the work to exactly the marts a clean run produces. A second run while one is writing fails clearly."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.support.paths import REPO, SEED_CORPUS, needs_shared
from tests.test_pipeline_e2e import FACT_TABLES, SeedSite, snapshot

pytestmark = [pytest.mark.e2e, needs_shared]

SLOW_SECONDS = 0.25  # per page, so the fetch stage is long enough to be killed in


def sources_file(tmp: Path, base: str) -> Path:
    p = tmp / "sources.yaml"
    p.write_text(f"""
defaults:
  allow_private_hosts: true
  min_delay_s: {SLOW_SECONDS}
  per_host_concurrency: 1
  timeout_s: 5
  max_retries: 0
sources:
  - name: seed-sitemap
    kind: sitemap
    url: {base}/sitemap.xml
""", encoding="utf-8")
    return p


def run_cli(tmp: Path, sources: Path, warehouse: Path) -> subprocess.Popen:
    env = dict(os.environ, NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse),
               DAGSTER_HOME=str(tmp / "dagster_home"))
    (tmp / "dagster_home").mkdir(exist_ok=True)
    # the instance an operator has: the project's dagster.yaml (writer pool of one slot, run monitoring), kept
    # across the killed run and the next one
    shutil.copy(REPO / "dagster.yaml", tmp / "dagster_home" / "dagster.yaml")
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def invariants(warehouse: Path) -> list[str]:
    """Consistency rules that hold after any committed batch; a torn write would break one."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        has_raw = con.execute("select count(*) from information_schema.tables where table_schema='raw'").fetchone()[0]
        if not has_raw:
            return []
        problems = []
        rules = {
            "article without its parse": "select count(*) from raw.articles a where not exists (select 1 from "
                                         "raw.page_parses p where p.article_key = a.article_key and p.outcome='article')",
            "parse without its page": "select count(*) from raw.page_parses p where not exists "
                                      "(select 1 from raw.pages g where g.page_key = p.page_key)",
            "mentions without extraction record": "select count(*) from raw.sentences s where not exists "
                                                  "(select 1 from raw.extractions e where e.article_key = s.article_key)",
            "extraction without sentences": "select count(*) from raw.extractions e where not exists "
                                            "(select 1 from raw.sentences s where s.article_key = e.article_key)",
            "stored fetch without its page": "select count(*) from raw.fetch_log f where f.content_hash is not null "
                                             "and not exists (select 1 from raw.pages g where g.page_key = f.page_key)",
        }
        for name, sql in rules.items():
            n = con.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{name}: {n}")
        return problems
    finally:
        con.close()


@pytest.fixture(scope="module")
def slow_site():
    with SeedSite(delay_s=SLOW_SECONDS) as site:
        yield site


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory, slow_site):
    tmp = tmp_path_factory.mktemp("clean")
    warehouse = tmp / "news.duckdb"
    started = time.monotonic()
    proc = run_cli(tmp, sources_file(tmp, slow_site.base), warehouse)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out.decode()
    return {"marts": snapshot(warehouse), "seconds": time.monotonic() - started}


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.8])
def test_killed_run_leaves_a_consistent_warehouse_and_the_next_run_completes(tmp_path, slow_site, clean_run, fraction):
    warehouse = tmp_path / "news.duckdb"
    sources = sources_file(tmp_path, slow_site.base)
    proc = run_cli(tmp_path, sources, warehouse)
    time.sleep(clean_run["seconds"] * fraction)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    if warehouse.exists():
        assert invariants(warehouse) == []
    again = run_cli(tmp_path, sources, warehouse)
    out, _ = again.communicate(timeout=300)
    assert again.returncode == 0, out.decode()
    assert invariants(warehouse) == []
    after = snapshot(warehouse)
    for table in FACT_TABLES:
        assert after[table] == clean_run["marts"][table], table


def test_a_second_writer_fails_clearly_while_one_is_writing(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); c.execute('create table t(x int)'); "
        "print('locked', flush=True); time.sleep(60)"), str(warehouse)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  - name: seeds\n    kind: html_dir\n    path: {SEED_CORPUS}\n", encoding="utf-8")
        proc = run_cli(tmp_path, sources, warehouse)
        out, _ = proc.communicate(timeout=300)
        text = out.decode()
        assert proc.returncode != 0
        assert "lock" in text.lower(), text[-2000:]
    finally:
        holder.kill()
        holder.wait()
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from t").fetchone()[0] == 0
    con.close()
