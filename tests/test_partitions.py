"""News-day partitions: what a night takes, what a backfill adds, and that the marts follow."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions
from pipelines.partitions import NEWS_DAYS, SEOUL, newest_news_day, range_tags, window_for
from pipelines.settings import PROJECT_DIR, Settings
from tests.support.http_server import serve_listed_pages

DEMO_PAGES = PROJECT_DIR / "demo" / "pages"


# ---------------------------------------------------------------- the window, pure

def test_the_newest_news_day_is_the_seoul_day_that_just_ended():
    # 01:00 in Seoul on the 21st is still the 20th in UTC: the newest complete Seoul day is the 20th
    assert newest_news_day(datetime(2026, 11, 20, 16, 0, tzinfo=UTC)) == "2026-11-20"
    assert newest_news_day(datetime(2026, 11, 20, 14, 59, tzinfo=UTC)) == "2026-11-19"  # 23:59 KST on the 20th
    assert newest_news_day(datetime(2026, 11, 21, 2, 0, tzinfo=SEOUL)) == "2026-11-20"


def test_our_newest_day_is_dagsters_last_partition():
    assert newest_news_day() == NEWS_DAYS.get_last_partition_key()


def test_a_closed_window_takes_only_its_days_in_seoul_time():
    w = window_for("2025-03-01", "2025-03-02", now=datetime(2026, 1, 1, tzinfo=SEOUL))
    assert not w.open_ended
    assert w.admits(datetime(2025, 3, 1, 0, 0, tzinfo=SEOUL))
    assert w.admits(datetime(2025, 3, 2, 23, 59, tzinfo=SEOUL))
    assert not w.admits(datetime(2025, 3, 3, 0, 0, tzinfo=SEOUL))
    assert not w.admits(datetime(2025, 2, 28, 23, 59, tzinfo=SEOUL))
    # 2025-02-28 15:30 UTC is 2025-03-01 00:30 in Seoul
    assert w.admits(datetime(2025, 2, 28, 15, 30, tzinfo=UTC))
    assert not w.admits(None), "an undated entry belongs to the newest night only"


def test_the_newest_window_also_takes_undated_and_later_entries():
    now = datetime(2026, 11, 21, 2, 0, tzinfo=SEOUL)
    w = window_for("2026-11-20", "2026-11-20", now=now)
    assert w.open_ended
    assert w.admits(None)
    assert w.admits(datetime(2026, 11, 21, 1, 30, tzinfo=SEOUL))
    assert not w.admits(datetime(2026, 11, 19, 23, 0, tzinfo=SEOUL)), "older days are backfills' business"


@pytest.mark.parametrize("first,last,message", [
    ("2025-03-05", "2025-03-01", "ends before it starts"),
    ("2019-12-31", "2020-01-02", "news days run from 2020-01-01"),
    ("2026-11-21", "2026-11-21", "news days run from"),
    ("2025-3-1", "2025-03-02", "YYYY-MM-DD"),
])
def test_a_bad_range_is_refused_with_a_reason(first, last, message):
    with pytest.raises(ValueError, match=message):
        window_for(first, last, now=datetime(2026, 11, 21, 2, 0, tzinfo=SEOUL))


def test_the_schedule_runs_the_day_that_just_ended_at_two_in_seoul():
    defs = build_definitions(Settings(sources_path=PROJECT_DIR / "demo" / "sources.yaml",
                                      warehouse_path=PROJECT_DIR / "warehouse" / "unused.duckdb"))
    schedule = defs.resolve_schedule_def("nightly_refresh_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Seoul")
    tick = datetime(2026, 11, 21, 2, 0, tzinfo=SEOUL)
    with dg.build_schedule_context(scheduled_execution_time=tick) as ctx:
        result = schedule.evaluate_tick(ctx)
    assert [r.partition_key for r in result.run_requests] == ["2026-11-20"]


# ---------------------------------------------------------------- a night, then a backfill, over HTTP

def _day(offset: int) -> date:
    return date.fromisoformat(newest_news_day()) - timedelta(days=offset)


# page -> the listing date its sitemap entry carries (None: undated)
LISTING = {
    "demo-001.html": 0,      # the newest day
    "demo-002.html": None,   # undated
    "demo-003.html": 2,      # a missed night
    "demo-004.html": 4,      # another missed night
    "demo-005.html": 4,
    "demo-006.html": 9,      # outside the backfill below
}


def _fetched(warehouse) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {r[0].rsplit("/", 1)[1] for r in con.execute(
            "select url from marts.fct_fetches where outcome = 'ok' and url like '%/news/%'").fetchall()}
    finally:
        con.close()


def _counts(warehouse) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("raw.pages", "raw.articles", "raw.sentences", "marts.dim_articles", "marts.fct_budgets")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("partitions")
    pages = {page: (DEMO_PAGES / page).read_bytes() for page in LISTING}
    lastmod = {page: None if off is None else f"{_day(off).isoformat()}T10:00:00+09:00" for page, off in LISTING.items()}
    with serve_listed_pages(pages, lastmod, tmp) as (srv, sources):
        warehouse = tmp / "news.duckdb"
        job = build_definitions(Settings(sources_path=sources, warehouse_path=warehouse)).resolve_job_def(
            "nightly_refresh")
        instance = dg.DagsterInstance.ephemeral()
        out = {"instance": instance, "warehouse": warehouse}
        out["night"] = job.execute_in_process(instance=instance, partition_key=newest_news_day())
        out["after_night"], out["counts_night"] = _fetched(warehouse), _counts(warehouse)
        backfill = range_tags(_day(4).isoformat(), _day(2).isoformat())
        out["backfill"] = job.execute_in_process(instance=instance, tags=backfill)
        out["after_backfill"], out["counts_backfill"] = _fetched(warehouse), _counts(warehouse)
        before_again = srv.count()
        out["again"] = job.execute_in_process(instance=instance, tags=backfill)
        out["again_requests"] = srv.requests[before_again:]
        out["counts_again"] = _counts(warehouse)
        yield out


@pytest.mark.e2e
def test_the_nightly_partition_takes_its_day_and_undated_entries_only(nights):
    assert nights["night"].success
    assert nights["after_night"] == {"demo-001.html", "demo-002.html"}


@pytest.mark.e2e
def test_a_backfill_of_missed_days_is_one_run_that_adds_exactly_those_days(nights):
    assert nights["backfill"].success
    assert nights["after_backfill"] == {"demo-001.html", "demo-002.html", "demo-003.html", "demo-004.html",
                                        "demo-005.html"}, "day -9 lies outside the backfilled range"


@pytest.mark.e2e
def test_the_marts_are_rebuilt_after_the_backfill(nights):
    night, backfill = nights["counts_night"], nights["counts_backfill"]
    assert night["marts.dim_articles"] == 2
    assert backfill["marts.dim_articles"] == 5
    assert backfill["marts.fct_budgets"] > night["marts.fct_budgets"]
    con = duckdb.connect(str(nights["warehouse"]), read_only=True)
    try:
        urls = {r[0] for r in con.execute("select url from marts.dim_articles").fetchall()}
    finally:
        con.close()
    # the marts hold exactly the fetched pages' articles (their canonical URLs)
    assert urls == {re.search(r'rel="canonical" href="([^"]+)"', (DEMO_PAGES / p).read_text("utf-8")).group(1)
                    for p in nights["after_backfill"]}


@pytest.mark.e2e
def test_dagster_records_every_backfilled_day_as_materialised(nights):
    done = nights["instance"].get_materialized_partitions(dg.AssetKey(["raw", "pages"]))
    expected = {newest_news_day()} | {(_day(4) + timedelta(days=i)).isoformat() for i in range(3)}
    assert done == expected


@pytest.mark.e2e
def test_backfilling_the_same_days_again_adds_nothing_and_asks_with_validators(nights):
    assert nights["again"].success
    assert nights["counts_again"] == nights["counts_backfill"]
    page_requests = [r for r in nights["again_requests"] if r.path.startswith("/news/")]
    assert len(page_requests) == 3
    assert all(r.headers.get("if-none-match") for r in page_requests)


@pytest.mark.e2e
def test_the_window_is_shown_on_the_discovery_materialisation(nights):
    mats = [e.materialization for e in nights["backfill"].get_asset_materialization_events()
            if e.materialization.asset_key == dg.AssetKey(["raw", "discovered_urls"])]
    assert mats, "discovered_urls was not materialised"
    meta = mats[0].metadata
    assert meta["news_days"].value == f"{_day(4)}..{_day(2)}"
    assert meta["listed_on_other_days"].value == 3  # the newest day's, the undated and day -9's entries



@pytest.mark.e2e
def test_the_cli_refuses_a_backfill_into_the_future_before_touching_anything(tmp_path):
    import os
    import subprocess
    import sys

    warehouse = tmp_path / "news.duckdb"
    env = dict(os.environ, NEWS_WAREHOUSE=str(warehouse), DAGSTER_HOME=str(tmp_path))
    tomorrow = (date.fromisoformat(newest_news_day()) + timedelta(days=2)).isoformat()
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--from", "2025-01-01", "--to", tomorrow],
                          env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "news days run from 2020-01-01 to" in proc.stderr
    assert not warehouse.exists()
