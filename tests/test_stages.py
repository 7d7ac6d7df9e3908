"""Stage glue: what the fetch stage is allowed to read from disk, and the parse stage's verdicts."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipelines import stages
from pipelines.days import newest_news_day
from tests.support.paths import needs_shared


def test_html_dir_pages_are_read_once_at_fetch_under_the_html_dir_rules(tmp_path):
    """Discovery reads each file's head only; the fetch stage reads the whole file once, as it is at fetch time,
    under the html_dir rules (inside the folder, at most max_bytes), never bytes kept from discovery."""
    import zlib

    from pipelines import warehouse as wh
    from pipelines.sources.config import load_sources

    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("changed", "grown", "escaped", "same"):
        (folder / f"{name}.html").write_bytes(f"<html>{name} at discovery</html>".encode())
    outside = tmp_path / "secret.html"
    outside.write_bytes(b"<html>not in the folder</html>")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"defaults: {{max_bytes: 1000}}\nsources:\n  - {{name: saved, kind: html_dir, path: '{folder}'}}\n",
                       encoding="utf-8")
    config = load_sources(sources)
    con = wh.connect(tmp_path / "news.duckdb")
    try:
        assert stages.discover_stage(con, config, "run-1").counts["urls"] == 4
        (folder / "changed.html").write_bytes(b"<html>changed after discovery</html>")
        (folder / "grown.html").write_bytes(b"<html>" + b"x" * 2000 + b"</html>")
        (folder / "escaped.html").unlink()
        (folder / "escaped.html").symlink_to(outside)
        stages.fetch_stage(con, config, "run-1")
        outcomes = dict(con.execute("select regexp_extract(url, '(\\w+)\\.html', 1), outcome from raw.fetch_log "
                                    "where run_id = 'run-1'").fetchall())
        stored = {name: zlib.decompress(content) for name, content in con.execute(
            "select regexp_extract(url, '(\\w+)\\.html', 1), content from raw.pages").fetchall()}
    finally:
        con.close()
    assert outcomes == {"changed": "ok", "same": "ok", "grown": "too_large", "escaped": "blocked_address"}
    assert stored == {"changed": b"<html>changed after discovery</html>", "same": b"<html>same at discovery</html>"}


def test_each_stage_report_carries_the_write_time_of_its_own_call(tmp_path):
    from pipelines import warehouse as wh
    from pipelines.sources.config import load_sources

    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.html").write_bytes(b"<html><body><p>" + b"x" * 100 + b"</p></body></html>")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: saved, kind: html_dir, path: '{folder}'}}\n", encoding="utf-8")
    config = load_sources(sources)
    con = wh.connect(tmp_path / "news.duckdb")
    try:
        first = stages.discover_stage(con, config, "run-1")
        second = stages.discover_stage(con, config, "run-2")
        fetched = stages.fetch_stage(con, config, "run-2")
    finally:
        con.close()
    assert first.counts["urls"] == second.counts["urls"] == 3 and fetched.counts["requested"] == 3
    # each call wrote the warehouse and says how long that took; nothing carries over from one call to the next
    assert 0 < first.write_seconds and 0 < second.write_seconds and 0 < fetched.write_seconds
    timer = wh.WriteTimer()
    with timer.measure():
        pass
    assert timer.seconds < min(first.write_seconds, second.write_seconds)
    assert not hasattr(wh, "WRITE_SECONDS")


def _parse(content: bytes):
    rec = {"page_key": "k", "content_hash": "h", "content": content, "url": "https://x.example/news/1",
           "final_url": None, "content_type": "text/html; charset=utf-8", "source_name": "s",
           "fetched_at": datetime(2025, 1, 1, tzinfo=timezone.utc)}
    from pipelines.parse import PARSER_VERSION, parse_page

    return stages.parse_one(rec, parse_page, PARSER_VERSION)


def test_parse_verdicts_never_raise():
    parsed, article = _parse(b"")
    assert parsed["outcome"] in ("decode_error", "parse_error", "not_article") and article is None and parsed["error"]
    paragraphs = "".join(f"<p>스마트시티 사업 {i}번째 문단은 충분히 긴 기사 본문 문장으로 이루어져 있다.</p>" for i in range(8))
    html = (f'<html><head><title>제목 - 뉴스</title><link rel="canonical" href="https://x.example/news/1?utm_source=a">'
            f"</head><body><article>{paragraphs}</article></body></html>").encode()
    parsed, article = _parse(html)
    assert parsed["outcome"] == "article"
    assert article["url"] == "https://x.example/news/1"  # tracking parameter dropped
    assert article["article_key"] == parsed["article_key"]


@pytest.mark.e2e
def test_the_run_fails_saying_so_when_every_source_failed(tmp_path):
    import dagster as dg
    import duckdb
    import pytest

    from pipelines.assets.raw import discovered_urls
    from pipelines.definitions import build_definitions
    from pipelines.settings import Settings
    from tests.support.http_server import unused_port

    port = unused_port()
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"""
defaults: {{allow_private_hosts: true, timeout_s: 1, max_retries: 0, min_delay_s: 0}}
sources:
  - {{name: dead-feed, kind: rss, url: "http://127.0.0.1:{port}/rss.xml"}}
  - {{name: dead-map, kind: sitemap, url: "http://127.0.0.1:{port}/sitemap.xml"}}
""", encoding="utf-8")
    warehouse = tmp_path / "news.duckdb"
    defs = build_definitions(Settings(sources_path=sources, warehouse_path=warehouse))
    with pytest.raises(Exception, match="every source failed"):
        dg.materialize([discovered_urls], resources=defs.resources, instance=dg.DagsterInstance.ephemeral(),
                       partition_key=newest_news_day())
    # the failures are still recorded, with their URL and what went wrong
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("select source_name, outcome, error from raw.fetch_log order by source_name").fetchall()
    con.close()
    assert [r[0] for r in rows] == ["dead-feed", "dead-map"]
    assert all(r[1] == "connection_error" and r[2] for r in rows)


@needs_shared
@pytest.mark.e2e
def test_a_parser_change_reparses_kept_pages_without_fetching(tmp_path, monkeypatch):
    import dagster as dg
    import duckdb

    import pipelines.parse
    from pipelines.assets.raw import discovered_urls, fetched_pages, parsed_articles
    from pipelines.definitions import build_definitions
    from pipelines.settings import Settings
    from tests.support.paths import SEED_CORPUS

    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: seeds, kind: html_dir, path: '{SEED_CORPUS}'}}\n", encoding="utf-8")
    defs = build_definitions(Settings(sources_path=sources, warehouse_path=tmp_path / "news.duckdb"))
    instance = dg.DagsterInstance.ephemeral()
    dg.materialize([discovered_urls, fetched_pages, parsed_articles], resources=defs.resources, instance=instance,
                   partition_key=newest_news_day())
    monkeypatch.setattr(pipelines.parse, "PARSER_VERSION", "parse-next")
    result = dg.materialize([parsed_articles], resources=defs.resources, instance=instance)
    from tests.support.materializations import materialization_metadata

    assert materialization_metadata(result)["articles"]["parsed_this_run"] == 4
    con = duckdb.connect(str(tmp_path / "news.duckdb"), read_only=True)
    assert con.execute("select count(distinct parser_version), any_value(parser_version) from raw.page_parses"
                       ).fetchone() == (1, "parse-next")
    assert con.execute("select count(*) from raw.articles").fetchone()[0] == 4
    con.close()


@needs_shared
@pytest.mark.e2e
def test_rederive_all_reparses_and_reextracts_every_kept_page_without_fetching(tmp_path):
    import dagster as dg

    from pipelines.assets.raw import discovered_urls, fetched_pages, parsed_articles, text_mentions
    from pipelines.definitions import build_definitions
    from pipelines.settings import Settings
    from tests.support.paths import SEED_CORPUS

    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: seeds, kind: html_dir, path: '{SEED_CORPUS}'}}\n", encoding="utf-8")
    defs = build_definitions(Settings(sources_path=sources, warehouse_path=tmp_path / "news.duckdb"))
    instance = dg.DagsterInstance.ephemeral()
    assets = [discovered_urls, fetched_pages, parsed_articles, text_mentions]
    dg.materialize(assets, resources=defs.resources, instance=instance, partition_key=newest_news_day())

    from tests.support.materializations import materialization_metadata as counts

    quiet = counts(dg.materialize([parsed_articles, text_mentions], resources=defs.resources, instance=instance))
    assert quiet["articles"]["parsed_this_run"] == 0 and quiet["sentences"]["articles_extracted_this_run"] == 0
    config = {"ops": {"parsed_articles": {"config": {"all": True}}, "text_mentions": {"config": {"all": True}}}}
    forced = counts(dg.materialize([parsed_articles, text_mentions], resources=defs.resources, instance=instance,
                                   run_config=config))
    assert forced["articles"]["parsed_this_run"] == 4
    assert forced["sentences"]["articles_extracted_this_run"] == 4


@pytest.mark.e2e
def test_robots_txt_is_fetched_once_per_host_per_run(tmp_path):
    import dagster as dg

    from pipelines.assets.raw import discovered_urls, fetched_pages
    from pipelines.definitions import build_definitions
    from pipelines.settings import Settings
    from tests.support.http_server import Response, html, robots_txt, serve

    page = "<html><body><article>" + "<p>스마트시티 협약 기사 본문 문장입니다.</p>" * 5 + "</article></body></html>"
    with serve({"/robots.txt": robots_txt("User-agent: *\nDisallow: /private/\n"),
                "/a.html": html(page), "/b.html": html(page), "/private/c.html": html(page)}) as srv:
        sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   + "".join(f"<url><loc>{srv.url(p)}</loc></url>" for p in ("/a.html", "/b.html", "/private/c.html"))
                   + "</urlset>").encode()
        srv.routes["/sitemap.xml"] = Response(200, {"Content-Type": "application/xml"}, sitemap)
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"defaults: {{allow_private_hosts: true, min_delay_s: 0}}\nsources:\n"
                           f"  - {{name: map, kind: sitemap, url: '{srv.url('/sitemap.xml')}'}}\n", encoding="utf-8")
        defs = build_definitions(Settings(sources_path=sources, warehouse_path=tmp_path / "news.duckdb"))
        result = dg.materialize([discovered_urls, fetched_pages], resources=defs.resources,
                                instance=dg.DagsterInstance.ephemeral(), partition_key=newest_news_day())
        assert result.success
        assert srv.count("/robots.txt") == 1  # one cache for the run (pipelines.resources.run_robots)
        assert srv.count("/a.html") == 1 and srv.count("/private/c.html") == 0
    from tests.support.materializations import materialization_metadata

    metadata = materialization_metadata(result)
    # write_seconds: the stage report's own write time, part of the stage's time
    for asset in ("discovered_urls", "pages", "fetch_log"):
        assert 0 < metadata[asset]["write_seconds"] <= metadata[asset]["stage_seconds"]
