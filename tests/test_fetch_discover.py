"""discover(): every source kind, read from a sources file, against files on disk and a real local server."""
from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import yaml

from pipelines.fetch import Discovered, FetchResult, discover, fetch_all
from pipelines.fetch.discovery import find_canonical
from pipelines.fetch.feeds import FeedError, parse_date, parse_feed
from pipelines.sources.config import SourcesConfig, load_sources
from tests.support.http_server import html, robots_txt, serve, text
from tests.support.paths import SEED_CORPUS, needs_shared

FAST = {"allow_private_hosts": True, "min_delay_s": 0, "timeout_s": 2, "max_retries": 0,
        "respect_robots_txt": False}
NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)


def sources_file(tmp_path: Path, sources: list[dict], **defaults: object) -> SourcesConfig:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"defaults": {**FAST, **defaults}, "sources": sources}), encoding="utf-8")
    return load_sources(path)


def run(tmp_path: Path, sources: list[dict], **defaults: object) -> tuple[list[Discovered], list[FetchResult]]:
    return discover(sources_file(tmp_path, sources, **defaults), now=NOW)


def xml(body: str, content_type: str = "application/xml; charset=utf-8", encoding: str = "utf-8"):
    return text(body.encode(encoding), content_type)


# ---------------------------------------------------------------- html_dir

def test_html_dir_reads_pages_recursively_sorted_with_canonical_or_file_url(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "2024").mkdir(parents=True)
    (pages / "b.html").write_text(
        '<html><head><link href="https://www.daily.example.kr/news/7?utm_source=rss&amp;x=1" '
        'rel="Canonical"></head><body>시 예산</body></html>', encoding="utf-8")
    (pages / "a.htm").write_text("<html><head><title>무제</title></head></html>", encoding="utf-8")
    (pages / "2024" / "c.HTML").write_text(
        "<html><head><link rel='alternate' href='https://x.example/amp'>"
        "<link rel='canonical' href='https://city.example.kr/a/9'></head></html>", encoding="utf-8")
    (pages / "notes.txt").write_text("not a page", encoding="utf-8")
    config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}])
    found, failed = discover(config, now=NOW)
    assert failed == []
    assert [d.url for d in found] == [
        "https://city.example.kr/a/9",  # 2024/c.HTML
        (pages / "a.htm").resolve().as_uri(),  # no canonical: its file URI
        "https://www.daily.example.kr/news/7?x=1",  # &amp; unescaped, utm_* dropped
    ]
    # discovery reads only the head for the canonical; the fetch reads the file (never the network)
    assert all(d.content is None for d in found)
    fetched = fetch_all(found, config)
    assert [r.outcome for r in fetched] == ["ok"] * 3
    assert fetched[2].content == (pages / "b.html").read_bytes() and fetched[2].http_status is None
    assert all(d.source_name == "saved" and d.discovered_via.startswith(pages.resolve().as_uri() + "/") for d in found)


def test_html_dir_dedupes_pages_with_one_canonical(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, host in (("1.html", "m.news.example.kr"), ("2.html", "www.news.example.kr")):
        (pages / name).write_text(f'<link rel="canonical" href="https://{host}/v?id=3">', encoding="utf-8")
    found, _ = run(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}])
    assert [d.url for d in found] == ["https://m.news.example.kr/v?id=3"]


def test_html_dir_canonical_in_a_euc_kr_page() -> None:
    page = ('<html><head><meta charset="euc-kr"><title>스마트도시 협약</title>'
            '<link rel="canonical" href="https://www.local.example.kr/news/articleView.html?idxno=88">'
            "</head></html>").encode("euc-kr")
    assert find_canonical(page) == "https://www.local.example.kr/news/articleView.html?idxno=88"
    assert find_canonical(b'<link rel="canonical" href="/relative/only">') is None


def test_html_dir_canonical_is_read_by_an_html_parser() -> None:
    page = (b'<head><!-- <link rel="canonical" href="https://old.example.kr/a/1"> -->'
            b'<script>var s = "<link rel=canonical href=https://js.example.kr/x>";</script>'
            b'<link rel="stylesheet" href="https://cdn.example.kr/a.css">'
            b'<link href="https://news.example.kr/read.html?uid=7&section=sc4&amp;page=2" rel="Canonical"></head>')
    # the commented-out and scripted links are not links; "&section" is not the entity "&sect" plus "ion"
    assert find_canonical(page) == "https://news.example.kr/read.html?uid=7&section=sc4&page=2"
    assert find_canonical(b"<link rel=canonical href=https://news.example.kr/&#45684;&#49828;/1>") == (
        "https://news.example.kr/뉴스/1")
    assert find_canonical(b'<link rel="alternate" href="https://news.example.kr/amp/1">') is None


@needs_shared
def test_html_dir_on_the_seed_corpus_uses_each_pages_canonical(tmp_path: Path) -> None:
    index = json.loads((SEED_CORPUS / "index.json").read_text(encoding="utf-8"))
    config = sources_file(tmp_path, [{"name": "seeds", "kind": "html_dir", "path": str(SEED_CORPUS)}])
    found, failed = discover(config, now=NOW)
    assert failed == []
    assert sorted(d.url for d in found) == sorted(entry["url"] for entry in index)
    assert all(r.outcome == "ok" and r.content for r in fetch_all(found, config))


def test_missing_html_dir_is_a_failed_source_and_other_sources_go_on(tmp_path: Path) -> None:
    found, failed = run(tmp_path, [
        {"name": "gone", "kind": "html_dir", "path": "no-such-folder"},
        {"name": "picked", "kind": "urls", "urls": ["https://news.example.kr/a/1"]},
    ])
    assert [d.url for d in found] == ["https://news.example.kr/a/1"]
    assert [(f.source_name, f.outcome) for f in failed] == [("gone", "feed_error")]
    assert "html_dir folder not found" in (failed[0].error or "")


# ---------------------------------------------------------------- urls

def test_urls_are_listed_cleaned_and_deduplicated(tmp_path: Path) -> None:
    found, failed = run(tmp_path, [{"name": "picked", "kind": "urls", "urls": [
        "https://news.example.kr/a/1?utm_source=x#top", "https://news.example.kr/a/1",
        "https://news.example.kr/a/2"]}])
    assert failed == []
    assert [d.url for d in found] == ["https://news.example.kr/a/1", "https://news.example.kr/a/2"]


# ---------------------------------------------------------------- rss / atom

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>지역 뉴스</title>
<item><title>대전시, 스마트 시티 챌린지 공모 선정</title><link>/news/101</link>
  <description><![CDATA[<p>국비 지원을 받는다.</p>]]></description>
  <pubDate>Mon, 20 May 2024 09:30:00 +0900</pubDate></item>
<item><title>지역 축제 개막</title><link>https://www.local.example.kr/news/102</link>
  <description>봄꽃 축제가 열렸다.</description><pubDate>Mon, 20 May 2024 08:00:00 +0900</pubDate></item>
<item><title>공공기관 협약</title><link>https://www.local.example.kr/news/103?utm_source=rss</link>
  <description>인공지능 데이터센터 구축을 위한 업무협약</description><pubDate>2024-05-19 17:00:00</pubDate></item>
<item><title>중복 기사</title><link>https://www.local.example.kr/news/103</link>
  <description>인공지능</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>도시 소식</title>
<entry><title>AI 컴퓨팅 센터 출범</title><link rel="alternate" href="https://city.example.org/p/1"/>
  <link rel="edit" href="https://city.example.org/edit/1"/><summary>출범식</summary>
  <updated>2024-05-18T10:00:00Z</updated></entry>
<entry><title type="html">&lt;b&gt;날씨&lt;/b&gt;</title><link href="https://city.example.org/p/2"/>
  <updated>2024-05-18T11:00:00+09:00</updated></entry>
</feed>"""


def test_rss_items_are_filtered_by_keywords_with_dates_and_titles(tmp_path: Path) -> None:
    with serve({"/rss.xml": xml(RSS, "application/rss+xml")}) as srv:
        found, failed = run(tmp_path, [{"name": "local", "kind": "rss", "url": srv.url("/rss.xml"),
                                        "keywords": ["스마트시티", "인공지능"]}])
    assert failed == []
    assert [d.url for d in found] == [srv.url("/news/101"), "https://www.local.example.kr/news/103"]
    first = found[0]
    assert first.title_hint == "대전시, 스마트 시티 챌린지 공모 선정"  # spacing-insensitive match
    assert first.lastmod_hint == datetime(2024, 5, 20, 0, 30, tzinfo=UTC)
    assert first.discovered_via == srv.url("/rss.xml")
    assert found[1].lastmod_hint == datetime(2024, 5, 19, 17, 0, tzinfo=UTC)  # no zone: UTC


ESCAPED_HTML_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>지역 소식</title>
<item><title>세종 &lt;b&gt;스마트&amp;nbsp;시티&lt;/b&gt; &amp;quot;2단계&amp;quot; 착수</title>
  <link>https://www.local.example.kr/news/201</link></item>
<item><title>예산 1 &lt; 2 조원 논란</title><description>&lt;p&gt;날씨&lt;/p&gt;</description>
  <link>https://www.local.example.kr/news/202</link></item>
</channel></rss>"""


def test_feed_titles_with_escaped_html_are_read_as_html_text(tmp_path: Path) -> None:
    with serve({"/rss": xml(ESCAPED_HTML_RSS, "application/rss+xml")}) as srv:
        kept, _ = run(tmp_path, [{"name": "local", "kind": "rss", "url": srv.url("/rss"), "keywords": ["스마트시티"]}])
        every, _ = run(tmp_path, [{"name": "local", "kind": "rss", "url": srv.url("/rss")}])
    # "&nbsp;" between the words is a space, so the keyword matches; "&quot;" is a quote
    assert [(d.url, d.title_hint) for d in kept] == [
        ("https://www.local.example.kr/news/201", '세종 스마트 시티 "2단계" 착수')]
    # a lone "<" is text, not the start of a tag that swallows the rest of the title
    assert every[1].title_hint == "예산 1 < 2 조원 논란"


def test_atom_feed_uses_the_alternate_link_and_updated(tmp_path: Path) -> None:
    with serve({"/atom": xml(ATOM, "application/atom+xml")}) as srv:
        found, failed = run(tmp_path, [{"name": "city", "kind": "rss", "url": srv.url("/atom")}])
    assert failed == []
    assert [d.url for d in found] == ["https://city.example.org/p/1", "https://city.example.org/p/2"]
    assert found[0].lastmod_hint == datetime(2024, 5, 18, 10, 0, tzinfo=UTC)
    assert found[1].title_hint == "날씨"


def test_a_euc_kr_feed_is_read(tmp_path: Path) -> None:
    feed = RSS.replace('encoding="UTF-8"', 'encoding="EUC-KR"')
    with serve({"/rss": xml(feed, "text/xml", encoding="euc-kr")}) as srv:
        found, failed = run(tmp_path, [{"name": "local", "kind": "rss", "url": srv.url("/rss"),
                                        "keywords": ["스마트시티"]}])
    assert failed == [] and [d.title_hint for d in found] == ["대전시, 스마트 시티 챌린지 공모 선정"]


def test_a_feed_whose_declared_charset_lies_is_still_read() -> None:
    lying = RSS.encode("cp949")  # declares UTF-8, is CP949
    titles = [e.title for e in parse_feed(lying, "https://www.local.example.kr/rss")]
    assert "지역 축제 개막" in titles


def test_malformed_feed_is_a_feed_error_and_the_run_goes_on(tmp_path: Path) -> None:
    broken = "<rss><channel><item><title>끊긴 피드</title><link>https://x.example/1</link></item>"
    with serve({"/broken": xml(broken), "/ok": xml(RSS)}) as srv:
        found, failed = run(tmp_path, [
            {"name": "broken", "kind": "rss", "url": srv.url("/broken")},
            {"name": "fine", "kind": "rss", "url": srv.url("/ok"), "keywords": ["축제"]},
        ])
    assert [d.url for d in found] == ["https://www.local.example.kr/news/102"]
    assert len(failed) == 1
    assert (failed[0].source_name, failed[0].url, failed[0].outcome) == ("broken", srv.url("/broken"), "feed_error")
    assert "malformed XML" in (failed[0].error or "") and failed[0].content is None


def test_feed_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              "<rss><channel><item><title>&lol2;</title><link>https://x.example/1</link></item></channel></rss>")
    with serve({"/evil": xml(laughs)}) as srv:
        found, failed = run(tmp_path, [{"name": "evil", "kind": "rss", "url": srv.url("/evil")}])
    assert found == [] and failed[0].outcome == "feed_error" and "DOCTYPE" in (failed[0].error or "")


def test_not_a_feed_is_a_feed_error() -> None:
    try:
        parse_feed(b"<html><body>hello</body></html>", "https://x.example/")
    except FeedError as exc:
        assert "not an RSS or Atom feed" in str(exc)
    else:
        raise AssertionError("an HTML page was read as a feed")


def test_feed_network_failures_keep_their_outcome(tmp_path: Path) -> None:
    with serve({"/down": text("busy", "text/plain")}) as srv:
        srv.routes["/down"] = html("busy", status=503)
        found, failed = run(tmp_path, [
            {"name": "down", "kind": "rss", "url": srv.url("/down")},
            {"name": "nxdomain", "kind": "rss", "url": "https://feeds.nowhere.invalid/rss"},
        ])
    assert found == []
    assert [(f.source_name, f.outcome, f.url) for f in failed] == [
        ("down", "http_error", srv.url("/down")), ("nxdomain", "dns_error", "https://feeds.nowhere.invalid/rss")]


def test_feed_fetches_respect_robots_txt(tmp_path: Path) -> None:
    with serve({"/robots.txt": robots_txt("User-agent: *\nDisallow: /feeds/\n"),
                "/feeds/rss": xml(RSS)}) as srv:
        found, failed = run(tmp_path, [{"name": "l", "kind": "rss", "url": srv.url("/feeds/rss")}],
                            respect_robots_txt=True)
        assert srv.count("/feeds/rss") == 0
    assert found == [] and failed[0].outcome == "robots_disallowed"


def test_one_robots_cache_serves_discover_and_fetch_all(tmp_path: Path) -> None:
    from pipelines.fetch import RobotsCache, fetch_all
    with serve({"/robots.txt": robots_txt("User-agent: *\nAllow: /\n"), "/rss": xml(RSS),
                "/news/101": html("<html><body>기사</body></html>")}) as srv:
        config = sources_file(tmp_path, [{"name": "l", "kind": "rss", "url": srv.url("/rss"),
                                          "keywords": ["스마트시티"]}], respect_robots_txt=True)
        robots = RobotsCache()
        found, _ = discover(config, now=NOW, robots=robots)
        results = fetch_all(found, config, robots=robots)
        assert srv.count("/robots.txt") == 1 and robots.fetches == 1
    assert [r.outcome for r in results] == ["ok"]


# ---------------------------------------------------------------- sitemaps

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.outlet.example.kr/news/1</loc>
  <news:news><news:publication_date>2024-05-19T08:00:00+09:00</news:publication_date>
  <news:title>스마트도시 국가시범도시 2단계 착수</news:title></news:news></url>
<url><loc>https://www.outlet.example.kr/news/2</loc><lastmod>2024-05-20</lastmod></url>
<url><loc>https://www.outlet.example.kr/news/old</loc><lastmod>2023-01-02T00:00:00Z</lastmod></url>
<url><loc>https://www.outlet.example.kr/news/undated</loc></url>
<url><loc>https://www.outlet.example.kr/news/2#dup</loc></url>
</urlset>"""


def test_sitemap_urlset_with_news_dates_and_since_days(tmp_path: Path) -> None:
    with serve({"/sitemap.xml": xml(URLSET)}) as srv:
        found, failed = run(tmp_path, [{"name": "outlet", "kind": "sitemap", "url": srv.url("/sitemap.xml"),
                                        "since_days": 3}])
    assert failed == []
    assert [d.url.rsplit("/", 1)[1] for d in found] == ["1", "2", "undated"]
    assert found[0].title_hint == "스마트도시 국가시범도시 2단계 착수"
    assert found[0].lastmod_hint == datetime(2024, 5, 18, 23, 0, tzinfo=UTC)
    assert found[1].lastmod_hint == datetime(2024, 5, 20, tzinfo=UTC)
    assert found[1].discovered_via == srv.url("/sitemap.xml")


def test_sitemap_without_since_days_keeps_old_entries(tmp_path: Path) -> None:
    with serve({"/sitemap.xml": xml(URLSET)}) as srv:
        found, _ = run(tmp_path, [{"name": "outlet", "kind": "sitemap", "url": srv.url("/sitemap.xml")}])
    assert len(found) == 4


def test_sitemap_index_with_a_dead_and_a_broken_child_still_reads_the_good_one(tmp_path: Path) -> None:
    index = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sm/good.xml.gz</loc><lastmod>2024-05-20</lastmod></sitemap>
<sitemap><loc>/sm/dead.xml</loc></sitemap>
<sitemap><loc>/sm/broken.xml</loc></sitemap>
<sitemap><loc>/sm/ancient.xml</loc><lastmod>2020-01-01</lastmod></sitemap>
</sitemapindex>"""
    routes = {"/index.xml": xml(index),
              "/sm/good.xml.gz": text(gzip.compress(URLSET.encode()), "application/x-gzip"),
              "/sm/broken.xml": xml("<urlset><url><loc>https://x.example/1</loc>"),
              "/sm/ancient.xml": xml(URLSET)}
    with serve(routes) as srv:
        found, failed = run(tmp_path, [{"name": "outlet", "kind": "sitemap", "url": srv.url("/index.xml"),
                                        "since_days": 3}])
        assert srv.count("/sm/ancient.xml") == 0  # its lastmod is older than since_days
    assert [d.url.rsplit("/", 1)[1] for d in found] == ["1", "2", "undated"]
    assert found[0].discovered_via == srv.url("/sm/good.xml.gz")
    outcomes = {f.url: (f.outcome, f.http_status) for f in failed}
    assert outcomes == {srv.url("/sm/dead.xml"): ("http_error", 404),
                        srv.url("/sm/broken.xml"): ("feed_error", 200)}


def test_sitemap_index_loops_are_read_once(tmp_path: Path) -> None:
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/index.xml</loc></sitemap><sitemap><loc>/urls.xml</loc></sitemap></sitemapindex>"""
    with serve({"/index.xml": xml(index), "/urls.xml": xml(URLSET)}) as srv:
        found, failed = run(tmp_path, [{"name": "o", "kind": "sitemap", "url": srv.url("/index.xml")}])
        assert srv.count("/index.xml") == 1
    assert failed == [] and len(found) == 4


def test_dates_in_the_wild_are_read() -> None:
    assert parse_date("Tue, 21 May 2024 10:32:00 +0900") == datetime(2024, 5, 21, 1, 32, tzinfo=UTC)
    assert parse_date("2024-05-21T10:32:00Z") == datetime(2024, 5, 21, 10, 32, tzinfo=UTC)
    assert parse_date("2024.5.21 10:32") == datetime(2024, 5, 21, 10, 32, tzinfo=UTC)
    assert parse_date("어제") is None and parse_date("") is None
