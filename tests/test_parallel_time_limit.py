"""A hard time budget per item (pipelines/parallel.py): an item over it is stopped and recorded with its reason,
the batch goes on, in a spawn worker, in the process's main thread (SIGALRM, the previous handler and timer
restored) and in another thread (a watchdog). The parse stage uses it: hostile pages served over HTTP finish
within the stated budgets, in process, in the worker pool and inside a Dagster run."""
from __future__ import annotations

import re
import signal
import threading
import time

import dagster as dg
import duckdb
import pytest

from pipelines import parallel, stages
from pipelines import warehouse as wh
from pipelines.parallel import ItemTimeout, each_within, item_seconds, time_limit
from pipelines.partitions import newest_news_day
from pipelines.sources.config import load_sources
from tests.support.http_server import html, serve
from tests.support.nights import nightly_job, urls_sources
from tests.support.pages import news_page


def spin(seconds: float) -> str:
    """Pure Python work for `seconds`."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return "done"


def swallowing(seconds: float) -> str:
    """Work that catches every Exception, as careless code does: the time limit still stops it."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sum(range(1000))
        except Exception:  # noqa: BLE001 - on purpose
            pass
    return "done"


def backtrack(_: object) -> object:
    return re.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking: minutes in one C call of re


def _timed(fn, *args):
    started = time.monotonic()
    try:
        with time_limit(0.5):
            out = fn(*args)
    except ItemTimeout as exc:
        return exc, time.monotonic() - started
    return out, time.monotonic() - started


@pytest.mark.parametrize("fn", [spin, swallowing])
def test_the_main_thread_limit_stops_python_work_and_restores_sigalrm(fn):
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)  # someone else's timer, pending
        out, took = _timed(fn, 10)
        assert isinstance(out, ItemTimeout) and str(out) == "time_limit: over the 0.5 s budget per item; stopped"
        assert 0.45 < took < 2.0, took
        assert signal.getsignal(signal.SIGALRM) is not None and not fired
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < remaining <= 30  # the other timer goes on
        assert _timed(fn, 0.05) == ("done", pytest.approx(0.05, abs=0.4))  # within budget: the result
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_regex_that_backtracks_for_minutes_is_stopped_in_the_main_thread():
    out, took = _timed(backtrack, None)
    assert isinstance(out, ItemTimeout) and took < 2.0


def test_another_thread_is_stopped_by_the_watchdog():
    result = {}

    def run():
        result["spin"] = _timed(spin, 10)
        result["quick"] = _timed(spin, 0.05)
        result["handler"] = signal.getsignal(signal.SIGALRM)

    before = signal.getsignal(signal.SIGALRM)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(20)
    out, took = result["spin"]
    assert isinstance(out, ItemTimeout) and "0.5 s budget" in str(out) and 0.45 < took < 2.0
    assert result["quick"][0] == "done"
    assert result["handler"] is before  # signals untouched off the main thread
    time.sleep(0.6)  # a cancelled watchdog never fires later
    assert worker.is_alive() is False


def test_each_within_records_the_item_over_budget_and_goes_on():
    out = each_within(spin, [0.01, 5, 0.01], 0.3, lambda item, exc: f"{item}: {exc}")
    assert out == ["done", "5: time_limit: over the 0.3 s budget per item; stopped", "done"]


def test_item_seconds_reads_the_environment():
    assert item_seconds("parse", {}) == 20 and item_seconds("extract", {}) == 60
    assert item_seconds("parse", {"NEWS_PARSE_ITEM_SECONDS": "2.5"}) == 2.5
    assert item_seconds("extract", {"NEWS_EXTRACT_ITEM_SECONDS": "0"}) is None


# ---------------------------------------------------------------- the parse stage, over HTTP

ART = news_page()
AT, END = ART.index("<body>") + len("<body>"), ART.index("</body>")
HOSTILE = {
    "/closed-100k": ART[:AT] + "<div>" * 100_000 + ART[AT:END] + "</div>" * 100_000 + "</body></html>",
    "/unclosed-200k": ART[:AT] + "<div>" * 200_000 + ART[AT:],
    "/deep-300": ART[:AT] + "<div>" * 300 + ART[AT:END] + "</div>" * 300 + "</body></html>",
    "/slow": ART[:AT] + "<p>문장입니다.</p>" * 150_000 + ART[AT:],  # within the markup limits, seconds of Python
}
PLAIN = [f"/news/{i}" for i in range(6)]


def _routes():
    routes = {path: html(page) for path, page in HOSTILE.items()}
    routes.update({p: html(news_page(f"세종시 스마트시티 소식 {i}호")) for i, p in enumerate(PLAIN)})
    return routes


def _verdicts(con):
    return {url.rsplit("/", 1)[1]: (outcome, error) for url, outcome, error in con.execute(
        "select p.url, pp.outcome, pp.error from raw.page_parses pp join raw.pages p using (page_key)").fetchall()}


def _check(verdicts):
    assert verdicts["closed-100k"][0] == verdicts["unclosed-200k"][0] == "parse_error"
    assert verdicts["closed-100k"][1].startswith("too_deep: ")
    assert verdicts["unclosed-200k"][1].startswith("too_deep: ")
    assert verdicts["deep-300"] == ("article", None)
    assert verdicts["slow"] == ("parse_error", "time_limit: over the 0.3 s budget per item; stopped")
    assert all(verdicts[p.rsplit("/", 1)[1]] == ("article", None) for p in PLAIN)


@pytest.mark.e2e
@pytest.mark.parametrize("pool", [False, True], ids=["in-process", "spawn-pool"])
def test_the_parse_stage_records_hostile_pages_and_goes_on(tmp_path, monkeypatch, pool):
    monkeypatch.setenv("NEWS_PARSE_ITEM_SECONDS", "0.3")
    monkeypatch.setenv("NEWS_WORKERS", "2")
    monkeypatch.setenv("NEWS_PARALLEL_MIN", "1" if pool else "1000000")
    used = []
    real = parallel.Pool.map_chunks
    monkeypatch.setattr(parallel.Pool, "map_chunks", lambda self, fn, items, **kw: used.append(1) or real(
        self, fn, items, **kw))
    with serve(_routes()) as srv:
        config = load_sources(urls_sources(tmp_path / "s.yaml", [srv.url(p) for p in [*HOSTILE, *PLAIN]]))
        con = wh.connect(tmp_path / "news.duckdb")
        try:
            stages.discover_stage(con, config, "r1")
            stages.fetch_stage(con, config, "r1")
            started = time.monotonic()
            report = stages.parse_stage(con)
            took = time.monotonic() - started
            verdicts = _verdicts(con)
        finally:
            con.close()
    assert bool(used) is pool
    _check(verdicts)
    assert report.counts["outcome_parse_error"] == 3 and report.counts["outcome_article"] == 7
    assert any("time_limit" in e for e in report.errors)
    # 10 pages, two hostile ones that took 54 s and 440 s: the whole stage stays within one page's 20 s budget
    assert took < item_seconds("parse", {}), took


@pytest.mark.e2e
def test_a_dagster_run_records_the_slow_page_and_keeps_its_signal_handlers(tmp_path, monkeypatch):
    """The in-process path runs in the main thread of the Dagster run: the limit works there, the run succeeds,
    and the SIGALRM and SIGINT handlers are what they were (Dagster itself points SIGTERM at SIGINT's handler)."""
    monkeypatch.setenv("NEWS_PARSE_ITEM_SECONDS", "0.3")
    monkeypatch.setenv("NEWS_PARALLEL_MIN", "1000000")
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGALRM)}
    with serve(_routes()) as srv:
        sources = urls_sources(tmp_path / "s.yaml", [srv.url(p) for p in [*HOSTILE, *PLAIN]])
        warehouse = tmp_path / "news.duckdb"
        result = nightly_job(sources, warehouse).execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), partition_key=newest_news_day())
    assert result.success
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        _check(_verdicts(con))
        fetches = dict(con.execute("select url, outcome from marts.fct_fetches").fetchall())
    finally:
        con.close()
    assert fetches[srv.url("/slow")] == "parse_error" and fetches[srv.url("/deep-300")] == "ok"
