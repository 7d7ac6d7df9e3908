"""What `pipelines.cli run` prints (stdout not a terminal, as under cron): one plain line per stage, a summary
with what the run added, and after a failed run one line of cause, not the old totals as if fresh.

Three nights of the real command (subprocess, real Dagster instance, real dbt) over two demo pages served on
127.0.0.1: the first lands them, the second finds nothing new (+0, the pages answer 304), the third finds the
server gone (every URL of the only source fails: the run fails)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys

import dagster as dg
import pytest

from pipelines import progress
from pipelines.console import PlainProgress, console_progress
from pipelines.settings import PROJECT_DIR
from tests.support.http_server import conditional, html, serve
from tests.support.nights import urls_sources

DEMO_PAGES = PROJECT_DIR / "demo" / "pages"
PAGES = ("demo-003.html", "demo-005.html")


def _cli_run(tmp, sources, warehouse) -> subprocess.CompletedProcess:
    env = dict(os.environ, NEWS_SOURCES=str(sources), NEWS_WAREHOUSE=str(warehouse),
               DAGSTER_HOME=str(tmp / "dagster_home"), TERM="xterm-256color")
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], capture_output=True, text=True, env=env,
                          cwd=PROJECT_DIR, timeout=600)


@pytest.fixture(scope="module")
def three_nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("console")
    (tmp / "dagster_home").mkdir()
    shutil.copy(PROJECT_DIR / "dagster.yaml", tmp / "dagster_home" / "dagster.yaml")
    warehouse = tmp / "wh" / "news.duckdb"
    routes = {f"/{p}": conditional(html((DEMO_PAGES / p).read_bytes()), etag=f'"{p}"') for p in PAGES}
    with serve(routes) as srv:
        sources = urls_sources(tmp / "sources.yaml", [srv.url(f"/{p}") for p in PAGES], max_retries=0,
                               respect_robots_txt=False)
        first = _cli_run(tmp, sources, warehouse)
        second = _cli_run(tmp, sources, warehouse)
    third = _cli_run(tmp, sources, warehouse)  # the server is gone: connection refused for every URL
    return first, second, third, tmp, warehouse


def _line(out: str, label: str) -> str:
    found = [ln for ln in out.splitlines() if ln.startswith(f"  {label}")]
    assert len(found) == 1, (label, out)
    return found[0]


def _count(line: str) -> int:
    return int(re.search(r":\s+(\d+)", line).group(1))


@pytest.mark.e2e
def test_progress_is_one_plain_line_per_stage_when_stdout_is_not_a_terminal(three_nights):
    first = three_nights[0]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "\x1b[" not in first.stdout  # no bars, no colours: a log file stays readable
    stages = [ln.split(":")[0].strip() for ln in first.stdout.split("\n\n")[0].splitlines()[1:]]
    assert stages == ["discover", "fetch", "parse", "extract", "dbt", "publish"]
    assert _line(first.stdout, "fetch    :").startswith("  fetch    : 2/2 fetched: ok 2")
    assert "2 new articles" in _line(first.stdout, "parse    :")


@pytest.mark.e2e
def test_the_summary_says_what_the_first_run_added(three_nights):
    first = three_nights[0]
    articles = _line(first.stdout, "articles     :")
    assert _count(articles) == 2 and articles.endswith("(+2, 0 updated)")
    for label in ("budgets", "events", "partnerships"):
        line = _line(first.stdout, f"{label:<13}:")
        assert line.endswith(f"(+{_count(line)})"), line  # everything is new on the first night


@pytest.mark.e2e
def test_a_second_run_over_the_same_pages_adds_nothing(three_nights):
    first, second = three_nights[:2]
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "not_modified 2" in _line(second.stdout, "fetch    :")
    assert _line(second.stdout, "articles     :").endswith("(+0, 0 updated)")
    for label in ("articles", "budgets", "events", "partnerships"):
        assert _count(_line(second.stdout, f"{label:<13}:")) == _count(_line(first.stdout, f"{label:<13}:"))
        assert "(+0" in _line(second.stdout, f"{label:<13}:")
    assert "0 new articles, 0 updated" in _line(second.stdout, "this run     :")


@pytest.mark.e2e
def test_a_failed_run_prints_one_line_of_cause_and_the_last_good_totals_labelled(three_nights):
    second, third = three_nights[1:3]
    assert third.returncode == 1, third.stdout[-3000:]
    assert "Traceback" not in third.stdout and "Traceback" not in third.stderr
    assert third.stdout.splitlines()[-1].startswith("  (tracebacks: ")
    cause = _line(third.stdout, "cause        :")
    assert cause.startswith("  cause        : step fetched_pages failed: pipelines.stages.AllSourcesFailed: every "
                            "source failed: picked: nothing delivered, 2 requests failed (2 connection_error"), cause
    assert _line(third.stdout, "failed source:").startswith("  failed source: picked: nothing delivered")
    # not the warehouse's totals as if this run had produced them: the last published ones, labelled
    assert not [ln for ln in third.stdout.splitlines() if ln.startswith(("  articles", "  budgets", "  pages read"))]
    marts = _line(third.stdout, "marts        :")
    good = _count(_line(second.stdout, "articles     :"))
    assert "not refreshed by this run; last good totals (published " in marts and f": {good} articles," in marts


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_bars_and_a_broken_display_never_fails_the_stage(monkeypatch):
    monkeypatch.delenv("TERM", raising=False)
    screen = _Terminal()
    with console_progress(screen) as sink, progress.listening(sink):
        bar = progress.current()
        bar.start("fetch", total=3)
        for outcome in ("ok", "ok", "dns_error"):
            bar.advance("fetch", outcome=outcome)
        bar.finish("fetch", "3/3 fetched")
    assert not isinstance(sink, PlainProgress)
    assert "3/3" in screen.getvalue() and "\x1b[" in screen.getvalue()

    class Broken:
        def start(self, *a, **k):
            raise OSError("the terminal went away")

        advance = finish = start

    with progress.listening(Broken()):
        progress.current().start("parse", total=1)  # logged once, then the display is off; nothing raises
        progress.current().advance("parse")
        progress.current().finish("parse", "done")
    assert isinstance(progress.current(), progress.NullProgress)


@pytest.mark.e2e
def test_the_dbt_assets_carry_their_column_types_in_the_definitions_and_on_each_materialisation(three_nights):
    tmp, warehouse = three_nights[3:5]
    # the Definitions an operator's UI loads, for this warehouse (its published snapshot holds the built marts)
    code = ("import json, dagster as dg; from pipelines.definitions import defs; "
            "spec = {s.key: s for s in defs.resolve_all_asset_specs()}[dg.AssetKey(['marts', 'fct_budgets'])]; "
            "print(json.dumps({c.name: [c.type, c.description] "
            "for c in spec.metadata['dagster/column_schema'].schema.columns}))")
    env = dict(os.environ, NEWS_WAREHOUSE=str(warehouse))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=PROJECT_DIR,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    columns = json.loads(proc.stdout.strip().splitlines()[-1])
    assert columns["budget_id"][0] == "VARCHAR" and columns["amount_krw"][0] in ("BIGINT", "HUGEINT")
    assert columns["is_derived"][0] == "BOOLEAN" and columns["budget_id"][1]  # the yml's description is kept
    assert "?" not in {t for t, _ in columns.values()}
    # and the materialisations by the runs that built it (not those that reused it) say the same
    instance = dg.DagsterInstance.from_config(str(tmp / "dagster_home"))
    try:
        records = instance.fetch_materializations(dg.AssetKey(["marts", "fct_budgets"]), limit=10).records
        metadata = [r.asset_materialization.metadata for r in records]
    finally:
        instance.dispose()
    built = [m["dagster/column_schema"].schema.columns for m in metadata
             if getattr(m.get("rebuilt"), "value", m.get("rebuilt")) is not False]
    assert built, metadata
    assert all(m["dagster/row_count"].value > 0 for m in metadata if "dagster/column_schema" in m)
    assert all({c.name: c.type for c in cols} == {k: v[0] for k, v in columns.items()} for cols in built)
