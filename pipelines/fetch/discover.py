"""Discovery: every source of the sources file turned into `Discovered` URLs.

Each source is read on its own; one that fails is recorded as a `FetchResult` for its own URL and
the others go on:

* ``html_dir`` -- every ``*.html`` / ``*.htm`` file under the folder (recursive, sorted by relative
  path). The page's URL is its ``<link rel="canonical">`` (a cheap regex over the first 64 KB; only an
  absolute http(s) href counts), else the file's ``file:`` URI; `content` holds the file's bytes.
  A missing folder or unreadable file -> `feed_error`.
* ``urls`` -- as listed.
* ``rss`` -- RSS 2.0 / 1.0 / Atom (`feeds.parse_feed`); the item link; `keywords` keep items whose
  title or summary/description contains one (case- and spacing-insensitive); pubDate/updated become
  `lastmod_hint`. Feed fetch failures keep their network/HTTP outcome; unreadable XML -> `feed_error`.
* ``sitemap`` -- urlset and sitemap index, followed recursively (depth <= MAX_SITEMAP_DEPTH, at most
  MAX_SITEMAPS documents per source; ``.xml.gz`` bodies inflated within max_bytes). `lastmod_hint` is
  ``<lastmod>``, else ``news:publication_date``; `since_days` drops entries (and child sitemaps) whose
  newest date is older than ``now - since_days``; undated entries are kept. A dead or malformed child
  sitemap is recorded for the child's URL while the other children are still read.

URLs are cleaned (`urls.clean_url`: fragment and tracking parameters dropped) and de-duplicated
within a source by `urls.canonicalize_url` (first one wins).
"""
from __future__ import annotations

import asyncio
import html
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from pipelines.fetch.body import BodyDecodeError, BodyTooLarge, gunzip_bounded
from pipelines.fetch.crawler import Crawler, now_utc
from pipelines.fetch.feeds import FeedError, matches_keywords, parse_feed, parse_sitemap
from pipelines.fetch.types import Discovered, FetchResult
from pipelines.fetch.urls import canonicalize_url, clean_url, is_fetchable
from pipelines.sources.config import Source

HTML_SUFFIXES = (".html", ".htm")
CANONICAL_SCAN_BYTES = 64 * 1024
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS = 500

_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


class _Found:
    """Discovered URLs of one source, de-duplicated by canonical form."""

    def __init__(self) -> None:
        self.items: list[Discovered] = []
        self.failures: list[FetchResult] = []
        self._seen: set[str] = set()

    def add(self, item: Discovered) -> None:
        key = canonicalize_url(item.url)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(item)


def _failure(source: Source, url: str, outcome: str, error: str) -> FetchResult:
    return FetchResult(source_name=source.name, url=url, outcome=outcome, fetched_at=now_utc(),
                       attempts=0, error=error)


# ---------------------------------------------------------------- html_dir

def _href_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = quote(raw, safe="/:?#[]@!$&'()*+,;=%~")
    return html.unescape(text).strip()


def find_canonical(page: bytes) -> str | None:
    """The absolute http(s) href of the first <link rel="canonical"> in the page's first 64 KB."""
    for tag in _LINK_TAG.finditer(page[:CANONICAL_SCAN_BYTES]):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                 for m in _ATTR.finditer(tag.group(0))}
        rel = attrs.get(b"rel", b"").decode("ascii", errors="replace").lower().split()
        if "canonical" in rel and attrs.get(b"href"):
            href = _href_text(attrs[b"href"])
            return href if is_fetchable(href) else None
    return None


def _read_html_dir(source: Source) -> _Found:
    found = _Found()
    folder = source.path
    if folder is None or not folder.is_dir():
        found.failures.append(_failure(source, (folder or Path(".")).absolute().as_uri(), "feed_error",
                                       f"html_dir not found: {folder}"))
        return found
    files = sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in HTML_SUFFIXES),
                   key=lambda p: p.relative_to(folder).as_posix())
    for path in files:
        try:
            content = path.read_bytes()
        except OSError as exc:
            found.failures.append(_failure(source, path.as_uri(), "feed_error", f"cannot read file: {exc}"))
            continue
        canonical = find_canonical(content)
        url = clean_url(canonical) if canonical else path.as_uri()
        found.add(Discovered(source_name=source.name, url=url, discovered_via=path.as_uri(),  # the file itself: the fetch stage re-reads it
                             content=content))
    return found


# ---------------------------------------------------------------- urls / rss

def _read_urls(source: Source, via: str) -> _Found:
    found = _Found()
    for url in source.urls:
        found.add(Discovered(source_name=source.name, url=clean_url(url), discovered_via=via))
    return found


def _feed_failed(res: FetchResult, error: str) -> FetchResult:
    return replace(res, outcome="feed_error", error=error, content=None)


async def _read_rss(source: Source, crawler: Crawler) -> _Found:
    found = _Found()
    assert source.url is not None
    res = await crawler.fetch(source.name, source.url, source.policy, purpose="feed")
    if res.outcome != "ok" or res.content is None:
        found.failures.append(replace(res, content=None))
        return found
    try:
        entries = parse_feed(res.content, res.final_url or source.url)
    except FeedError as exc:
        found.failures.append(_feed_failed(res, str(exc)))
        return found
    for entry in entries:
        if matches_keywords(source.keywords, entry.title, entry.summary):
            found.add(Discovered(source_name=source.name, url=clean_url(entry.url),
                                 discovered_via=source.url, title_hint=entry.title,
                                 lastmod_hint=entry.published))
    return found


# ---------------------------------------------------------------- sitemaps

def _is_stale(dates: list[datetime | None], cutoff: datetime | None) -> bool:
    known = [d for d in dates if d is not None]
    return cutoff is not None and bool(known) and max(known) < cutoff


async def _read_one_sitemap(source: Source, url: str, crawler: Crawler, found: _Found,
                            cutoff: datetime | None) -> list[str] | None:
    """Reads one sitemap document into `found`; returns child sitemap URLs of an index."""
    res = await crawler.fetch(source.name, url, source.policy, purpose="feed")
    if res.outcome != "ok" or res.content is None:
        found.failures.append(replace(res, content=None))
        return None
    data = res.content
    try:
        if data[:2] == b"\x1f\x8b":
            data = gunzip_bounded(data, source.policy.max_bytes)
        doc = parse_sitemap(data, res.final_url or url)
    except (FeedError, BodyTooLarge, BodyDecodeError) as exc:
        found.failures.append(_feed_failed(res, f"sitemap: {exc}"))
        return None
    if doc.is_index:
        return [e.loc for e in doc.entries if not _is_stale([e.lastmod], cutoff)]
    for e in doc.entries:
        if not _is_stale([e.lastmod, e.published], cutoff):
            found.add(Discovered(source_name=source.name, url=clean_url(e.loc), discovered_via=url,
                                 title_hint=e.title, lastmod_hint=e.lastmod or e.published))
    return None


def _cutoff(source: Source, now: datetime) -> datetime | None:
    return now - timedelta(days=source.since_days) if source.since_days is not None else None


async def _read_sitemaps(source: Source, crawler: Crawler, now: datetime) -> _Found:
    found = _Found()
    cutoff = _cutoff(source, now)
    assert source.url is not None
    level, seen, depth = [source.url], {source.url}, 0
    while level and depth <= MAX_SITEMAP_DEPTH:
        children = await asyncio.gather(*(_read_one_sitemap(source, u, crawler, found, cutoff) for u in level))
        level = []
        for child in (c for batch in children if batch for c in batch):
            if child not in seen and len(seen) < MAX_SITEMAPS:
                seen.add(child)
                level.append(child)
        depth += 1
    return found


# ---------------------------------------------------------------- all sources

async def _read_source(source: Source, crawler: Crawler, sources_file: Path, now: datetime) -> _Found:
    if source.kind == "html_dir":
        return await asyncio.to_thread(_read_html_dir, source)
    if source.kind == "urls":
        return _read_urls(source, sources_file.as_uri())
    if source.kind == "rss":
        return await _read_rss(source, crawler)
    return await _read_sitemaps(source, crawler, now)


async def _read_source_safely(source: Source, crawler: Crawler, sources_file: Path,
                              now: datetime) -> _Found:
    try:
        return await _read_source(source, crawler, sources_file, now)
    except Exception as exc:  # one broken source must not stop the others
        found = _Found()
        where = source.url or (source.path.as_uri() if source.path else sources_file.as_uri())
        found.failures.append(_failure(source, where, "feed_error", f"unexpected error: {exc!r}"))
        return found


async def discover_sources(sources: tuple[Source, ...], crawler: Crawler, sources_file: Path,
                           now: datetime) -> tuple[list[Discovered], list[FetchResult]]:
    found = await asyncio.gather(*(_read_source_safely(s, crawler, sources_file, now) for s in sources))
    items = [item for f in found for item in f.items]
    failures = [fail for f in found for fail in f.failures]
    return items, failures
