"""The parse and extract stages on the process pool (NEWS_WORKERS=2, threshold forced down) write exactly the
rows the in-process path writes: pages served over HTTP on 127.0.0.1, two DuckDB files, every raw table
compared (run-time columns aside)."""
from __future__ import annotations

import pytest

from bench.corpus import build_corpus
from pipelines import parallel, stages
from pipelines import warehouse as wh
from pipelines.sources.config import load_sources
from tests.support.http_server import Response, serve
from tests.support.nights import urls_sources

DERIVED = ("page_parses", "articles", "extractions", *wh.MENTION_TABLES)


def _land(tmp, srv, paths, name):
    sources = urls_sources(tmp / f"{name}.yaml", [srv.url(p) for p in paths], name="corpus",
                           per_host_concurrency=8, timeout_s=10)
    config = load_sources(sources)
    con = wh.connect(tmp / f"{name}.duckdb")
    try:
        stages.discover_stage(con, config, f"run-{name}")
        fetched = stages.fetch_stage(con, config, f"run-{name}")
        parsed = stages.parse_stage(con)
        extracted = stages.extract_stage(con)
        rows = {}
        for table in DERIVED:
            cols = [c for (c,) in con.execute("select column_name from information_schema.columns where "
                                              "table_schema = 'raw' and table_name = ? order by ordinal_position",
                                              [table]).fetchall() if not c.endswith("_at")]
            rows[table] = con.execute(f'select {", ".join(cols)} from raw."{table}" order by all').fetchall()
    finally:
        con.close()
    return fetched, parsed, extracted, rows


@pytest.fixture(scope="module")
def corpus_routes():
    pages = build_corpus(per_layout=6)
    routes = {"/robots.txt": Response(200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")}
    for i, p in enumerate(pages):
        routes[f"/p/{i}.html"] = Response(200, {"Content-Type": p.content_type or "text/html"}, p.content)
    return routes


@pytest.mark.e2e
def test_the_pool_path_writes_the_same_rows_as_the_in_process_path(tmp_path, monkeypatch, corpus_routes):
    paths = sorted(p for p in corpus_routes if p.startswith("/p/"))
    used: list[str] = []
    real = parallel.Pool.map_chunks

    def spy(self, fn, items, **kw):
        used.append(fn.__name__)
        assert self.workers == 2
        return real(self, fn, items, **kw)

    monkeypatch.setattr(parallel.Pool, "map_chunks", spy)
    with serve(corpus_routes) as srv:
        monkeypatch.setenv("NEWS_PARALLEL_MIN", "1000000")
        serial = _land(tmp_path, srv, paths, "serial")
        assert used == []
        monkeypatch.setenv("NEWS_PARALLEL_MIN", "1")
        monkeypatch.setenv("NEWS_WORKERS", "2")
        monkeypatch.setattr(parallel, "CHUNK", 8)  # several chunks over both workers
        pooled = _land(tmp_path, srv, paths, "pooled")
    assert used == ["_parse_chunk", "_extract_chunk"], "the pool path was not taken"
    assert serial[1].counts == pooled[1].counts and serial[1].counts["parsed"] == len(paths)
    assert serial[2].counts == pooled[2].counts and serial[2].counts["articles_extracted"] > 0
    for table in DERIVED:
        assert serial[3][table] == pooled[3][table], table
    assert serial[3]["money_mentions"], "the corpus yields money mentions"


def test_workers_and_threshold_come_from_the_environment():
    assert parallel.worker_count({"NEWS_WORKERS": "3"}) == 3
    assert parallel.worker_count({}) >= 1
    assert parallel.min_items({"NEWS_PARALLEL_MIN": "5"}) == 5
    assert parallel.min_items({}) == parallel.DEFAULT_MIN_ITEMS
