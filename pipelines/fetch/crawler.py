"""The polite HTTP client: one `Crawler` per run, shared by every source and URL.

What one `Crawler.fetch(url)` does, in order (each step can end the fetch with an outcome):

1. only http/https (else `blocked_address`, or `redirect_refused` for a redirect hop);
2. address safety for the host (`safety.check_host`): `dns_error` / `blocked_address`; the request is
   pinned to the checked address;
3. robots.txt for the origin when the policy respects it (`robots.RobotsCache`): `robots_disallowed`;
4. the request itself, through the host gate (at most `per_host_concurrency` in flight to one host,
   request starts at least `min_delay_s` apart -- robots Crawl-delay can raise it) and the global
   bound (`global_concurrency` of the run's default policy). Each attempt has connect/read timeouts
   of `timeout_s` and a hard deadline of `timeout_s` for the whole exchange, so a server that
   trickles bytes forever ends as `timeout`;
5. retries: 429, 5xx and timeouts are retried up to `max_retries` extra attempts; the wait is the
   server's Retry-After (seconds or HTTP date; it also holds back every other request to that host)
   or else exponential backoff BACKOFF_BASE_S * 2**n (capped at BACKOFF_MAX_S). A Retry-After longer
   than `max_retry_after_s` is not waited for: the URL ends as `http_error` at once;
   404/410 and other 4xx are `http_error` without retry;
6. redirects (301/302/303/307/308) are followed by hand up to `max_redirects`; every hop goes
   through steps 1-3 again; a loop, one hop too many or a non-http(s) target is `redirect_refused`;
7. the response: 304 -> `not_modified` (when validators were sent); page fetches need an HTML content
   type (text/html, application/xhtml+xml; a missing one is sniffed) else `not_html` before the body
   is read; the body is read raw and decoded by `body.BoundedBody`, so `max_bytes` counts decoded
   bytes (`too_large`, gzip bombs included); a body cut short (Content-Length not reached, a chunk
   never finished, reset) is `connection_error`.

`attempts` counts every HTTP request made for the URL: retries plus redirect hops (robots.txt
excluded). Nothing from a response is ever executed or used as a path or SQL text.
"""
from __future__ import annotations

import asyncio
import email.utils
import logging
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from pipelines.basics import sha256_hex, utcnow
from pipelines.fetch.body import (
    BodyDecodeError, BodyTooLarge, BoundedBody, is_html_type, looks_like_html, media_type,
)
from pipelines.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache
from pipelines.fetch.safety import AddressRefused, CheckedHost, DnsFailure, check_host
from pipelines.fetch.types import FetchResult
from pipelines.fetch.urls import is_fetchable, resolve_link, scheme_of
from pipelines.sources.config import CrawlPolicy, SourcesConfig

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 30.0
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
    "robots": "text/plain,*/*;q=0.5",
}


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: delta-seconds or an HTTP date (None when absent/garbled)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or utcnow())).total_seconds(), 0.0)


def ssl_context() -> ssl.SSLContext:
    """Certificate verification for https (system CA bundle via httpx/certifi; tests swap it)."""
    return httpx.create_ssl_context(trust_env=False)


def backoff_seconds(retry_no: int) -> float:
    return min(BACKOFF_BASE_S * (2 ** retry_no), BACKOFF_MAX_S)


# ---------------------------------------------------------------- outcomes of one exchange

@dataclass
class _Reply:
    status: int
    headers: dict[str, str]
    body: bytes | None = None


class _Stop(Exception):
    """The fetch ends with this outcome (no retry)."""

    def __init__(self, outcome: str, error: str, status: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.outcome, self.error, self.status, self.headers = outcome, error, status, headers or {}


class _Retryable(Exception):
    """A 429/5xx answer or a timeout: worth another attempt."""

    def __init__(self, outcome: str, error: str, status: int | None = None,
                 headers: dict[str, str] | None = None, retry_after: float | None = None) -> None:
        super().__init__(error)
        self.outcome, self.error, self.status = outcome, error, status
        self.headers, self.retry_after = headers or {}, retry_after


# ---------------------------------------------------------------- politeness

@dataclass
class HostGate:
    """Per-host politeness: a concurrency bound and a minimum gap between request starts."""

    concurrency: int
    next_start: float = 0.0
    crawl_delay_s: float = 0.0
    semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.concurrency)

    @asynccontextmanager
    async def slot(self, min_delay_s: float) -> AsyncIterator[None]:
        async with self.semaphore:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + max(min_delay_s, self.crawl_delay_s)
            if start > now:
                await asyncio.sleep(start - now)
            yield

    def hold_off(self, seconds: float) -> None:
        """No request to this host before `seconds` from now (a Retry-After)."""
        self.next_start = max(self.next_start, time.monotonic() + seconds)


# Keep-alive connections per httpcore pool. httpcore checks every connection of a pool (expired? an idle socket
# readable, i.e. closed by the server: getpeername + poll) whenever a request is queued and whenever a response is
# closed, so one pool of 32 connections costs 2 x 32 checks per request: 10-15 % of the fetch stage at 10k pages
# (py-spy). A host's connections are split into pools of at most this many (`HostPools`).
POOL_CONNECTIONS = 4


class HostPools:
    """One host's keep-alive connections (at most `size` in all) as several small httpx transports of at most
    POOL_CONNECTIONS each. A request leases the pool with the most free connections, so as long as the host gate
    admits at most `size` requests at once (it does: `per_host_concurrency`), a request never waits for a
    connection while another pool has one free."""

    def __init__(self, size: int, make: Callable[[int], httpx.AsyncHTTPTransport]) -> None:
        size = max(size, 1)
        n = -(-size // POOL_CONNECTIONS)
        sizes = [size // n + (1 if i < size % n else 0) for i in range(n)]
        self.transports = [make(s) for s in sizes]
        self._free = sizes

    @contextmanager
    def lease(self) -> Iterator[httpx.AsyncHTTPTransport]:
        """A transport for one exchange: held until the response is closed (the caller's `with` block)."""
        free = self._free
        i = max(range(len(free)), key=free.__getitem__) if len(free) > 1 else 0
        free[i] -= 1
        try:
            yield self.transports[i]
        finally:
            free[i] += 1

    async def aclose(self) -> None:
        for transport in self.transports:
            await transport.aclose()


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _lower_headers(headers: httpx.Headers) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers.multi_items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _connect_error(exc: httpx.ConnectError, address: str, port: int | None) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {address}:{port or ''}".rstrip(":")
        cause = cause.__cause__ or cause.__context__
    return f"cannot connect to {address}: {exc}"


def _drop_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


# ---------------------------------------------------------------- the crawler

class Crawler:
    """Shared state of one run: HTTP client, host gates, global bound, robots cache."""

    def __init__(self, config: SourcesConfig, robots: RobotsCache | None = None) -> None:
        self._defaults = config.defaults
        self.robots = robots if robots is not None else RobotsCache()
        self._gates: dict[str, HostGate] = {}
        self._global = asyncio.Semaphore(config.defaults.global_concurrency)
        self._pools: dict[str, HostPools] = {}
        self._ssl = ssl_context()
        self.requests = 0

    async def __aenter__(self) -> Crawler:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for pools in self._pools.values():
            await pools.aclose()
        self._pools.clear()

    def _host_pools(self, url: str, policy: CrawlPolicy) -> HostPools:
        """The connection pools of one host name (`HostPools`: per_host_concurrency connections in all).
        Requests are pinned to IP addresses, and httpcore keys its pools by address: a shared pool would
        send one host's request over a TLS connection that was verified for another host on the same
        address (shared hosting, CDNs). We use transports, not a Client: redirects are ours to judge (a
        Client parses every Location and fails on 'javascript:...' before we see the response); no
        proxies from the environment."""
        key = f"{urlsplit(url).scheme.lower()}://{_host_key(url)}"
        pools = self._pools.get(key)
        if pools is None:
            def make(size: int) -> httpx.AsyncHTTPTransport:
                limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
                return httpx.AsyncHTTPTransport(verify=self._ssl, limits=limits, trust_env=False)
            pools = self._pools[key] = HostPools(policy.per_host_concurrency, make)
        return pools

    def _gate(self, url: str, policy: CrawlPolicy) -> HostGate:
        key = _host_key(url)
        if key not in self._gates:
            self._gates[key] = HostGate(policy.per_host_concurrency)
        return self._gates[key]

    # -------------------------------------------------------------- public

    async def fetch(self, source_name: str, url: str, policy: CrawlPolicy, *, purpose: str = "page",
                    validators: tuple[str | None, str | None] | None = None) -> FetchResult:
        """Fetch one URL under `policy`; never raises (every failure is a FetchResult outcome)."""
        chain = _Chain(url)
        try:
            return await self._fetch_chain(source_name, chain, policy, purpose, validators)
        except Exception as exc:  # a bug must not sink the run; it is recorded on the URL
            log.exception("unexpected error fetching %s", url)
            return chain.result(source_name, "connection_error", f"unexpected error: {exc!r}")

    # -------------------------------------------------------------- steps

    async def _fetch_chain(self, source_name: str, chain: _Chain, policy: CrawlPolicy, purpose: str,
                           validators: tuple[str | None, str | None] | None) -> FetchResult:
        while True:
            stop = await self._admit(chain, policy, purpose)
            if stop is not None:
                return chain.result(source_name, stop.outcome, stop.error)
            try:
                reply = await self._with_retries(chain, policy, purpose, validators)
            except _Stop as s:
                return chain.result(source_name, s.outcome, s.error, status=s.status, headers=s.headers)
            if reply.status in REDIRECT_STATUSES:
                stop = chain.follow(reply, policy.max_redirects)
                if stop is not None:
                    return chain.result(source_name, stop.outcome, stop.error, status=reply.status,
                                        headers=reply.headers)
                continue
            return chain.reply_result(source_name, reply)

    async def _admit(self, chain: _Chain, policy: CrawlPolicy, purpose: str) -> _Stop | None:
        """Scheme, address and robots checks for the chain's current URL."""
        url = chain.current
        if not is_fetchable(url):
            outcome = "redirect_refused" if chain.hops else "blocked_address"
            return _Stop(outcome, f"refused: scheme {scheme_of(url)!r} is not http/https ({url})")
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            chain.checked = await check_host(parts.hostname or "", port,
                                             allow_private=policy.allow_private_hosts,
                                             timeout_s=policy.timeout_s)
        except DnsFailure as exc:
            return _Stop("dns_error", str(exc))
        except AddressRefused as exc:
            return _Stop("blocked_address", str(exc))
        if purpose == "robots" or not policy.respect_robots_txt:
            return None
        rules = await self.robots.rules_for(url, policy.user_agent,
                                            lambda robots_url: self._fetch_robots(robots_url, policy))
        if rules.failure_outcome:
            return _Stop(rules.failure_outcome, rules.failure_error or "robots.txt fetch failed")
        if rules.crawl_delay_s:
            gate = self._gate(url, policy)
            gate.crawl_delay_s = max(gate.crawl_delay_s, rules.crawl_delay_s)
        refusal = rules.refusal(url, policy.user_agent)
        return _Stop("robots_disallowed", refusal) if refusal else None

    async def _fetch_robots(self, url: str, policy: CrawlPolicy
                            ) -> tuple[str, int | None, bytes | None, str | None]:
        robots_policy = replace(policy, max_bytes=min(policy.max_bytes, MAX_ROBOTS_BYTES),
                                max_redirects=max(policy.max_redirects, 5))
        res = await self.fetch("", url, robots_policy, purpose="robots")
        return res.outcome, res.http_status, res.content, res.error

    async def _with_retries(self, chain: _Chain, policy: CrawlPolicy, purpose: str,
                            validators: tuple[str | None, str | None] | None) -> _Reply:
        last: _Retryable | None = None
        for retry_no in range(policy.max_retries + 1):
            chain.attempts += 1
            try:
                return await self._exchange(chain, policy, purpose, validators)
            except _Retryable as r:
                last = r
            if last.retry_after is not None and last.retry_after > policy.max_retry_after_s:
                raise _Stop("http_error", f"{last.error}: Retry-After {last.retry_after:g} s exceeds "
                            f"max_retry_after_s={policy.max_retry_after_s:g}", last.status, last.headers)
            if retry_no == policy.max_retries:
                break
            wait = last.retry_after if last.retry_after is not None else backoff_seconds(retry_no)
            if last.retry_after is not None:
                self._gate(chain.current, policy).hold_off(wait)
            await asyncio.sleep(wait)
        assert last is not None
        raise _Stop(last.outcome, f"{last.error} after {chain.attempts_here} attempts"
                    if chain.attempts_here > 1 else last.error, last.status, last.headers)

    async def _exchange(self, chain: _Chain, policy: CrawlPolicy, purpose: str,
                        validators: tuple[str | None, str | None] | None) -> _Reply:
        """One HTTP request through the host gate and the global bound, under a hard deadline."""
        chain.attempts_here += 1
        async with self._gate(chain.current, policy).slot(policy.min_delay_s), self._global:
            self.requests += 1
            try:
                async with asyncio.timeout(policy.timeout_s):
                    return await self._request(chain, policy, purpose, validators)
            except (TimeoutError, httpx.TimeoutException):
                raise _Retryable("timeout", f"no complete response within timeout_s={policy.timeout_s:g}"
                                 ) from None

    def _request_headers(self, url: httpx.URL, policy: CrawlPolicy, purpose: str,
                         validators: tuple[str | None, str | None] | None) -> dict[str, str]:
        """The request's headers; `url` is the chain's current URL, parsed once by the caller."""
        host = url.raw_host.decode("ascii")
        host = f"[{host}]" if ":" in host else host
        headers = {
            "Host": host if url.port is None else f"{host}:{url.port}",
            "User-Agent": policy.user_agent,
            "Accept": ACCEPT.get(purpose, "*/*"),
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "ko,en;q=0.8",
        }
        etag, last_modified = validators or (None, None)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    async def _request(self, chain: _Chain, policy: CrawlPolicy, purpose: str,
                       validators: tuple[str | None, str | None] | None) -> _Reply:
        assert chain.checked is not None
        pools = self._host_pools(chain.current, policy)
        url = httpx.URL(chain.current)
        headers = self._request_headers(url, policy, purpose, validators)
        extensions: dict[str, object] = {"timeout": httpx.Timeout(policy.timeout_s).as_dict()}
        if url.scheme == "https":
            extensions["sni_hostname"] = chain.checked.host
        addresses = chain.checked.addresses
        for i, address in enumerate(addresses):
            request = httpx.Request("GET", url.copy_with(host=address), headers=headers,
                                    extensions=extensions)
            fresh: httpx.AsyncHTTPTransport | None = None
            try:
                with pools.lease() as transport:
                    try:
                        response = await transport.handle_async_request(request)
                    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                        # The connection ended before any response: most often a kept-alive connection that the
                        # server closed as the request went out. A GET is idempotent: send it once more, on a
                        # connection of its own (the pool may hold more connections the server has closed).
                        self.requests += 1
                        fresh = httpx.AsyncHTTPTransport(
                            verify=self._ssl, trust_env=False,
                            limits=httpx.Limits(max_connections=1, max_keepalive_connections=0))
                        response = await fresh.handle_async_request(request)
                    try:
                        return await self._read(response, policy, purpose)
                    finally:
                        await response.aclose()
            except httpx.ConnectError as exc:
                if i + 1 < len(addresses):
                    continue
                raise _Stop("connection_error", _connect_error(exc, address, url.port)) from None
            except httpx.RemoteProtocolError as exc:
                raise _Stop("connection_error", f"malformed response: {exc}") from None
            except (httpx.ReadError, httpx.WriteError, httpx.NetworkError) as exc:
                raise _Stop("connection_error", f"connection broken: {exc or type(exc).__name__}"
                            ) from None
            except httpx.TimeoutException:
                raise
            except httpx.HTTPError as exc:
                raise _Stop("connection_error", f"HTTP client error: {exc}") from None
            finally:
                if fresh is not None:
                    await fresh.aclose()
        raise _Stop("connection_error", "no address to connect to")

    async def _read(self, response: httpx.Response, policy: CrawlPolicy, purpose: str) -> _Reply:
        status = response.status_code
        headers = _lower_headers(response.headers)
        if status in REDIRECT_STATUSES or status == 304:
            return _Reply(status, headers)
        if status == 429 or status >= 500:
            raise _Retryable("http_error", f"HTTP {status}", status, headers,
                             retry_after_seconds(headers.get("retry-after")))
        if not 200 <= status < 300:
            raise _Stop("http_error", f"HTTP {status}", status, headers)
        content_type = headers.get("content-type")
        if purpose == "page" and content_type and not is_html_type(content_type):
            raise _Stop("not_html", f"content type {media_type(content_type)!r} is not HTML", status, headers)
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > policy.max_bytes:
            raise _Stop("too_large", f"response exceeds max_bytes={policy.max_bytes} "
                        f"(Content-Length {declared})", status, headers)
        try:
            body = BoundedBody(headers.get("content-encoding"), policy.max_bytes)
            async for raw in response.aiter_raw():
                body.feed(raw)
            content = body.finish()
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Stop("connection_error", f"truncated response: {exc or type(exc).__name__}",
                        status, headers) from None
        except BodyTooLarge as exc:
            raise _Stop("too_large", str(exc), status, headers) from None
        except BodyDecodeError as exc:
            raise _Stop("decode_error", str(exc), status, headers) from None
        if purpose == "page" and not content_type and not looks_like_html(content):
            raise _Stop("not_html", "no content type and the body does not look like HTML", status, headers)
        return _Reply(status, headers, content)


@dataclass
class _Chain:
    """One URL's way through redirects: where we are, what we counted."""

    url: str
    current: str = ""
    visited: list[str] = field(default_factory=list)
    hops: int = 0
    attempts: int = 0  # every request made for this URL
    attempts_here: int = 0  # requests made for the current hop
    checked: CheckedHost | None = None

    def __post_init__(self) -> None:
        self.current = self.url
        self.visited = [_drop_fragment(self.url)]

    def follow(self, reply: _Reply, max_redirects: int) -> _Stop | None:
        location = reply.headers.get("location", "").strip()
        if not location:
            return _Stop("http_error", f"HTTP {reply.status} redirect without a Location header")
        target = _drop_fragment(resolve_link(self.current, location))
        if scheme_of(target) not in ("http", "https"):
            return _Stop("redirect_refused", f"redirect to a {scheme_of(target) or 'relative'}: URL "
                         f"refused ({target[:200]})")
        if target in self.visited:
            loop = " -> ".join(self.visited[self.visited.index(target):] + [target])
            return _Stop("redirect_refused", f"redirect loop: {loop}")
        if self.hops >= max_redirects:
            return _Stop("redirect_refused", f"more than max_redirects={max_redirects} redirects")
        self.visited.append(target)
        self.current, self.hops, self.attempts_here = target, self.hops + 1, 0
        return None

    def result(self, source_name: str, outcome: str, error: str | None, *, status: int | None = None,
               headers: dict[str, str] | None = None) -> FetchResult:
        headers = headers or {}
        return FetchResult(
            source_name=source_name, url=self.url, outcome=outcome, fetched_at=utcnow(),
            attempts=self.attempts, final_url=self.current, http_status=status, error=error,
            content_type=headers.get("content-type"), headers=headers, etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
        )

    def reply_result(self, source_name: str, reply: _Reply) -> FetchResult:
        outcome = "not_modified" if reply.status == 304 else "ok"
        res = self.result(source_name, outcome, None, status=reply.status, headers=reply.headers)
        if outcome == "ok" and reply.body is not None:
            res.content, res.content_hash = reply.body, sha256_hex(reply.body)
        return res
