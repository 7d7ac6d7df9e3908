"""What an operator sees after a night where one source failed: the run succeeded, the facts are all still
there, and the failure is named -- by the source's checks (WARN), in the discovery metadata and in
marts.fct_fetches."""
from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions
from pipelines.partitions import newest_news_day
from pipelines.settings import PROJECT_DIR, Settings
from tests.support.http_server import Response, conditional, html, robots_txt, serve

pytestmark = pytest.mark.e2e

DEMO_PAGES = PROJECT_DIR / "demo" / "pages"
PAGES = {"alpha": ["demo-007.html", "demo-008.html"], "bravo": ["demo-009.html", "demo-010.html"]}


def _rss(srv, source: str) -> Response:
    items = "".join(f"<item><title>{p}</title><link>{srv.url(f'/{source}/{p}')}</link></item>" for p in PAGES[source])
    body = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{source}</title>{items}</channel></rss>'
    return Response(200, {"Content-Type": "application/rss+xml; charset=utf-8"}, body.encode())


def _marts(warehouse) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
                for t in ("dim_articles", "fct_budgets", "fct_events", "fct_partnerships")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("operator")
    routes = {"/robots.txt": robots_txt("User-agent: *\nAllow: /\n")}
    for source, pages in PAGES.items():
        for i, p in enumerate(pages):
            routes[f"/{source}/{p}"] = conditional(html((DEMO_PAGES / p).read_bytes()), etag=f'"{source}{i}"')
    with serve(routes) as srv:
        for source in PAGES:
            srv.routes[f"/{source}/rss.xml"] = _rss(srv, source)
        sources = tmp / "sources.yaml"
        sources.write_text(
            "defaults: {allow_private_hosts: true, min_delay_s: 0, timeout_s: 5, max_retries: 0}\nsources:\n"
            + "".join(f"  - {{name: {s}, kind: rss, url: '{srv.url(f'/{s}/rss.xml')}'}}\n" for s in PAGES),
            encoding="utf-8")
        warehouse = tmp / "news.duckdb"
        job = build_definitions(Settings(sources_path=sources, warehouse_path=warehouse)).resolve_job_def(
            "nightly_refresh")
        instance = dg.DagsterInstance.ephemeral()
        first = job.execute_in_process(instance=instance, partition_key=newest_news_day())
        marts_first = _marts(warehouse)
        srv.routes["/bravo/rss.xml"] = Response(503, {"Content-Type": "text/plain"}, b"maintenance")
        second = job.execute_in_process(instance=instance, partition_key=newest_news_day(), raise_on_error=False)
        yield {"first": first, "second": second, "marts_first": marts_first, "marts_second": _marts(warehouse),
               "warehouse": warehouse, "bravo_feed": srv.url("/bravo/rss.xml")}


def _check(result, name: str):
    found = [c for c in result.get_asset_check_evaluations() if c.check_name == name]
    assert len(found) == 1, f"check {name} did not run"
    return found[0]


def test_the_night_still_succeeds_and_keeps_every_fact(two_nights):
    assert two_nights["first"].success
    assert two_nights["second"].success, "one failed source must not fail the night"
    assert two_nights["marts_first"]["dim_articles"] == 4
    assert two_nights["marts_second"] == two_nights["marts_first"]


def test_the_failure_rate_check_warns_naming_the_source(two_nights):
    first = _check(two_nights["first"], "fetch_failure_rate_per_source")
    assert first.passed
    check = _check(two_nights["second"], "fetch_failure_rate_per_source")
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.WARN
    assert "bravo (100%)" in check.description and "alpha" not in check.description


def test_the_silent_source_check_warns_naming_the_source(two_nights):
    check = _check(two_nights["second"], "sources_still_delivering")
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["silent_sources"].value == "bravo"


def test_the_discovery_materialisation_says_which_url_failed_and_how(two_nights):
    mats = [e.materialization for e in two_nights["second"].get_asset_materialization_events()
            if e.materialization.asset_key == dg.AssetKey(["raw", "discovered_urls"])]
    meta = mats[0].metadata
    assert meta["sources_failed"].value == 1
    errors = meta["source_errors"].value
    assert two_nights["bravo_feed"] in errors and "http_error" in errors and "503" in errors


def test_fct_fetches_records_the_failed_feed(two_nights):
    con = duckdb.connect(str(two_nights["warehouse"]), read_only=True)
    try:
        rows = con.execute("select source_name, outcome, http_status from marts.fct_fetches where url = ?",
                           [two_nights["bravo_feed"]]).fetchall()
    finally:
        con.close()
    assert ("bravo", "http_error", 503) in rows
