"""A quiet night: the second run over unchanged pages asks with the stored validators, gets 304s, parses
nothing, extracts nothing and adds no fact rows; a page that changed is fetched, re-parsed and keeps its
article id."""
from __future__ import annotations

import json

import dagster as dg
import duckdb
import pytest

from pipelines.partitions import newest_news_day
from tests.support.materializations import materialization_metadata
from tests.support.http_server import Response, conditional, serve
from tests.support.nights import nightly_job, urls_sources
from tests.support.paths import SEED_CORPUS, needs_shared
from tests.test_pipeline_e2e import FACT_TABLES, snapshot

pytestmark = [pytest.mark.e2e, needs_shared]


def _page_routes() -> dict:
    index = json.loads((SEED_CORPUS / "index.json").read_text(encoding="utf-8"))
    routes = {}
    for i, e in enumerate(index):
        body = (SEED_CORPUS / e["file"]).read_bytes()
        routes[f"/news/{e['file']}"] = conditional(
            Response(200, {"Content-Type": f"text/html; charset={e['encoding']}"}, body), etag=f'"v1-{i}"')
    return routes


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nights")
    routes = {"/robots.txt": Response(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
              **_page_routes()}
    with serve(routes) as srv:
        sources = urls_sources(tmp / "sources.yaml",
                               [srv.url(p) for p in sorted(routes) if p.startswith("/news/")])
        warehouse = tmp / "news.duckdb"
        job = nightly_job(sources, warehouse)
        instance = dg.DagsterInstance.ephemeral()
        first = job.execute_in_process(instance=instance, partition_key=newest_news_day())
        before = snapshot(warehouse)
        requests_after_first = srv.count()
        second = job.execute_in_process(instance=instance, partition_key=newest_news_day())
        after = snapshot(warehouse)
        second_requests = srv.requests[requests_after_first:]
        yield {"first": first, "second": second, "before": before, "after": after,
               "second_requests": second_requests, "warehouse": warehouse}


def test_quiet_night_asks_with_validators_and_gets_304(nights):
    page_requests = [r for r in nights["second_requests"] if r.path.startswith("/news/")]
    assert len(page_requests) == 4, [r.path for r in nights["second_requests"]]
    assert all(r.headers.get("if-none-match", "").startswith('"v1-') for r in page_requests)
    con = duckdb.connect(str(nights["warehouse"]), read_only=True)
    outcomes = con.execute("select outcome, count(*) from raw.fetch_log where run_id = ? group by 1",
                           [nights["second"].run_id]).fetchall()
    con.close()
    assert outcomes == [("not_modified", 4)]


def test_quiet_night_parses_and_extracts_nothing(nights):
    assert materialization_metadata(nights["second"])["articles"]["parsed_this_run"] == 0
    assert materialization_metadata(nights["second"])["money_mentions"]["articles_extracted_this_run"] == 0
    assert materialization_metadata(nights["first"])["articles"]["parsed_this_run"] == 4


def test_quiet_night_adds_no_rows(nights):
    for table in FACT_TABLES:
        assert nights["before"][table] == nights["after"][table], table
