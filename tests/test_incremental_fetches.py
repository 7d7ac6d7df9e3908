"""The materialisations say what was new and what was updated, and marts.fct_fetches is incremental (one row per URL per run grows every night): a night adds its rows and
re-derives only what can have changed (re-parsed pages, removed articles); the result equals a full rebuild, and
`--full-refresh` is the path that rebuilds it whole."""
from __future__ import annotations

import os
import shutil
import subprocess

import dagster as dg
import duckdb
import pytest

from pipelines.partitions import newest_news_day
from pipelines.settings import DBT_PROJECT_DIR, PROJECT_DIR
from tests.support.http_server import conditional, html, robots_txt, serve
from tests.support.materializations import materialization_metadata
from tests.support.nights import nightly_job, urls_sources

pytestmark = pytest.mark.e2e

DEMO_PAGES = PROJECT_DIR / "demo" / "pages"
PAGES = ["demo-001.html", "demo-002.html", "demo-003.html", "demo-004.html"]
NOT_AN_ARTICLE = "<html><head><title>보도자료 목록</title></head><body><ul><li><a href='/a'>목록</a></li></ul></body></html>"


def _fetches(path) -> dict[str, tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {r[0]: r for r in con.execute("select * from marts.fct_fetches").fetchall()}
    finally:
        con.close()


def _dbt(*args: str, warehouse, target_path) -> None:
    env = dict(os.environ, NEWS_WAREHOUSE=str(warehouse), DBT_PROFILES_DIR=str(DBT_PROJECT_DIR))
    proc = subprocess.run([shutil.which("dbt", path=str(PROJECT_DIR / ".venv" / "bin")) or "dbt", *args,
                           "--target-path", str(target_path), "--project-dir", str(DBT_PROJECT_DIR)],
                          env=env, cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental-fetches")
    routes = {"/robots.txt": robots_txt("User-agent: *\nAllow: /\n")}
    for i, page in enumerate(PAGES):
        routes[f"/news/{page}"] = conditional(html((DEMO_PAGES / page).read_bytes()), etag=f'"v1-{i}"')
    with serve(routes) as srv:
        sources = urls_sources(tmp / "sources.yaml", [srv.url("/news/" + p) for p in PAGES], name="city-news")
        warehouse = tmp / "news.duckdb"
        job = nightly_job(sources, warehouse)
        instance = dg.DagsterInstance.ephemeral()
        first = job.execute_in_process(instance=instance, partition_key=newest_news_day())
        # a mark on one night-1 row that nothing tonight touches: an incremental build keeps it, a full one drops it
        untouched = srv.url("/news/demo-004.html")
        con = duckdb.connect(str(warehouse))
        con.execute("update marts.fct_fetches set error = 'kept-by-incremental' where url = ?", [untouched])
        con.close()
        # night 2: one page edited (new title, same body), one turned into a list page (article removed), one with
        # a paragraph more (article updated); the fourth unchanged (304)
        edited = (DEMO_PAGES / PAGES[0]).read_bytes().replace(b"</title>", " (수정)</title>".encode(), 1)
        srv.routes[f"/news/{PAGES[0]}"] = conditional(html(edited), etag='"v2-0"')
        srv.routes[f"/news/{PAGES[1]}"] = conditional(html(NOT_AN_ARTICLE), etag='"v2-1"')
        grown = (DEMO_PAGES / PAGES[2]).read_bytes().replace(
            b"</article>", "<br><br>시는 이 사업을 내년에 다른 구도심으로 넓힐 계획이라고 밝혔다.</article>".encode(), 1)
        srv.routes[f"/news/{PAGES[2]}"] = conditional(html(grown), etag='"v2-2"')
        second = job.execute_in_process(instance=instance, partition_key=newest_news_day())
        incremental = _fetches(warehouse)
        rebuilt_file = tmp / "rebuilt.duckdb"
        shutil.copy(warehouse, rebuilt_file)
        _dbt("run", "--full-refresh", "--select", "fct_fetches", warehouse=rebuilt_file, target_path=tmp / "target")
        yield {"first": first, "second": second, "incremental": incremental, "rebuilt": _fetches(rebuilt_file),
               "untouched": untouched, "srv": srv, "first_run": first.run_id, "second_run": second.run_id}


def test_the_model_is_incremental_on_fetch_id():
    sql = (DBT_PROJECT_DIR / "models" / "marts" / "fct_fetches.sql").read_text(encoding="utf-8")
    assert "materialized='incremental'" in sql and "unique_key='fetch_id'" in sql


def test_both_nights_succeed_and_each_url_has_a_row_per_night(nights):
    assert nights["first"].success and nights["second"].success
    runs = sorted({r[1] for r in nights["incremental"].values()})
    assert runs == sorted([nights["first_run"], nights["second_run"]])
    assert len(nights["incremental"]) == 2 * len(PAGES)


def test_an_untouched_old_row_is_not_rebuilt_but_a_full_refresh_rebuilds_it(nights):
    kept = [r for r in nights["incremental"].values() if r[3] == nights["untouched"] and r[1] == nights["first_run"]]
    assert [r[9] for r in kept] == ["kept-by-incremental"]
    rebuilt = [r for r in nights["rebuilt"].values() if r[3] == nights["untouched"] and r[1] == nights["first_run"]]
    assert [r[9] for r in rebuilt] == [None]


def test_the_incremental_table_equals_a_full_rebuild(nights):
    def without_mark(rows):
        return {k: v for k, v in rows.items() if v[9] != "kept-by-incremental"}
    inc, full = without_mark(nights["incremental"]), nights["rebuilt"]
    assert set(inc) | {k for k, v in nights["incremental"].items() if v[9] == "kept-by-incremental"} == set(full)
    for key, row in inc.items():
        assert row == full[key], (row, full[key])


def test_a_removed_article_is_no_longer_referenced_by_old_fetches(nights):
    listed = nights["srv"].url(f"/news/{PAGES[1]}")
    rows = {r[1]: r for r in nights["incremental"].values() if r[3] == listed}
    assert rows[nights["second_run"]][7] == "not_article"
    assert rows[nights["first_run"]][10] is None, "night 1's row still points at an article that is gone"


def test_the_first_night_reports_everything_new(nights):
    meta = materialization_metadata(nights["first"])
    assert (meta["discovered_urls"]["new_urls"], meta["discovered_urls"]["known_urls"]) == (4, 0)
    assert (meta["pages"]["new_pages"], meta["pages"]["updated_pages"]) == (4, 0)
    assert (meta["articles"]["new_articles"], meta["articles"]["updated_articles"]) == (4, 0)
    assert (meta["sentences"]["articles_new"], meta["sentences"]["articles_updated"]) == (4, 0)


def test_the_second_night_tells_new_from_updated(nights):
    meta = materialization_metadata(nights["second"])
    assert (meta["discovered_urls"]["new_urls"], meta["discovered_urls"]["known_urls"]) == (0, 4)
    assert (meta["pages"]["new_pages"], meta["pages"]["updated_pages"], meta["pages"]["not_modified"]) == (0, 3, 1)
    articles = meta["articles"]
    assert (articles["new_articles"], articles["updated_articles"], articles["reparsed_same_body"]) == (0, 1, 1)
    assert (meta["sentences"]["articles_new"], meta["sentences"]["articles_updated"]) == (0, 1)
