"""Discovery: every source of the sources file turned into `Discovered` URLs.

Each source is read on its own; one that fails is recorded as a `FetchResult` for its own URL and
the others go on:

* ``html_dir`` -- every ``*.html`` / ``*.htm`` file under the folder (recursive, sorted by relative
  path; symlinked sub-folders are not entered). The page's URL is its ``<link rel="canonical">`` (read
  by selectolax from the file's first 64 KB, the only bytes discovery reads; only an absolute http(s)
  href counts), else the file's ``file:`` URI; `discovered_via` is always the file's ``file:`` URI
  (file names that are not UTF-8 are kept byte for byte, percent-encoded). The fetch stage reads the
  whole file (`read_html_page`), never the network. Rules for a file (`open_html_file`), at discovery
  and again when it is read: a symlink must stay inside the folder, the file must be a regular file
  (else `blocked_address`, with the reason), and a file over the policy's `max_bytes` is `too_large`
  without being read. A missing folder is the source failing: `feed_error` ('html_dir folder not found: …').
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
within a source by `urls.canonicalize_url` (first one wins). A source yielding more than its policy's
`max_urls_per_source` keeps that many -- the newest by listing date, undated ones after dated ones,
document order breaking ties -- and one `too_large` row for the source says how many were dropped.
"""
from __future__ import annotations

import asyncio
import os
import stat
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

from selectolax.lexbor import LexborHTMLParser

from pipelines.fetch.body import BodyDecodeError, BodyTooLarge, gunzip_bounded
from pipelines.basics import sha256_hex, utcnow
from pipelines.fetch.crawler import Crawler
from pipelines.fetch.feeds import FeedError, matches_keywords, parse_feed, parse_sitemap
from pipelines.fetch.types import Discovered, FetchResult
from pipelines.fetch.urls import canonicalize_url, clean_url, is_fetchable
from pipelines.sources.config import Source

HTML_SUFFIXES = (".html", ".htm")
CANONICAL_SCAN_BYTES = 64 * 1024
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS = 500



class _Found:
    """Discovered URLs of one source, de-duplicated by canonical form, at most `cap` of them kept."""

    def __init__(self, cap: int | None = None) -> None:
        self.items: list[Discovered] = []
        self.failures: list[FetchResult] = []
        self.cap = cap
        self.dropped = 0
        self._seen: set[str] = set()

    def add(self, item: Discovered) -> None:
        key = canonicalize_url(item.url)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(item)
            if self.cap is not None and len(self.items) >= 2 * self.cap:
                self.prune()  # memory stays O(cap) however long the listing

    def prune(self) -> None:
        """Keep the newest `cap` items (undated after dated; document order breaks ties), in document order."""
        if self.cap is None or len(self.items) <= self.cap:
            return
        items = self.items
        newest = sorted(range(len(items)), key=lambda i: (
            items[i].lastmod_hint is None,
            -items[i].lastmod_hint.timestamp() if items[i].lastmod_hint is not None else 0.0, i))
        keep = sorted(newest[:self.cap])
        self.dropped += len(items) - len(keep)
        self.items = [items[i] for i in keep]


def _failure(source: Source, url: str, outcome: str, error: str) -> FetchResult:
    return FetchResult(source_name=source.name, url=url, outcome=outcome, fetched_at=utcnow(),
                       attempts=0, error=error)


# ---------------------------------------------------------------- html_dir

class LocalFileRefused(Exception):
    """An html_dir file that is not read (outcome and reason)."""

    def __init__(self, outcome: str, error: str) -> None:
        super().__init__(error)
        self.outcome, self.error = outcome, error


def shown(path: Path | str) -> str:
    """A path for messages: bytes that are not UTF-8 (a Latin-1 file name) shown as \\xNN, never an error."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _href_text(value: str) -> str:
    """An href read from the page's bytes taken one char per byte (latin-1): those bytes as UTF-8 text, or, when
    they are not UTF-8 (an EUC-KR page), percent-encoded as they are. Characters from character references
    (code points above 255) are UTF-8."""
    raw = b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("utf-8") for c in value)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = quote(raw, safe="/:?#[]@!$&'()*+,;=%~")
    return text.strip()


def find_canonical(page: bytes) -> str | None:
    """The absolute http(s) href of the first <link rel="canonical"> in the page's first 64 KB, as an HTML
    parser (selectolax/Lexbor) reads it: a link inside a comment, a script or an attribute value is not one.
    The bytes are handed over as latin-1 so no charset guess can change an href's bytes."""
    tree = LexborHTMLParser(page[:CANONICAL_SCAN_BYTES].decode("latin-1"))
    for node in tree.css("link[rel]"):
        if "canonical" in (node.attributes.get("rel") or "").lower().split():
            href = _href_text(node.attributes.get("href") or "")
            return href if is_fetchable(href) else None
    return None


# html_dir outcomes, in the vocabulary of marts.fct_fetches.outcome (the analysts' contract): the error column says
# exactly what happened ('html_dir folder not found: …', 'refused: … is a symlink to …, outside the html_dir folder')
SOURCE_MISSING = "feed_error"      # the source itself cannot be read (like a feed that cannot be)
REFUSED = "blocked_address"        # a file the crawler will not read: outside the folder, not a regular file
UNREADABLE = "connection_error"    # a file that could not be read: gone, broken symlink, no permission


def open_html_file(folder: Path, path: Path, max_bytes: int, *, head: int | None = None) -> bytes:
    """The bytes of one html_dir file (only the first `head` bytes when given), under the rules: inside
    `folder` after symlinks are followed, a regular file, at most `max_bytes` (checked on the size before
    anything is read, and again while reading). Raises LocalFileRefused."""
    root = folder.resolve()
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        raise LocalFileRefused(UNREADABLE, f"{shown(path)}: no such file (or a broken symlink)") from None
    except (OSError, RuntimeError) as exc:
        raise LocalFileRefused(UNREADABLE, f"{shown(path)}: cannot be resolved ({exc})") from None
    if not target.is_relative_to(root):
        raise LocalFileRefused(REFUSED, f"refused: {shown(path)} is a symlink to {shown(target)}, "
                               f"outside the html_dir folder {shown(root)}")
    try:
        st = target.stat()
        if not stat.S_ISREG(st.st_mode):
            raise LocalFileRefused(REFUSED, f"refused: {shown(path)} is not a regular file")
        if st.st_size > max_bytes:
            raise LocalFileRefused("too_large", f"file is {st.st_size:,} bytes, over max_bytes={max_bytes:,}; "
                                   "not read")
        with open(target, "rb") as fh:
            data = fh.read(head if head is not None else max_bytes + 1)
    except OSError as exc:
        raise LocalFileRefused(UNREADABLE, f"{shown(path)}: cannot be read ({exc.strerror or exc})") from None
    if head is None and len(data) > max_bytes:
        raise LocalFileRefused("too_large", f"file grew over max_bytes={max_bytes:,} while read; not kept")
    return data


def _html_files(folder: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, _dirs, names in os.walk(folder, followlinks=False):
        out += [Path(dirpath) / n for n in names if os.path.splitext(n)[1].lower() in HTML_SUFFIXES]
    return sorted(out, key=lambda p: os.fsencode(p.relative_to(folder)))


def _read_html_dir(source: Source, found: _Found) -> None:
    folder = source.path
    if folder is None or not folder.is_dir():
        what = "is not a folder" if folder is not None and folder.exists() else "not found"
        found.failures.append(_failure(source, (folder or Path(".")).absolute().as_uri(), SOURCE_MISSING,
                                       f"html_dir folder {what}: {shown(folder or '')}"))
        return
    for path in _html_files(folder):
        try:
            head = open_html_file(folder, path, source.policy.max_bytes, head=CANONICAL_SCAN_BYTES)
        except LocalFileRefused as exc:
            found.failures.append(_failure(source, path.as_uri(), exc.outcome, exc.error))
            continue
        canonical = find_canonical(head)
        url = clean_url(canonical) if canonical else path.as_uri()
        found.add(Discovered(source_name=source.name, url=url, discovered_via=path.as_uri()))


def read_html_page(source: Source, item: Discovered) -> FetchResult:
    """The fetch of an html_dir page: the file named by `item.discovered_via` read under the html_dir rules
    (`ok` with its bytes, or `blocked_address` / `connection_error` / `too_large` with the reason). Never the network."""
    def result(outcome: str, error: str | None = None, content: bytes | None = None) -> FetchResult:
        return FetchResult(source_name=item.source_name, url=item.url, outcome=outcome, fetched_at=utcnow(),
                           attempts=1 if content is not None else 0, final_url=item.url,
                           content_type="text/html" if content is not None else None, error=error,
                           content=content, content_hash=sha256_hex(content) if content is not None else None)

    via = item.discovered_via or ""
    if source.path is None or urlsplit(via).scheme.lower() != "file":
        return result(REFUSED, f"html_dir page without a file: URI to read ({via[:200]!r})")
    path = Path(os.fsdecode(unquote_to_bytes(urlsplit(via).path)))
    try:
        return result("ok", content=open_html_file(source.path, path, source.policy.max_bytes))
    except LocalFileRefused as exc:
        return result(exc.outcome, exc.error)


# ---------------------------------------------------------------- urls / rss

def _read_urls(source: Source, via: str, found: _Found) -> None:
    for url in source.urls:
        found.add(Discovered(source_name=source.name, url=clean_url(url), discovered_via=via))


def _feed_failed(res: FetchResult, error: str) -> FetchResult:
    return replace(res, outcome="feed_error", error=error, content=None)


async def _read_rss(source: Source, crawler: Crawler, found: _Found) -> None:
    assert source.url is not None
    res = await crawler.fetch(source.name, source.url, source.policy, purpose="feed")
    if res.outcome != "ok" or res.content is None:
        found.failures.append(replace(res, content=None))
        return
    try:
        entries = parse_feed(res.content, res.final_url or source.url)
    except FeedError as exc:
        found.failures.append(_feed_failed(res, str(exc)))
        return
    for entry in entries:
        if matches_keywords(source.keywords, entry.title, entry.summary):
            found.add(Discovered(source_name=source.name, url=clean_url(entry.url),
                                 discovered_via=source.url, title_hint=entry.title,
                                 lastmod_hint=entry.published))


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


async def _read_sitemaps(source: Source, crawler: Crawler, now: datetime, found: _Found) -> None:
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


# ---------------------------------------------------------------- all sources

def _where(source: Source, sources_file: Path) -> str:
    return source.url or (source.path.as_uri() if source.path else sources_file.as_uri())


async def _read_source(source: Source, crawler: Crawler, sources_file: Path, now: datetime, found: _Found) -> None:
    if source.kind == "html_dir":
        await asyncio.to_thread(_read_html_dir, source, found)
    elif source.kind == "urls":
        _read_urls(source, sources_file.as_uri(), found)
    elif source.kind == "rss":
        await _read_rss(source, crawler, found)
    else:
        await _read_sitemaps(source, crawler, now, found)


async def _read_source_safely(source: Source, crawler: Crawler, sources_file: Path,
                              now: datetime) -> _Found:
    found = _Found(cap=source.policy.max_urls_per_source)
    try:
        await _read_source(source, crawler, sources_file, now, found)
    except Exception as exc:  # one broken source must not stop the others
        found.failures.append(_failure(source, _where(source, sources_file), "feed_error",
                                       f"unexpected error: {exc!r}"))
    found.prune()
    if found.dropped:
        cap = source.policy.max_urls_per_source
        found.failures.append(_failure(
            source, _where(source, sources_file), "too_large",
            f"the source lists {len(found.items) + found.dropped:,} URLs, more than max_urls_per_source={cap:,}: "
            f"the newest {cap:,} kept, {found.dropped:,} dropped"))
    return found


async def discover_sources(sources: tuple[Source, ...], crawler: Crawler, sources_file: Path,
                           now: datetime) -> tuple[list[Discovered], list[FetchResult]]:
    found = await asyncio.gather(*(_read_source_safely(s, crawler, sources_file, now) for s in sources))
    items = [item for f in found for item in f.items]
    failures = [fail for f in found for fail in f.failures]
    return items, failures
