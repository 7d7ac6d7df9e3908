"""The shared warehouse (docs/scaling.md "The shared warehouse"): writers on their own working files publish each
run's raw rows as a commit of Parquet files under a data path, ordered by a catalog in a real PostgreSQL started
here (deploy/local.py's helpers); dbt's `shared` target builds the marts from the committed files; and those marts
are the single-file warehouse's over the same input."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import psycopg2
import pytest

from pipelines.days import newest_news_day
from pipelines.settings import DBT_PROJECT_DIR, SharedStore, dbt_executable, shared_store
from pipelines.warehouse.checksum import marts_checksums
from pipelines.warehouse.shared import SharedStoreError, publish
from tests.support.http_server import serve_listed_pages
from tests.support import system_packages
from tests.support.system_packages import require_postgres_and_redis
from tests.support.nights import nightly_job
from tests.support.paths import DEMO_DIR, REPO

deploy_local = system_packages.deploy_local()

# columns that name or time a run: two executions of the same input differ there and nowhere else
def _day(offset: int) -> str:
    return (date.fromisoformat(newest_news_day()) - timedelta(days=offset)).isoformat()


# page -> the news day (days before the newest) its sitemap entry is listed on: two closed days, one per writer
LISTING = {f"demo-{i:03d}.html": (2 if i % 2 else 4) for i in range(1, 13)}
DAYS = (_day(2), _day(4))


@pytest.fixture(scope="module")
def catalog():
    """A PostgreSQL of our own on 127.0.0.1 (deploy/local.py's helpers; `make test-deps` installs the server)."""
    require_postgres_and_redis(redis=False)
    root = Path(tempfile.mkdtemp(prefix="shared-wh-test-"))
    root.chmod(0o755)  # PostgreSQL runs as `postgres` when we are root: it must reach its folder
    state = deploy_local.State(root / "state")
    config = state.config()
    deploy_local.start_postgres(state, config)
    dsn = (f"postgresql://{config['db_user']}:{config['password']}@127.0.0.1:{config['pg_port']}/"
           f"{config['db_name']}")
    try:
        yield {"dsn": dsn, "root": root}
    finally:
        deploy_local.stop_postgres(state)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def built(catalog, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shared")
    pages = {page: (DEMO_DIR / "pages" / page).read_bytes() for page in LISTING}
    lastmod = {page: f"{_day(off)}T10:00:00+09:00" for page, off in LISTING.items()}
    with serve_listed_pages(pages, lastmod, tmp) as (_srv, sources):
        out: dict = {"tmp": tmp}

        # the single-file warehouse: one process, the two days one after the other, the whole nightly job
        single = tmp / "single" / "news.duckdb"
        job = nightly_job(sources, single)
        instance = dg.DagsterInstance.ephemeral()
        began = time.perf_counter()
        out["single_runs"] = [job.execute_in_process(instance=instance, partition_key=d).success for d in DAYS]
        out["single_s"] = time.perf_counter() - began
        out["single"] = single

        # the shared warehouse: two writer processes at once, one news day each, each on its own working file
        data_path = tmp / "lake"
        env = dict(os.environ, NEWS_DBT_TARGET="shared", NEWS_SHARED_CATALOG=catalog["dsn"],
                   NEWS_SHARED_DATA_PATH=str(data_path), DAGSTER_HOME=str(tmp / "home"))
        (tmp / "home").mkdir()
        began = time.perf_counter()
        writers = [subprocess.Popen([sys.executable, "-m", "tests.support.raw_writer", str(sources),
                                     str(tmp / f"writer{i}" / "news.duckdb"), day], env=env, cwd=REPO,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                   for i, day in enumerate(DAYS)]
        out["writers"] = [(w.wait(timeout=900), w.stdout.read()) for w in writers]
        out["writers_s"] = time.perf_counter() - began
        out["data_path"] = data_path

    out["incoming_after_writers"] = sorted((data_path / "_incoming").iterdir())
    # a writer that died before its commit's rename: its folder, with rows that would change the marts, must not
    # be read by anyone
    crashed = data_path / "_incoming" / "crashed-writer"
    shutil.copytree(data_path / "commits" / sorted(os.listdir(data_path / "commits"))[-1], crashed)
    con = duckdb.connect()
    con.execute(f"copy (select * replace ('HALF-WRITTEN' as title) from read_parquet('{crashed / 'articles.parquet'}')) "
                f"to '{crashed / 'articles.tmp.parquet'}' (format parquet)")
    con.close()
    os.replace(crashed / "articles.tmp.parquet", crashed / "articles.parquet")

    # dbt builds the marts from the committed files into the builder's own file
    marts = tmp / "builder" / "news.duckdb"
    marts.parent.mkdir()
    began = time.perf_counter()
    out["dbt"] = subprocess.run([dbt_executable(), "build", "--target", "shared", "--target-path",
                                 str(tmp / "dbt_target"), "--project-dir", str(DBT_PROJECT_DIR)],
                                env=dict(env, NEWS_WAREHOUSE=str(marts), DBT_PROFILES_DIR=str(DBT_PROJECT_DIR)),
                                cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=900)
    out["dbt_s"] = time.perf_counter() - began
    out["marts"] = marts
    out["catalog_rows"] = _catalog_rows(catalog["dsn"])
    print(f"\n[shared warehouse] single file, 2 days in turn: {out['single_s']:.1f}s; 2 writers at once: "
          f"{out['writers_s']:.1f}s; dbt build --target shared: {out['dbt_s']:.1f}s")
    return out


def _catalog_rows(dsn: str) -> list[tuple]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("select seq, name, run_id, row_counts from news_shared.commits order by seq")
            return cur.fetchall()
    finally:
        conn.close()


@pytest.mark.e2e
def test_two_writers_land_their_days_at_once_as_two_commits(built):
    assert all(rc == 0 for rc, _ in built["writers"]), "\n".join(log[-3000:] for _, log in built["writers"])
    commits = sorted(p.name for p in (built["data_path"] / "commits").iterdir())
    assert len(commits) == 2
    assert [r[1] for r in built["catalog_rows"]] == commits  # the catalog records each commit, in seq order
    counts = [json.loads(r[3]) for r in built["catalog_rows"]]
    assert all(c["articles"] > 0 and c["sentences"] > 0 for c in counts)  # each writer landed its own day
    assert sum(c["articles"] for c in counts) == len(LISTING)
    assert built["incoming_after_writers"] == []  # nothing half-written left behind


@pytest.mark.e2e
def test_the_shared_target_builds_the_marts_the_single_file_builds(built):
    assert built["single_runs"] == [True, True]
    assert built["dbt"].returncode == 0, built["dbt"].stdout[-4000:] + built["dbt"].stderr[-2000:]
    shared, single = marts_checksums(built["marts"]), marts_checksums(built["single"])
    assert shared["marts.dim_articles"][0] == len(LISTING)
    assert shared["marts.fct_budgets"][0] > 0
    assert shared == single  # the crashed writer's folder in _incoming changed nothing
    con = duckdb.connect(str(built["marts"]), read_only=True)
    try:
        assert con.execute("select count(*) from marts.dim_articles where title = 'HALF-WRITTEN'").fetchone()[0] == 0
    finally:
        con.close()


@pytest.mark.e2e
def test_a_publish_that_cannot_reach_the_catalog_commits_nothing_and_loses_nothing(built, catalog):
    working = built["tmp"] / "writer0" / "news.duckdb"
    con = duckdb.connect(str(working))
    try:
        mark = con.execute("select max(published_before) from raw.shared_published").fetchone()[0]
        assert mark is not None
        nowhere = SharedStore(catalog="postgresql://nobody:x@127.0.0.1:9/none", data_path=built["tmp"] / "lake2")
        with pytest.raises(SharedStoreError, match="unreachable"):
            publish(con, nowhere, "run-x")
        assert not (built["tmp"] / "lake2").exists()  # the catalog is asked first: nothing was written
        assert con.execute("select max(published_before) from raw.shared_published").fetchone()[0] == mark

        # the same writer publishing again with nothing new: a commit of no rows, after the others
        again = publish(con, SharedStore(catalog=catalog["dsn"], data_path=built["tmp"] / "lake2"), "run-y")
        assert set(again.row_counts.values()) == {0}
        assert again.seq > max(r[0] for r in built["catalog_rows"])
    finally:
        con.close()


def test_the_shared_target_needs_its_catalog_and_data_path():
    assert shared_store({}) is None
    with pytest.raises(RuntimeError, match="NEWS_SHARED_CATALOG and NEWS_SHARED_DATA_PATH"):
        shared_store({"NEWS_DBT_TARGET": "shared"})
    with pytest.raises(RuntimeError, match="PostgreSQL connection string"):
        shared_store({"NEWS_DBT_TARGET": "shared", "NEWS_SHARED_CATALOG": "ducklake:x.ducklake",
                      "NEWS_SHARED_DATA_PATH": "/tmp/x"})
