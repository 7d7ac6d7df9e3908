"""robots.txt, read the way RFC 9309 says, fetched once per origin per run.

* The file is fetched at ``scheme://host[:port]/robots.txt`` with the same client, address rules,
  timeouts, retries and politeness as any page (up to 5 redirects, at most 512 KiB read).
* 2xx: decoded as UTF-8 (a BOM dropped, bad bytes replaced), parsed with `protego` (RFC 9309 rules:
  `*` and `$` patterns, the longest matching Allow/Disallow wins and an equal-length tie allows,
  the group naming our product token replaces the `*` group, paths case-sensitive, percent-encoding
  normalised) and asked with our product token (the User-Agent up to its first "/" or space).
* 4xx (404, 410, 401, 403, ...): the file is "unavailable" -> everything is allowed (RFC 9309 2.3.1.3).
* 5xx and 429 (after the policy's retries): "unreachable" -> everything is DISALLOWED for this run
  (RFC 9309 2.3.1.4); pages on the origin end as `robots_disallowed` with an error that says so.
* The robots fetch itself failing on the network (DNS, refused, timeout, blocked address): the page
  gets that outcome ("robots.txt: ..."), since the host could not be reached anyway.
* Anything else (more redirects than allowed, a file over 512 KiB, an undecodable body, an odd
  status): treated as "unavailable" -> allow all (RFC 9309 2.3.1.2 lets crawlers do so).
* ``Crawl-delay`` for our agent raises the origin's minimum delay, capped at MAX_CRAWL_DELAY_S.

A `RobotsCache` lives for one run; pass the same instance to `discover` and `fetch_all` so a host's
file is fetched once per run (each call makes its own cache otherwise).
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

MAX_ROBOTS_BYTES = 512 * 1024
MAX_CRAWL_DELAY_S = 10.0


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt lets us do."""

    origin: str
    parser: Protego | None = None  # None with allow_all/deny_reason: no file to ask
    allow_all: bool = False
    deny_reason: str | None = None  # set: everything disallowed (unreachable robots.txt)
    failure_outcome: str | None = None  # set: the robots fetch failed on the network
    failure_error: str | None = None
    crawl_delay_s: float | None = None

    def refusal(self, url: str, user_agent: str) -> str | None:
        """None when `url` may be fetched, else a human-readable reason."""
        if self.deny_reason:
            return self.deny_reason
        if self.allow_all or self.parser is None:
            return None
        token = product_token(user_agent)
        if self.parser.can_fetch(url, token):
            return None
        return f"robots.txt disallows {url} for {token}"


def product_token(user_agent: str) -> str:
    """The product name of a User-Agent (``kr-smartcity-news/0.1 (+https://...)`` -> ``kr-smartcity-news``):
    robots.txt groups are matched against it, never against the version or the comment."""
    parts = user_agent.strip().split("/", 1)[0].split()
    return parts[0] if parts else ""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def robots_url(url: str) -> str:
    return f"{origin_of(url)}/robots.txt"


def parse_robots(origin: str, body: bytes, user_agent: str) -> RobotsRules:
    parser = Protego.parse(body.decode("utf-8-sig", errors="replace"))
    delay = parser.crawl_delay(product_token(user_agent))
    crawl_delay = min(float(delay), MAX_CRAWL_DELAY_S) if delay else None
    return RobotsRules(origin=origin, parser=parser, crawl_delay_s=crawl_delay)


# fetches robots.txt: (url) -> (outcome, http_status, body, error)
RobotsFetcher = Callable[[str], Awaitable[tuple[str, int | None, bytes | None, str | None]]]

NETWORK_OUTCOMES = ("dns_error", "connection_error", "timeout", "blocked_address")


def rules_from_fetch(origin: str, outcome: str, status: int | None, body: bytes | None,
                     error: str | None, user_agent: str) -> RobotsRules:
    if outcome == "ok" and body is not None:
        return parse_robots(origin, body, user_agent)
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsRules(origin=origin, allow_all=True)
    if status is not None and (status >= 500 or status == 429):
        return RobotsRules(origin=origin, deny_reason=(
            f"robots.txt unreachable (HTTP {status}); RFC 9309: treated as disallow all"))
    if outcome in NETWORK_OUTCOMES:
        return RobotsRules(origin=origin, failure_outcome=outcome, failure_error=f"robots.txt: {error}")
    # anything else (too large, undecodable, odd status): treat the file as unavailable
    return RobotsRules(origin=origin, allow_all=True)


class RobotsCache:
    """Per-run cache of robots rules, one fetch per origin even under concurrency."""

    def __init__(self) -> None:
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.fetches = 0

    def cached(self, url: str) -> RobotsRules | None:
        return self._rules.get(origin_of(url))

    async def rules_for(self, url: str, user_agent: str, fetch: RobotsFetcher) -> RobotsRules:
        origin = origin_of(url)
        if origin in self._rules:
            return self._rules[origin]
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new run (asyncio.run) gets fresh locks
            self._loop, self._locks = loop, {}
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self.fetches += 1
                outcome, status, body, error = await fetch(f"{origin}/robots.txt")
                self._rules[origin] = rules_from_fetch(origin, outcome, status, body, error, user_agent)
        return self._rules[origin]
