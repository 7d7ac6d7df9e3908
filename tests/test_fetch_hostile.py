"""Hostile or careless input to the fetch stage costs itself, never the source or the night (issue 13, "Weak").

Each test reproduces one probe: html_dir files over the size cap, symlinks out of the folder, file names that
are not UTF-8, pages whose canonical URL points at a server; feeds in UTF-16/UTF-32 with entity bombs;
a feed listing far more URLs than a night can fetch; IPv6 addresses that carry a private IPv4 address.
The bad item is recorded with its outcome and reason; the good ones around it are still read.
"""
from __future__ import annotations

import os
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from pipelines import stages
from pipelines import warehouse as wh
from pipelines.fetch import FETCH_OUTCOMES, discover, fetch_all, safety
from pipelines.fetch.crawler import Crawler
from pipelines.fetch.feeds import (
    MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, FeedError, matches_keywords, parse_feed, parse_sitemap,
)
from pipelines.sources.config import CrawlPolicy, SourcesConfig, load_sources
from tests.support.http_server import html, serve, text

FAST = {"allow_private_hosts": True, "min_delay_s": 0, "timeout_s": 2, "max_retries": 0,
        "respect_robots_txt": False}
NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
PAGE = "<html><head><title>{t}</title>{link}</head><body><p>{t} 기사 본문입니다.</p></body></html>"


def sources_file(tmp_path: Path, sources: list[dict], **defaults: object) -> SourcesConfig:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"defaults": {**FAST, **defaults}, "sources": sources}, allow_unicode=True),
                    encoding="utf-8")
    return load_sources(path)


def page(title: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return PAGE.format(t=title, link=link).encode("utf-8")


def by_outcome(results) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in results:
        out.setdefault(r.outcome, []).append(r)
    return out


# ---------------------------------------------------------------- html_dir

def test_an_html_dir_file_over_max_bytes_is_too_large_and_never_read(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_bytes(page("작은 기사"))
    huge = pages / "huge.html"
    with open(huge, "wb") as fh:  # 200 MB, sparse: the probe's file without filling the disk
        fh.write(b"<html><head><title>big</title></head><body>")
        fh.truncate(200_000_000)
    config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}], max_bytes=1_000_000)
    tracemalloc.start()
    try:
        found, failed = discover(config, now=NOW)
        results = fetch_all(found, config)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, f"peak {peak:,} bytes: the big file was read"
    assert [f.outcome for f in failed] == ["too_large"]
    assert failed[0].url == huge.resolve().as_uri() and failed[0].source_name == "saved"
    assert "200,000,000 bytes, over max_bytes=1,000,000" in failed[0].error
    assert [(r.outcome, r.content) for r in results] == [("ok", page("작은 기사"))]


def test_a_file_that_grows_past_the_cap_after_discovery_is_too_large_at_fetch(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_bytes(page("자라는 기사"))
    config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}], max_bytes=10_000)
    found, _ = discover(config, now=NOW)
    (pages / "a.html").write_bytes(page("자라는 기사") + b" " * 20_000)
    [res] = fetch_all(found, config)
    assert res.outcome == "too_large" and res.content is None and "over max_bytes=10,000" in res.error


def test_a_symlink_out_of_the_folder_is_refused_with_its_reason_and_nothing_is_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "inside.html").write_bytes(page("안쪽 기사"))
    (pages / "sub" / "alias.html").symlink_to(pages / "inside.html")  # a link inside the folder is fine
    with serve({"/article/1": html(page("서버의 기사"))}) as srv:
        secret.write_bytes(page("비밀", canonical=srv.url("/article/1")))
        (pages / "escape.html").symlink_to(secret)
        (pages / "passwd.html").symlink_to("/etc/passwd")
        (pages / "dangling.html").symlink_to(tmp_path / "gone.html")
        config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}])
        found, failed = discover(config, now=NOW)
        results = fetch_all(found, config)
        assert srv.requests == [], "an html_dir page sent the crawler to the network"
    refused = {Path(f.url).name if not f.url.startswith("file:") else f.url.rsplit("/", 1)[1]: f for f in failed}
    assert set(refused) == {"escape.html", "passwd.html", "dangling.html"}
    # refusals are blocked_address, a dangling link (nothing to read) connection_error: the contract's words
    assert {n: f.outcome for n, f in refused.items()} == {"escape.html": "blocked_address",
                                                         "passwd.html": "blocked_address",
                                                         "dangling.html": "connection_error"}
    assert "is a symlink to" in refused["escape.html"].error and "outside the html_dir folder" in refused["escape.html"].error
    assert "/etc/passwd" in refused["passwd.html"].error and "scheme" not in refused["passwd.html"].error
    assert "no such file" in refused["dangling.html"].error
    assert sorted(r.content for r in results) == sorted([page("안쪽 기사")] * 2)
    assert all(r.outcome == "ok" for r in results)


def test_a_file_name_that_is_not_utf8_is_read(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    latin1 = os.fsdecode(os.path.join(os.fsencode(pages), "caf\xe9-news.html".encode("latin-1")))
    Path(latin1).write_bytes(page("라틴 파일"))
    with serve({"/news/9": html(page("서버 쪽"))}) as srv:
        named = os.fsdecode(os.path.join(os.fsencode(pages), "r\xe9sum\xe9.html".encode("latin-1")))
        Path(named).write_bytes(page("정본 있는 파일", canonical=srv.url("/news/9")))
        config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}])
        found, failed = discover(config, now=NOW)
        results = fetch_all(found, config)
        assert srv.requests == []
    assert failed == []
    urls = {d.url for d in found}
    assert srv.url("/news/9") in urls and any(u.startswith("file://") and "caf%E9-news.html" in u for u in urls)
    assert sorted(r.content for r in results) == sorted([Path(latin1).read_bytes(), Path(named).read_bytes()])


def test_an_html_dir_page_is_its_file_never_a_fetch_of_its_canonical(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    with serve({"/news/1": html(page("서버가 바꾼 기사"))}) as srv:
        (pages / "a.html").write_bytes(page("디스크의 기사", canonical=srv.url("/news/1")))
        config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}])
        found, _ = discover(config, now=NOW)
        (pages / "a.html").unlink()  # gone before the fetch: recorded, still no network
        [res] = fetch_all(found, config)
        assert srv.requests == []
    assert found[0].url == srv.url("/news/1")
    assert res.outcome == "connection_error" and "no such file" in res.error and res.url == srv.url("/news/1")


def test_discovery_reads_only_the_head_of_each_file(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(5):
        (pages / f"{i}.html").write_bytes(page(f"기사 {i}") + b"<p>" + b"x" * 3_000_000 + b"</p>")
    config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"}])
    tracemalloc.start()
    try:
        found, failed = discover(config, now=NOW)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert failed == [] and len(found) == 5 and all(d.content is None for d in found)
    assert peak < 2_000_000, f"discovery held {peak:,} bytes: it read whole files"


def test_the_html_dir_probes_through_the_stages_the_step_goes_on(tmp_path: Path) -> None:
    """discover_stage + fetch_stage on a real DuckDB file: the bad files are rows in raw.fetch_log with their
    reason, the good ones (a Latin-1 name included) are stored pages, and nothing went to the network."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.html").write_bytes(page("좋은 기사"))
    Path(os.fsdecode(os.path.join(os.fsencode(pages), b"caf\xe9.html"))).write_bytes(page("라틴 이름 기사"))
    (tmp_path / "outside.html").write_bytes(page("밖의 파일"))
    (pages / "out.html").symlink_to(tmp_path / "outside.html")
    with open(pages / "big.html", "wb") as fh:
        fh.truncate(50_000_000)
    config = sources_file(tmp_path, [{"name": "saved", "kind": "html_dir", "path": "pages"},
                                     {"name": "gone", "kind": "html_dir", "path": "no-such-folder"}],
                          max_bytes=1_000_000)
    con = wh.connect(tmp_path / "news.duckdb")
    try:
        stages.discover_stage(con, config, "run-1", now=NOW)
        report = stages.fetch_stage(con, config, "run-1")
        rows = con.execute("select source_name, url, outcome, error from raw.fetch_log where run_id = 'run-1' "
                           "order by outcome, url").fetchall()
        stored = con.execute("select count(*) from raw.pages").fetchone()[0]
    finally:
        con.close()
    outcomes = sorted(r[2] for r in rows)
    assert outcomes == ["blocked_address", "feed_error", "ok", "ok", "too_large"]
    assert report.counts["outcome_ok"] == 2 and stored == 2
    reasons = {r[2]: r[3] for r in rows}
    assert "outside the html_dir folder" in reasons["blocked_address"]
    assert "html_dir folder not found" in reasons["feed_error"]
    assert "over max_bytes" in reasons["too_large"]
    assert set(FETCH_OUTCOMES) >= set(outcomes)


# ---------------------------------------------------------------- feeds and sitemaps

BOMB = ('<?xml version="1.0" encoding="{enc}"?>'
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        '<rss version="2.0"><channel><item><title>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</title>'
        '<link>https://news.example.kr/1</link></item></channel></rss>')
FEED = ('<?xml version="1.0" encoding="{enc}"?><rss version="2.0"><channel>'
        '<item><title>스마트시티 협약</title><link>https://news.example.kr/1</link></item></channel></rss>')


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_a_feed_with_entities_is_refused_in_any_encoding(encoding: str) -> None:
    data = BOMB.format(enc=encoding.upper()).encode(encoding)
    assert len(data) < 2_000 * 4
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_feed(data, "https://news.example.kr/rss")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "euc-kr"])
def test_a_plain_feed_in_another_encoding_is_read(encoding: str) -> None:
    [entry] = parse_feed(FEED.format(enc=encoding.upper()).encode(encoding), "https://news.example.kr/rss")
    assert (entry.url, entry.title) == ("https://news.example.kr/1", "스마트시티 협약")


def test_external_entities_and_external_dtds_are_refused() -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<rss><channel><item><title>&x;</title><link>https://a.example/1</link></item></channel></rss>')
    ext = ('<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
           '<rss><channel><item><title>t</title><link>https://a.example/1</link></item></channel></rss>')
    for doc in (xxe, ext):
        with pytest.raises(FeedError, match="refused"):
            parse_feed(doc.encode("utf-16"), "https://a.example/")
    sitemap = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE urlset [<!ENTITY x "y">]>'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&x;</loc>'
               '</url></urlset>')
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_sitemap(sitemap.encode("utf-16"), "https://a.example/sitemap.xml")


def test_titles_and_summaries_are_capped() -> None:
    long_title, long_summary = "가" * 800_000, "나" * 800_000
    doc = (f'<rss version="2.0"><channel><item><title>{long_title}</title><description>{long_summary}</description>'
           '<link>https://a.example/1</link></item>'
           f'<item><title>ok</title><link>https://a.example/{"x" * 10_000}</link></item></channel></rss>')
    [entry] = parse_feed(doc.encode("utf-8"), "https://a.example/")
    assert len(entry.title) == MAX_TITLE_CHARS and len(entry.summary) == MAX_SUMMARY_CHARS


def test_deeply_nested_markup_in_a_feed_title_is_read_in_bounded_time() -> None:
    # 1,000,000 escaped <div> open at once: lexbor on all of it takes minutes (elements x depth); only the
    # first MAX_MARKUP_CHARS characters are parsed, so the title is read at once, empty but not an error
    nested = "&lt;div&gt;" * 1_000_000
    doc = (f'<rss version="2.0"><channel><item><title>{nested}스마트시티</title><description>{nested}</description>'
           '<link>https://a.example/1</link></item></channel></rss>')
    started = time.process_time()
    [entry] = parse_feed(doc.encode("utf-8"), "https://a.example/")
    assert matches_keywords(("스마트시티",), entry.title, entry.summary) is False
    assert time.process_time() - started < 5.0
    assert entry.title is None and entry.url == "https://a.example/1"


def test_a_utf16_entity_feed_through_discover_is_a_feed_error_and_the_other_source_goes_on(tmp_path: Path) -> None:
    with serve({"/evil": text(BOMB.format(enc="UTF-16").encode("utf-16"), "application/rss+xml"),
                "/ok": text(FEED.format(enc="UTF-8").encode("utf-8"), "application/rss+xml")}) as srv:
        found, failed = discover(sources_file(tmp_path, [{"name": "evil", "kind": "rss", "url": srv.url("/evil")},
                                                         {"name": "fine", "kind": "rss", "url": srv.url("/ok")}]),
                                 now=NOW)
    assert [d.url for d in found] == ["https://news.example.kr/1"] and found[0].title_hint == "스마트시티 협약"
    assert [(f.source_name, f.outcome) for f in failed] == [("evil", "feed_error")]
    assert "DOCTYPE" in failed[0].error


# ---------------------------------------------------------------- URLs per source

def _rss(n: int) -> bytes:
    items = "".join(f"<item><title>기사 {i}</title><link>https://news.example.kr/a/{i}</link></item>" for i in range(n))
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def test_a_feed_listing_100k_urls_keeps_max_urls_per_source_and_records_the_rest(tmp_path: Path) -> None:
    with serve({"/big": text(_rss(100_000), "application/rss+xml"),
                "/small": text(_rss(3), "application/rss+xml")}) as srv:
        config = sources_file(tmp_path, [{"name": "big", "kind": "rss", "url": srv.url("/big")},
                                         {"name": "small", "kind": "rss", "url": srv.url("/small")}],
                              max_bytes=20_000_000)
        assert config.defaults.max_urls_per_source == 5_000  # the default
        found, failed = discover(config, now=NOW)
    big = [d for d in found if d.source_name == "big"]
    assert len(big) == 5_000 and big[0].url == "https://news.example.kr/a/0"  # undated: document order
    assert sum(d.source_name == "small" for d in found) == 3
    [row] = failed
    assert (row.source_name, row.url, row.outcome) == ("big", srv.url("/big"), "too_large")
    assert "100,000 URLs, more than max_urls_per_source=5,000" in row.error and "95,000 dropped" in row.error


def test_the_cap_keeps_the_newest_entries_of_a_sitemap(tmp_path: Path) -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC)
    entries = [(i, day + timedelta(days=(i * 7) % 19)) for i in range(40)]
    body = "".join(f"<url><loc>https://news.example.kr/s/{i}</loc><lastmod>{d.date().isoformat()}</lastmod></url>"
                   for i, d in entries) + "<url><loc>https://news.example.kr/undated</loc></url>"
    doc = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode()
    with serve({"/sitemap.xml": text(doc, "application/xml")}) as srv:
        found, failed = discover(sources_file(tmp_path, [{"name": "map", "kind": "sitemap", "url": srv.url("/sitemap.xml"),
                                                          "max_urls_per_source": 10}]), now=NOW)
    newest = sorted(entries, key=lambda e: (-e[1].timestamp(), e[0]))[:10]
    assert [d.url for d in found] == [f"https://news.example.kr/s/{i}" for i, _ in sorted(newest)]
    assert failed[0].outcome == "too_large" and "31 dropped" in failed[0].error


def test_the_cap_applies_to_urls_and_html_dir_sources_too(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    for i in range(4):
        (tmp_path / "pages" / f"{i}.html").write_bytes(page(f"기사 {i}"))
    found, failed = discover(sources_file(tmp_path, [
        {"name": "picked", "kind": "urls", "urls": [f"https://a.example/{i}" for i in range(5)], "max_urls_per_source": 2},
        {"name": "saved", "kind": "html_dir", "path": "pages", "max_urls_per_source": 3}]), now=NOW)
    assert [d.url for d in found if d.source_name == "picked"] == ["https://a.example/0", "https://a.example/1"]
    assert sum(d.source_name == "saved" for d in found) == 3
    assert sorted((f.source_name, f.outcome) for f in failed) == [("picked", "too_large"), ("saved", "too_large")]


# ---------------------------------------------------------------- addresses

@pytest.mark.parametrize("address, embedded", [
    ("2002:7f00:1::1", "127.0.0.1"), ("2002:a00:1::1", "10.0.0.1"), ("2002:c0a8:101::", "192.168.1.1"),
    ("2002:a9fe:a9fe::1", "169.254.169.254"), ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),
    ("64:ff9b::7f00:1", "127.0.0.1"), ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
])
def test_ipv6_forms_carrying_a_private_ipv4_are_refused_naming_it(address: str, embedded: str) -> None:
    reason = safety.address_refusal(address)
    assert reason is not None and embedded in reason


@pytest.mark.parametrize("address", ["2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8"])
def test_ipv6_forms_carrying_a_public_ipv4_pass(address: str) -> None:
    assert safety.address_refusal(address) is None


def test_teredo_stays_refused_even_with_public_addresses() -> None:
    assert safety.address_refusal("2001:0:808:808:8000:63bf:f7f7:f7f7") is not None


async def _fetch_via(monkeypatch: pytest.MonkeyPatch, address: str):
    async def fake_dns(host: str, port: int) -> list[str]:
        return [address]
    monkeypatch.setattr(safety, "resolve_host", fake_dns)
    config = SourcesConfig(path=Path(__file__), defaults=CrawlPolicy(min_delay_s=0, timeout_s=1, max_retries=0,
                                                                     respect_robots_txt=False))
    async with Crawler(config) as crawler:
        return await crawler.fetch("web", "http://news.example.com/a", config.defaults)


def test_a_name_resolving_to_6to4_loopback_is_blocked_before_any_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    res = asyncio.run(_fetch_via(monkeypatch, "2002:7f00:1::1"))
    assert res.outcome == "blocked_address" and res.attempts == 0
    assert "6to4 address embedding 127.0.0.1, a loopback address" in res.error
    assert "news.example.com resolves to it" in res.error
