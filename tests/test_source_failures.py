"""A failed source is one that delivered nothing: its feed failed, or every URL it listed failed (DNS, a refused
private address, a refused connection). One that delivered only 304s is not failed. The run fails when every
source failed. Real HTTP on 127.0.0.1, real DuckDB, the stage functions the Dagster assets call."""
from __future__ import annotations

import pytest

from pipelines import stages
from pipelines import warehouse as wh
from pipelines.settings import PROJECT_DIR
from pipelines.sources.config import load_sources
from tests.support.http_server import conditional, html, serve, unused_port

DEMO_PAGES = PROJECT_DIR / "demo" / "pages"
DEFAULTS = "defaults: {allow_private_hosts: true, min_delay_s: 0, timeout_s: 3, max_retries: 0, respect_robots_txt: false}\n"


def _night(tmp_path, text: str, run_id: str) -> stages.StageReport:
    path = tmp_path / "sources.yaml"
    path.write_text(DEFAULTS + "sources:\n" + text, encoding="utf-8")
    config = load_sources(path)
    con = wh.connect(str(tmp_path / "news.duckdb"))
    try:
        stages.discover_stage(con, config, run_id)
        return stages.fetch_stage(con, config, run_id)
    finally:
        con.close()


def _fetch_log(tmp_path, run_id: str) -> dict[str, set[str]]:
    con = wh.connect(str(tmp_path / "news.duckdb"), read_only=True)
    try:
        rows = con.execute("select source_name, outcome from raw.fetch_log where run_id = ?", [run_id]).fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for name, outcome in rows:
        out.setdefault(name, set()).add(outcome)
    return out


def test_a_urls_source_whose_every_url_failed_is_failed_and_one_with_only_304s_is_not(tmp_path):
    routes = {f"/{p}": conditional(html((DEMO_PAGES / p).read_bytes()), etag=f'"{p}"')
              for p in ("demo-001.html", "demo-002.html")}
    with serve(routes) as srv:
        text = (f"  - {{name: good, kind: urls, urls: ['{srv.url('/demo-001.html')}', '{srv.url('/demo-002.html')}']}}\n"
                f"  - {{name: dead, kind: urls, urls: ['http://127.0.0.1:{unused_port()}/gone', "
                f"'http://news.nowhere.invalid/a']}}\n"
                # the same live server, but this source may not reach a private address: refused before connecting
                f"  - {{name: walled, kind: urls, allow_private_hosts: false, urls: ['{srv.url('/demo-001.html')}']}}\n")
        first = _night(tmp_path, text, "run-1")
        second = _night(tmp_path, text, "run-2")  # the good source's pages now answer 304

    assert _fetch_log(tmp_path, "run-1") == {"good": {"ok"}, "dead": {"connection_error", "dns_error"},
                                             "walled": {"blocked_address"}}
    assert set(first.failed_sources) == {"dead", "walled"}
    assert first.counts["sources_failed"] == 2
    assert "nothing delivered, 2 requests failed" in first.failed_sources["dead"]
    assert "1 connection_error" in first.failed_sources["dead"] and "1 dns_error" in first.failed_sources["dead"]
    assert "1 blocked_address" in first.failed_sources["walled"]
    # a source that delivered only not-modified pages delivered: it is not a failed source
    assert _fetch_log(tmp_path, "run-2")["good"] == {"not_modified"}
    assert set(second.failed_sources) == {"dead", "walled"}


def test_the_run_fails_naming_each_source_and_reason_when_every_urls_source_failed(tmp_path):
    text = (f"  - {{name: dead, kind: urls, urls: ['http://127.0.0.1:{unused_port()}/gone']}}\n"
            "  - {name: walled, kind: urls, allow_private_hosts: false, urls: ['http://127.0.0.1/x']}\n")
    with pytest.raises(stages.AllSourcesFailed) as err:
        _night(tmp_path, text, "run-1")
    message = str(err.value)
    assert message.startswith("every source failed: dead: nothing delivered, 1 request failed (1 connection_error")
    assert "walled: nothing delivered, 1 request failed (1 blocked_address" in message
    # what failed is recorded before the run fails (marts.fct_fetches gets it from raw.fetch_log)
    assert _fetch_log(tmp_path, "run-1") == {"dead": {"connection_error"}, "walled": {"blocked_address"}}


def test_a_quiet_source_that_listed_nothing_is_not_failed(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    text = (f"  - {{name: quiet, kind: html_dir, path: '{empty}'}}\n"
            f"  - {{name: dead, kind: urls, urls: ['http://127.0.0.1:{unused_port()}/gone']}}\n")
    report = _night(tmp_path, text, "run-1")  # does not raise: one source failed, the other just had no news
    assert set(report.failed_sources) == {"dead"}
