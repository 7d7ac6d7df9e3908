"""fetch_all against a real server on 127.0.0.1 that misbehaves on purpose: one test per fault."""
from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from email.utils import formatdate
from pathlib import Path

import pytest

from pipelines.fetch import Discovered, FetchResult, fetch_all
from pipelines.fetch import crawler as crawler_mod
from pipelines.fetch import safety
from pipelines.sources.config import CrawlPolicy, Source, SourcesConfig
from tests.support.http_server import (
    Exchange, Response, close_without_response, conditional, delay, fail_then, gzip_bomb, gzipped,
    html, redirect, redirect_loop, retry_after_then, robots_txt, serve, text, trickle, truncated,
    truncated_chunked, unused_port,
)

PAGE = "<!doctype html><html><head><title>시범도시</title></head><body><p>세종시가 스마트시티 사업을 시작했다.</p></body></html>"
FAST = dict(allow_private_hosts=True, min_delay_s=0.0, timeout_s=2.0, max_retries=0,
            respect_robots_txt=False, max_bytes=1_000_000)


def make_config(**overrides: object) -> SourcesConfig:
    policy = CrawlPolicy(**{**FAST, **overrides})  # type: ignore[arg-type]
    source = Source(name="web", kind="urls", policy=policy, urls=("http://placeholder.invalid/",))
    return SourcesConfig(path=Path(__file__), defaults=policy, sources=(source,))


def fetch(urls: list[str], **overrides: object) -> list[FetchResult]:
    return fetch_all([Discovered("web", u) for u in urls], make_config(**overrides))


def fetch_one(url: str, **overrides: object) -> FetchResult:
    return fetch([url], **overrides)[0]


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crawler_mod, "BACKOFF_BASE_S", 0.05)


# ---------------------------------------------------------------- success

def test_ok_page_keeps_bytes_hash_lowercase_headers_validators_and_sends_user_agent() -> None:
    body = PAGE.encode("utf-8")
    page = Response(200, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"',
                          "Last-Modified": "Wed, 01 May 2024 00:00:00 GMT", "X-Custom-Thing": "yes"}, body)
    with serve({"/news/1": page}) as srv:
        res = fetch_one(srv.url("/news/1"), user_agent="test-crawler/9.9 (+https://example.org)")
        sent = srv.requests[0].headers
    assert res.outcome == "ok" and res.http_status == 200 and res.attempts == 1
    assert res.content == body and res.content_hash == hashlib.sha256(body).hexdigest()
    assert res.etag == '"v1"' and res.last_modified == "Wed, 01 May 2024 00:00:00 GMT"
    assert res.headers["x-custom-thing"] == "yes" and all(k == k.lower() for k in res.headers)
    assert res.content_type == "text/html; charset=utf-8" and res.final_url == srv.url("/news/1")
    assert sent["user-agent"] == "test-crawler/9.9 (+https://example.org)"


def test_results_keep_item_order_and_on_result_sees_each_one() -> None:
    seen: list[str] = []
    with serve({"/slow": delay(0.3, html(PAGE)), "/fast": html(PAGE)}) as srv:
        urls = [srv.url("/slow"), srv.url("/fast")]
        out = fetch_all([Discovered("web", u) for u in urls], make_config(per_host_concurrency=2),
                        on_result=lambda r: seen.append(r.url))
    assert [r.url for r in out] == urls
    assert seen == [urls[1], urls[0]]  # completion order


def test_html_dir_items_are_ok_without_network() -> None:
    item = Discovered("seeds", "https://news.example.invalid/a/1", content=b"<html>x</html>")
    res = fetch_all([item], make_config())[0]
    assert res.outcome == "ok" and res.http_status is None and res.final_url == item.url
    assert res.content == b"<html>x</html>" and res.content_hash == hashlib.sha256(b"<html>x</html>").hexdigest()


def test_gzip_and_deflate_bodies_are_decoded_and_hashed_decoded() -> None:
    import zlib
    raw = PAGE.encode("utf-8")
    deflated = Response(200, {"Content-Type": "text/html", "Content-Encoding": "deflate"}, zlib.compress(raw))
    with serve({"/gz": gzipped(html(PAGE)), "/deflate": deflated}) as srv:
        gz, df = fetch([srv.url("/gz"), srv.url("/deflate")])
    assert gz.outcome == df.outcome == "ok"
    assert gz.content == df.content == raw and gz.content_hash == hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------- HTTP status and retries

@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_are_http_errors_without_retry(status: int) -> None:
    with serve({"/gone": html("<html>gone</html>", status=status)}) as srv:
        res = fetch_one(srv.url("/gone"), max_retries=2)
        assert srv.count("/gone") == 1
    assert res.outcome == "http_error" and res.http_status == status and res.attempts == 1
    assert res.error == f"HTTP {status}"


def test_503_then_200_is_ok_after_two_attempts() -> None:
    with serve({"/flaky": fail_then(1, status=503, then=html(PAGE))}) as srv:
        res = fetch_one(srv.url("/flaky"), max_retries=2)
        assert srv.count("/flaky") == 2
    assert res.outcome == "ok" and res.attempts == 2 and res.content == PAGE.encode()


def test_500_retries_back_off_exponentially_and_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crawler_mod, "BACKOFF_BASE_S", 0.2)
    with serve({"/down": fail_then(99, status=500, then=html(PAGE))}) as srv:
        res = fetch_one(srv.url("/down"), max_retries=2)
        times = [r.at for r in srv.requests_for("/down")]
    assert res.outcome == "http_error" and res.attempts == 3 and res.http_status == 500
    assert res.error == "HTTP 500 after 3 attempts"
    assert len(times) == 3
    assert times[1] - times[0] >= 0.18 and times[2] - times[1] >= 0.38  # 0.2 s, then 0.4 s


def test_429_retry_after_seconds_is_honoured() -> None:
    with serve({"/busy": retry_after_then(1, "1", then=html(PAGE))}) as srv:
        res = fetch_one(srv.url("/busy"), max_retries=1)
        first, second = (r.at for r in srv.requests_for("/busy"))
    assert res.outcome == "ok" and res.attempts == 2
    assert second - first >= 0.95


def test_503_retry_after_http_date_is_honoured() -> None:
    when = formatdate(time.time() + 2, usegmt=True)  # second resolution: waits 1-2 s
    with serve({"/busy": retry_after_then(1, when, status=503, then=html(PAGE))}) as srv:
        res = fetch_one(srv.url("/busy"), max_retries=1)
        first, second = (r.at for r in srv.requests_for("/busy"))
    assert res.outcome == "ok" and res.attempts == 2
    assert second - first >= 0.9


def test_retry_after_longer_than_allowed_is_not_waited_for() -> None:
    with serve({"/busy": retry_after_then(5, "3600", then=html(PAGE))}) as srv:
        started = time.monotonic()
        res = fetch_one(srv.url("/busy"), max_retries=3, max_retry_after_s=5)
        assert srv.count("/busy") == 1
    assert time.monotonic() - started < 2.0
    assert res.outcome == "http_error" and res.http_status == 429 and res.attempts == 1
    assert "Retry-After 3600 s exceeds max_retry_after_s=5" in (res.error or "")


# ---------------------------------------------------------------- timeouts

def test_a_slow_server_ends_as_timeout() -> None:
    with serve({"/slow": delay(5, html(PAGE))}) as srv:
        started = time.monotonic()
        res = fetch_one(srv.url("/slow"), timeout_s=0.5)
    assert res.outcome == "timeout" and "timeout_s=0.5" in (res.error or "")
    assert time.monotonic() - started < 2.0


def test_a_server_that_trickles_bytes_forever_ends_as_timeout_within_timeout_s() -> None:
    with serve({"/trickle": trickle(interval=0.05)}) as srv:
        started = time.monotonic()
        res = fetch_one(srv.url("/trickle"), timeout_s=0.8)
    elapsed = time.monotonic() - started
    assert res.outcome == "timeout" and res.content is None
    assert 0.7 <= elapsed < 2.0


def test_timeouts_are_retried_and_counted() -> None:
    with serve({"/trickle": trickle(interval=0.05)}) as srv:
        res = fetch_one(srv.url("/trickle"), timeout_s=0.4, max_retries=1)
        assert srv.count("/trickle") == 2
    assert res.outcome == "timeout" and res.attempts == 2
    assert res.error == "no complete response within timeout_s=0.4 after 2 attempts"


# ---------------------------------------------------------------- size, type, truncation

def test_declared_body_over_max_bytes_is_too_large_without_reading_it() -> None:
    with serve({"/big": html("<html>" + "가" * 5000 + "</html>")}) as srv:
        res = fetch_one(srv.url("/big"), max_bytes=1000)
    assert res.outcome == "too_large" and res.content is None
    assert res.error is not None and res.error.startswith("response exceeds max_bytes=1000")


def test_streamed_body_over_max_bytes_is_too_large() -> None:
    def endless_chunks(ex: Exchange) -> None:  # chunked: no Content-Length to refuse early
        ex.send_head(200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
        for _ in range(50):
            if not ex.write(b"400\r\n" + b"a" * 1024 + b"\r\n"):
                break
        ex.write(b"0\r\n\r\n")
    with serve({"/stream": endless_chunks}) as srv:
        res = fetch_one(srv.url("/stream"), max_bytes=10_000)
    assert res.outcome == "too_large" and res.error == "response exceeds max_bytes=10000"


def test_gzip_bomb_is_too_large_counted_on_decoded_bytes() -> None:
    bomb = gzip_bomb(32 << 20)
    assert len(bomb.body) < 100_000  # the wire size is far below max_bytes ...
    with serve({"/bomb": bomb}) as srv:
        started = time.monotonic()
        res = fetch_one(srv.url("/bomb"), max_bytes=200_000)
    assert res.outcome == "too_large"  # ... but the decoded size is not
    assert res.error == "response exceeds max_bytes=200000"
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/json"])
def test_non_html_content_type_is_not_html(content_type: str) -> None:
    with serve({"/file": text(b"\x89PNG....", content_type)}) as srv:
        res = fetch_one(srv.url("/file"))
    assert res.outcome == "not_html" and res.content is None
    assert content_type in (res.error or "")


def test_xhtml_is_html_and_a_missing_content_type_is_sniffed() -> None:
    routes = {
        "/xhtml": text(PAGE, "application/xhtml+xml"),
        "/untyped-page": Response(200, {}, PAGE.encode()),
        "/untyped-blob": Response(200, {}, b"\x00\x01binary data"),
    }
    with serve(routes) as srv:
        xhtml, page, blob = fetch([srv.url(p) for p in routes])
    assert xhtml.outcome == "ok" and page.outcome == "ok"
    assert blob.outcome == "not_html" and "does not look like HTML" in (blob.error or "")


def test_body_shorter_than_content_length_is_a_connection_error() -> None:
    with serve({"/cut": truncated(b"<html><body>half a page", declared_length=5000)}) as srv:
        res = fetch_one(srv.url("/cut"))
    assert res.outcome == "connection_error" and res.content is None
    assert "truncated response" in (res.error or "") and "expected 5000" in (res.error or "")


def test_connection_closed_mid_chunk_is_a_connection_error() -> None:
    with serve({"/cut": truncated_chunked(b"<html><body>first chunk")}) as srv:
        res = fetch_one(srv.url("/cut"))
    assert res.outcome == "connection_error" and "truncated response" in (res.error or "")


def test_connection_closed_before_any_response_is_a_connection_error() -> None:
    with serve({"/rude": close_without_response()}) as srv:
        res = fetch_one(srv.url("/rude"))
    assert res.outcome == "connection_error" and res.error


def test_a_get_dropped_before_any_response_is_sent_once_more_on_a_fresh_connection() -> None:
    """The loss seen at 100k pages: the server closes a kept-alive connection as the next request goes out."""
    dropped: list[int] = []

    def drop_first(ex: Exchange) -> Response | None:
        if not dropped:
            dropped.append(1)
            ex.close()
            return None
        return html(PAGE)

    with serve({"/first": html(PAGE), "/second": drop_first}) as srv:
        first, second = fetch([srv.url("/first"), srv.url("/second")], global_concurrency=1,
                              per_host_concurrency=1)
        sent = [r.path for r in srv.requests]
    assert (first.outcome, second.outcome) == ("ok", "ok")
    assert sent == ["/first", "/second", "/second"]


def test_a_get_dropped_twice_is_a_connection_error_after_exactly_two_requests() -> None:
    with serve({"/rude": close_without_response()}) as srv:
        res = fetch_one(srv.url("/rude"))
        sent = [r.path for r in srv.requests]
    assert res.outcome == "connection_error" and sent == ["/rude", "/rude"]


# ---------------------------------------------------------------- redirects

def test_redirects_are_followed_and_counted() -> None:
    routes = {"/old": redirect("/moved", 301), "/moved": redirect("/news/2?x=1#top", 302),
              "/news/2": html(PAGE)}
    with serve(routes) as srv:
        res = fetch_one(srv.url("/old"))
    assert res.outcome == "ok" and res.final_url == srv.url("/news/2?x=1")
    assert res.url == srv.url("/old") and res.attempts == 3


def test_redirect_loop_is_refused() -> None:
    with serve(redirect_loop("/a", "/b")) as srv:
        res = fetch_one(srv.url("/a"), max_redirects=10)
        assert srv.count() == 2
    assert res.outcome == "redirect_refused" and (res.error or "").startswith("redirect loop:")


def test_too_many_redirects_are_refused() -> None:
    routes = {f"/r{i}": redirect(f"/r{i + 1}") for i in range(5)}
    with serve(routes) as srv:
        res = fetch_one(srv.url("/r0"), max_redirects=2)
        assert srv.count() == 3
    assert res.outcome == "redirect_refused" and res.error == "more than max_redirects=2 redirects"


@pytest.mark.parametrize("target", ["ftp://files.example.org/a.html", "file:///etc/passwd",
                                    "javascript:alert(1)"])
def test_redirect_to_a_non_http_scheme_is_refused(target: str) -> None:
    with serve({"/go": redirect(target)}) as srv:
        res = fetch_one(srv.url("/go"))
        assert srv.count() == 1
    assert res.outcome == "redirect_refused" and target.split(":")[0] in (res.error or "")


def test_non_http_item_is_refused_without_network() -> None:
    res = fetch(["ftp://files.example.org/news.html"])[0]
    assert res.outcome == "blocked_address" and "'ftp' is not http/https" in (res.error or "")


# ---------------------------------------------------------------- network failures and address safety

def test_connection_refused_is_a_connection_error() -> None:
    res = fetch_one(f"http://127.0.0.1:{unused_port()}/news/1")
    assert res.outcome == "connection_error" and "connection refused" in (res.error or "")


def test_dns_failure_is_a_dns_error() -> None:
    res = fetch_one("http://news.does-not-exist.invalid/article/1")
    assert res.outcome == "dns_error" and "news.does-not-exist.invalid" in (res.error or "")


def test_loopback_address_is_refused_unless_allowed() -> None:
    with serve({"/a": html(PAGE)}) as srv:
        res = fetch_one(srv.url("/a"), allow_private_hosts=False)
        assert srv.count() == 0
    assert res.outcome == "blocked_address"
    assert res.error == "refused: 127.0.0.1 is a loopback address"


def test_a_name_that_resolves_to_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "news.example.com" else ["93.184.216.34"]
    with serve({"/a": html(PAGE)}) as srv:
        plain = fetch_one(f"http://localhost:{srv.port}/a", allow_private_hosts=False)
        monkeypatch.setattr(safety, "resolve_host", fake_dns)
        public_looking = fetch_one(f"http://news.example.com:{srv.port}/a", allow_private_hosts=False)
        assert srv.count() == 0
    assert plain.outcome == public_looking.outcome == "blocked_address"
    assert public_looking.error == "refused: 127.0.0.1 is a loopback address (news.example.com resolves to it)"


def test_the_connection_goes_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_dns(host: str, port: int) -> list[str]:
        assert host == "news.example.test"
        return ["127.0.0.1"]
    monkeypatch.setattr(safety, "resolve_host", fake_dns)
    with serve({"/a": html(PAGE)}) as srv:
        res = fetch_one(f"http://news.example.test:{srv.port}/a")
        host_header = srv.requests[0].headers["host"]
    assert res.outcome == "ok" and host_header == f"news.example.test:{srv.port}"


def test_every_redirect_hop_is_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_dns(host: str, port: int) -> list[str]:
        known = {"outlet.test": ["127.0.0.1"], "intranet.test": ["127.0.0.2"]}
        if host not in known:
            raise socket.gaierror(-2, "Name or service not known")
        return known[host]
    real_refusal = safety.address_refusal
    # pretend 127.0.0.1 is a public address, so only the hop's 127.0.0.2 is "inside"
    monkeypatch.setattr(safety, "resolve_host", fake_dns)
    monkeypatch.setattr(safety, "address_refusal", lambda a: None if a == "127.0.0.1" else real_refusal(a))
    with serve({}) as srv:
        srv.routes["/go"] = redirect(f"http://intranet.test:{srv.port}/admin")
        srv.routes["/dns"] = redirect("http://gone.invalid/x")
        hop, dns = fetch([f"http://outlet.test:{srv.port}/go", f"http://outlet.test:{srv.port}/dns"],
                         allow_private_hosts=False)
        assert srv.count("/admin") == 0
    assert hop.outcome == "blocked_address" and "127.0.0.2 is a loopback address" in (hop.error or "")
    assert hop.final_url == f"http://intranet.test:{srv.port}/admin"
    assert dns.outcome == "dns_error"


@pytest.mark.parametrize("address", ["10.1.2.3", "172.16.0.1", "192.168.0.10", "169.254.169.254",
                                     "224.0.0.1", "0.0.0.0", "100.64.0.1", "::1", "fe80::1", "fc00::1",
                                     "::ffff:127.0.0.1", "240.0.0.1"])
def test_non_public_addresses_are_refused(address: str) -> None:
    assert safety.address_refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "211.234.10.1", "2001:4860:4860::8888"])
def test_public_addresses_pass(address: str) -> None:
    assert safety.address_refusal(address) is None


# ---------------------------------------------------------------- robots.txt

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def test_robots_txt_is_honoured_and_fetched_once_per_host() -> None:
    routes = {"/robots.txt": robots_txt(ROBOTS), "/private/1": html(PAGE)}
    routes |= {f"/news/{i}": html(PAGE) for i in range(4)}
    with serve(routes) as srv:
        urls = [srv.url(p) for p in ["/private/1"] + [f"/news/{i}" for i in range(4)]]
        out = fetch(urls, respect_robots_txt=True, per_host_concurrency=4)
        assert srv.count("/robots.txt") == 1
        assert srv.count("/private/1") == 0
    assert out[0].outcome == "robots_disallowed" and out[0].attempts == 0
    assert out[0].error == f"robots.txt disallows {urls[0]} for kr-smartcity-news"
    assert [r.outcome for r in out[1:]] == ["ok"] * 4


def test_a_group_for_our_agent_replaces_the_star_group() -> None:
    rules = "User-agent: *\nDisallow: /private/\n\nUser-agent: kr-smartcity-news\nDisallow: /members/\n"
    routes = {"/robots.txt": robots_txt(rules), "/private/1": html(PAGE), "/members/1": html(PAGE)}
    with serve(routes) as srv:
        private, members = fetch([srv.url("/private/1"), srv.url("/members/1")], respect_robots_txt=True)
    assert private.outcome == "ok" and members.outcome == "robots_disallowed"


def test_robots_crawl_delay_raises_the_hosts_min_delay() -> None:
    routes = {"/robots.txt": robots_txt("User-agent: *\nCrawl-delay: 1\nAllow: /\n"),
              "/n/1": html(PAGE), "/n/2": html(PAGE)}
    with serve(routes) as srv:
        out = fetch([srv.url("/n/1"), srv.url("/n/2")], respect_robots_txt=True, per_host_concurrency=2)
        first, second = sorted(r.at for r in srv.requests if r.path.startswith("/n/"))
    assert [r.outcome for r in out] == ["ok", "ok"]
    assert second - first >= 0.95


def test_missing_robots_txt_allows_everything() -> None:
    with serve({"/news/1": html(PAGE)}) as srv:
        res = fetch_one(srv.url("/news/1"), respect_robots_txt=True)
        assert srv.count("/robots.txt") == 1
    assert res.outcome == "ok"


def test_robots_txt_server_error_disallows_the_host() -> None:
    with serve({"/robots.txt": html("oops", status=503), "/news/1": html(PAGE)}) as srv:
        res = fetch_one(srv.url("/news/1"), respect_robots_txt=True)
        assert srv.count("/news/1") == 0
    assert res.outcome == "robots_disallowed" and "RFC 9309" in (res.error or "")


def test_robots_txt_is_not_fetched_when_the_policy_says_so() -> None:
    with serve({"/robots.txt": robots_txt("User-agent: *\nDisallow: /\n"), "/news/1": html(PAGE)}) as srv:
        res = fetch_one(srv.url("/news/1"), respect_robots_txt=False)
        assert srv.count("/robots.txt") == 0
    assert res.outcome == "ok"


# ---------------------------------------------------------------- conditional GET

def test_conditional_get_sends_validators_and_304_is_not_modified() -> None:
    etag, stamp = '"abc123"', "Tue, 07 May 2024 01:02:03 GMT"
    with serve({"/a": conditional(html(PAGE), etag=etag, last_modified=stamp)}) as srv:
        url = srv.url("/a")
        first = fetch_one(url)
        second = fetch_all([Discovered("web", url)], make_config(),
                           validators={url: (first.etag, first.last_modified)})[0]
        sent = srv.requests[1].headers
    assert first.outcome == "ok" and first.etag == etag and first.last_modified == stamp
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == stamp
    assert second.outcome == "not_modified" and second.http_status == 304
    assert second.content is None and second.content_hash is None


# ---------------------------------------------------------------- politeness

def test_min_delay_spaces_requests_to_one_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule is about when the crawler *starts* requests, so the starts are taken where the crawler starts them:
    as its host gate lets each request through (the real gate, recording). The server's arrival times would add
    each connection's latency, and on a loaded machine a slow first connection compresses the first gap.

    Each request k (k = 0, 1, ...) may start no earlier than k * min_delay after the first: the gate schedules
    request k at least min_delay after request k-1's scheduled start and never lets it through before then, and the
    first request goes through at once, when it is scheduled. A late wake-up only delays a start, so the bound
    holds on any machine; an ignored min_delay puts every start within milliseconds of the first."""
    starts: list[float] = []

    class RecordingGate(crawler_mod.HostGate):
        @asynccontextmanager
        async def slot(self, min_delay_s: float) -> AsyncIterator[None]:
            async with super().slot(min_delay_s):
                starts.append(time.monotonic())
                yield

    monkeypatch.setattr(crawler_mod, "HostGate", RecordingGate)
    delay_s = 0.3
    with serve({f"/n/{i}": html(PAGE) for i in range(4)}) as srv:
        results = fetch([srv.url(f"/n/{i}") for i in range(4)], min_delay_s=delay_s, per_host_concurrency=4)
        arrived = len(srv.requests)
    assert [r.outcome for r in results] == ["ok"] * 4 and arrived == 4 and len(starts) == 4
    first = starts[0]
    slack = 1e-6  # asyncio may wake a timer up to the monotonic clock's resolution (1 ns) early
    assert [s - first >= k * delay_s - slack for k, s in enumerate(starts)] == [True] * 4, [s - first for s in starts]


class _InFlight:
    """Counts requests being answered at once (across servers)."""

    def __init__(self) -> None:
        self.now = self.peak = 0
        self._lock = threading.Lock()

    def handler(self, seconds: float) -> object:
        def handle(ex: Exchange) -> Response:
            with self._lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            ex.wait(seconds)
            with self._lock:
                self.now -= 1
            return html(PAGE)
        return handle


def test_per_host_concurrency_is_bounded() -> None:
    flight = _InFlight()
    with serve({f"/n/{i}": flight.handler(0.15) for i in range(6)}) as srv:
        out = fetch([srv.url(f"/n/{i}") for i in range(6)], per_host_concurrency=2)
    assert [r.outcome for r in out] == ["ok"] * 6
    assert flight.peak == 2


def test_a_hosts_connections_split_into_small_pools_keep_its_concurrency_and_keep_alive() -> None:
    """per_host_concurrency 10 is three httpx pools (4 + 3 + 3 connections, crawler.HostPools): 10 requests still
    run at once (a pool leased past its size would make a request wait for a connection), and 40 pages travel
    over at most 10 connections, each kept alive for the next page."""
    flight, ports = _InFlight(), set()

    def handle(ex: Exchange) -> Response:
        ports.add(ex.client_port)
        return slow(ex)

    slow = flight.handler(0.3)
    with serve({f"/n/{i}": handle for i in range(40)}) as srv:
        out = fetch([srv.url(f"/n/{i}") for i in range(40)], per_host_concurrency=10, global_concurrency=32,
                    timeout_s=10.0)
    assert [r.outcome for r in out] == ["ok"] * 40
    assert flight.peak == 10
    assert len(ports) <= 10


def test_host_pools_lease_the_freest_pool_and_never_past_a_pools_size() -> None:
    made: list[int] = []

    def make(size: int) -> object:
        made.append(size)
        return f"pool-{len(made) - 1}"

    pools = crawler_mod.HostPools(10, make)  # type: ignore[arg-type]
    assert made == [4, 3, 3] and crawler_mod.POOL_CONNECTIONS == 4
    assert crawler_mod.HostPools(1, lambda size: size).transports == [1]  # type: ignore[arg-type, return-value]
    with ExitStack() as stack:
        leased = [stack.enter_context(pools.lease()) for _ in range(10)]
        assert Counter(leased) == {"pool-0": 4, "pool-1": 3, "pool-2": 3}
    with ExitStack() as stack:  # every lease was returned: the same spread again
        assert Counter(stack.enter_context(pools.lease()) for _ in range(10)) == {"pool-0": 4, "pool-1": 3, "pool-2": 3}


def test_global_concurrency_is_bounded_across_hosts() -> None:
    flight = _InFlight()
    routes = {f"/n/{i}": flight.handler(0.1) for i in range(3)}
    with serve(routes) as one, serve(routes) as two:
        urls = [s.url(f"/n/{i}") for s in (one, two) for i in range(3)]
        out = fetch(urls, per_host_concurrency=3, global_concurrency=1)
    assert [r.outcome for r in out] == ["ok"] * 6
    assert flight.peak == 1


def test_retry_after_also_holds_back_the_hosts_other_requests() -> None:
    with serve({"/busy": retry_after_then(1, "1", then=html(PAGE), status=503)}) as srv:
        srv.routes["/other"] = delay(0.05, html(PAGE))
        url_busy, url_other = srv.url("/busy"), srv.url("/other")
        cfg = make_config(per_host_concurrency=1, max_retries=1)
        out = fetch_all([Discovered("web", url_busy), Discovered("web", url_busy + "?again"),
                         Discovered("web", url_other)], cfg)
        busy_first = srv.requests_for("/busy")[0].at
        other = srv.requests_for("/other")[0].at
    assert [r.outcome for r in out] == ["ok", "ok", "ok"]
    assert other - busy_first >= 0.9


def test_unknown_or_corrupt_content_encoding_is_a_decode_error() -> None:
    routes = {"/br": Response(200, {"Content-Type": "text/html", "Content-Encoding": "br"}, b"\x1b\x03"),
              "/bad-gzip": Response(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                    b"this is not gzip at all")}
    with serve(routes) as srv:
        br, bad = fetch([srv.url("/br"), srv.url("/bad-gzip")])
    assert br.outcome == "decode_error" and br.error == "unsupported content-encoding 'br'"
    assert bad.outcome == "decode_error" and "corrupt compressed body" in (bad.error or "")


# ---------------------------------------------------------------- cost per request

def test_fetching_pages_imports_nothing_per_request() -> None:
    """httpcore imports `sniffio` on every request; when it is missing each request pays a failed import (a search
    of every sys.path entry: 11 % of the fetch stage's CPU at 10k pages). After the first requests warm up, 60
    more pages must not ask the import system for any module."""
    import sys

    asked: list[str] = []

    class Recorder:
        @staticmethod
        def find_spec(name: str, path: object = None, target: object = None) -> None:
            asked.append(name)
            return None

    with serve({f"/news/{i}": html(PAGE) for i in range(80)}) as srv:
        assert all(r.outcome == "ok" for r in fetch([srv.url(f"/news/{i}") for i in range(20)]))  # warm-up
        sys.meta_path.insert(0, Recorder)
        try:
            results = fetch([srv.url(f"/news/{i}") for i in range(20, 80)])
        finally:
            sys.meta_path.remove(Recorder)
    assert all(r.outcome == "ok" for r in results) and len(results) == 60
    assert asked == [], sorted(set(asked))
