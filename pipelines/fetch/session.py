"""The fetch stage's two calls, `discover` and `fetch_all`: synchronous functions around asyncio, each running
one event loop with one shared HTTP client (crawler.Crawler), host gates and robots cache. Imported through
`pipelines.fetch` (lazily: see its docstring)."""
from __future__ import annotations

import asyncio
import concurrent.futures
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from pipelines.basics import sha256_hex, utcnow
from pipelines.fetch.crawler import Crawler, _host_key
from pipelines.fetch.discovery import discover_sources, read_html_page
from pipelines.fetch.robots import RobotsCache
from pipelines.fetch.types import Discovered, FetchResult
from pipelines.sources.config import CrawlPolicy, SourcesConfig

__all__ = ["discover", "fetch_all"]

T = TypeVar("T")
Validators = dict[str, tuple[str | None, str | None]]


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, also from code that already runs an event loop (then in a worker thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def discover(config: SourcesConfig, *, now: datetime | None = None, robots: RobotsCache | None = None,
             ) -> tuple[list[Discovered], list[FetchResult]]:
    """Every source's URLs, plus one FetchResult per source (or child sitemap) that failed.

    `now` anchors sitemap `since_days` (default: the current time). Pass the same `robots` cache
    to `fetch_all` to fetch each host's robots.txt once per run.
    """
    async def go() -> tuple[list[Discovered], list[FetchResult]]:
        async with Crawler(config, robots) as crawler:
            return await discover_sources(config.sources, crawler, config.path, now or utcnow())
    return _run(go())


def _local_result(item: Discovered) -> FetchResult:
    content = item.content or b""
    return FetchResult(source_name=item.source_name, url=item.url, outcome="ok", fetched_at=utcnow(),
                       attempts=1, final_url=item.url, content_type="text/html", content=content,
                       content_hash=sha256_hex(content))


def fetch_all(items: list[Discovered], config: SourcesConfig, *, validators: Validators | None = None,
              on_result: Callable[[FetchResult], None] | None = None,
              robots: RobotsCache | None = None) -> list[FetchResult]:
    """One FetchResult per item, in the items' order.

    Items that carry `content` are 'ok' without network. Items of an html_dir source are read from their
    file (`discover.read_html_page`: the file named by `discovered_via`, inside the folder, at most
    `max_bytes`), never from the network, whatever their URL. Other http(s) items are fetched
    under their source's CrawlPolicy (the config defaults for an unknown source name);
    `validators` maps url -> (etag, last_modified) for conditional GETs; `on_result` is called with
    each result as soon as it is known (in completion order); an exception it raises stops the call.
    """
    policies: dict[str, CrawlPolicy] = {s.name: s.policy for s in config.sources}
    html_dirs = {s.name: s for s in config.sources if s.kind == "html_dir"}
    validators = validators or {}

    async def go() -> list[FetchResult]:
        async with Crawler(config, robots) as crawler:
            async def one(item: Discovered) -> FetchResult:
                if item.content is not None:
                    result = _local_result(item)
                elif item.source_name in html_dirs:
                    result = await asyncio.to_thread(read_html_page, html_dirs[item.source_name], item)
                else:
                    policy = policies.get(item.source_name, config.defaults)
                    result = await crawler.fetch(item.source_name, item.url, policy,
                                                 validators=validators.get(item.url))
                if on_result is not None:
                    on_result(result)
                return result

            # A bounded pool: per host as many workers as its per_host_concurrency (the host gate's bound), so
            # a slow or delayed host never holds up another host's URLs and 100k URLs are not 100k tasks.
            results: list[FetchResult | None] = [None] * len(items)
            queues: dict[str, deque[int]] = {}
            width: dict[str, int] = {}
            for i, item in enumerate(items):
                local = item.content is not None or item.source_name in html_dirs
                key = "" if local else _host_key(item.url)
                queues.setdefault(key, deque()).append(i)
                bound = 1 if not key else policies.get(item.source_name, config.defaults).per_host_concurrency
                width[key] = max(width.get(key, 1), bound, 1)

            async def worker(queue: deque[int]) -> None:
                while queue:
                    i = queue.popleft()
                    results[i] = await one(items[i])

            await asyncio.gather(*(worker(q) for key, q in queues.items() for _ in range(width[key])))
            return [r for r in results if r is not None]
    return _run(go())
