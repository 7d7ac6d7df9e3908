"""Feeds and sitemaps as data: RSS 2.0, RSS 1.0 (RDF), Atom, sitemap urlset and sitemap index.

Safety rules for XML from sites we do not control:
* a document that declares a DOCTYPE or an ENTITY is refused before parsing (no entity expansion,
  no external entities -- the "billion laughs" and XXE attacks need one of the two);
* the bytes handed in are already capped by the fetch's `max_bytes`; a gzipped sitemap is inflated
  within the same cap;
* encodings expat cannot read itself (EUC-KR, CP949, ...) are decoded by Python and re-declared as
  UTF-8; a document whose bytes are not valid in the declared encoding ("a charset that lies") is
  decoded with the charset charset-normalizer detects, then parsed once more;
* nothing in a feed is executed or used as a path; links are only resolved against the feed URL.

Elements are matched by local name, so namespaced and plain documents read alike.
Dates: RFC 822 (pubDate), ISO 8601 / W3C datetime (updated, lastmod, news:publication_date) and
'YYYY-MM-DD HH:MM[:SS]'; a date without a zone is taken as UTC; an unreadable date is None.
"""
from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from charset_normalizer import from_bytes

from pipelines.fetch.urls import is_fetchable, resolve_link

_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE)
_FORBIDDEN = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_EXPAT_NATIVE = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1",
                 "latin1"}
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


class FeedError(Exception):
    """The document is not a feed/sitemap we can read (message says why)."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    entries: tuple[SitemapEntry, ...]


# ---------------------------------------------------------------- XML

def _redeclare_utf8(data: bytes, encoding: str) -> bytes:
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        raise FeedError(f"unknown XML encoding {encoding!r}") from None
    text = re.sub(r"^(<\?xml[^>]*?encoding\s*=\s*)[\"'][^\"']*[\"']", r'\1"utf-8"', text, count=1)
    return text.encode("utf-8")


def _prepare(data: bytes) -> bytes:
    data = data.lstrip(b" \t\r\n")
    if _FORBIDDEN.search(data):
        raise FeedError("refused: the XML declares a DOCTYPE or ENTITY")
    m = _DECL.match(data)
    if m:
        encoding = m.group(1).decode("ascii").lower()
        if encoding not in _EXPAT_NATIVE:
            return _redeclare_utf8(data, encoding)
    return data


def _redetect(data: bytes) -> bytes | None:
    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    return _redeclare_utf8(data, best.encoding)


def parse_xml(data: bytes) -> ET.Element:
    """Parse untrusted XML with the rules above; raises FeedError."""
    if not data or not data.strip():
        raise FeedError("empty document")
    prepared = _prepare(data)
    try:
        return ET.fromstring(prepared)
    except ET.ParseError as exc:
        retry = _redetect(prepared)
        if retry is not None:
            try:
                return ET.fromstring(retry)
            except ET.ParseError:
                pass
        raise FeedError(f"malformed XML: {exc}") from None


def local(tag: str) -> str:
    """'{http://www.w3.org/2005/Atom}entry' -> 'entry'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def _child_text(el: ET.Element, *names: str) -> str | None:
    for name in names:
        for c in _children(el, name):
            text = "".join(c.itertext()).strip()
            if text:
                return text
    return None


def _descendants(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el.iter() if local(c.tag) == name]


# ---------------------------------------------------------------- dates & text

def parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    when: datetime | None = None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        candidate = re.sub(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})", r"\1-\2-\3", text)
        candidate = re.sub(r"^(\d{4})-(\d)(?=\D|$)", r"\1-0\2", candidate)
        candidate = re.sub(r"^(\d{4}-\d{2})-(\d)(?=\D|$)", r"\1-0\2", candidate)
        try:
            when = datetime.fromisoformat(candidate)
        except ValueError:
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def plain_text(text: str | None) -> str:
    """Feed summaries often carry HTML: tags dropped, whitespace collapsed."""
    return _SPACES.sub(" ", _TAGS.sub(" ", text or "")).strip()


def matches_keywords(keywords: tuple[str, ...], *texts: str | None) -> bool:
    """True when no keywords, or one occurs in the texts (case- and spacing-insensitive:
    '스마트시티' matches '스마트 시티')."""
    if not keywords:
        return True
    haystack = _SPACES.sub("", " ".join(plain_text(t) for t in texts if t)).casefold()
    return any(_SPACES.sub("", k).casefold() in haystack for k in keywords if k.strip())


# ---------------------------------------------------------------- feeds

def _atom_link(entry: ET.Element) -> str | None:
    links = _children(entry, "link")
    for link in links:
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return link.get("href")
    return next((link.get("href") for link in links if link.get("href")), None)


def _rss_link(item: ET.Element) -> str | None:
    link = _child_text(item, "link")
    if link:
        return link
    for guid in _children(item, "guid"):
        text = (guid.text or "").strip()
        if text and guid.get("isPermaLink", "true").lower() != "false":
            return text
    return None


def _entry(base_url: str, href: str | None, title: str | None, summary: str | None,
           date: str | None) -> FeedEntry | None:
    if not href:
        return None
    url = resolve_link(base_url, href)
    if not is_fetchable(url):
        return None
    return FeedEntry(url=url, title=plain_text(title) or None, summary=summary, published=parse_date(date))


def parse_feed(data: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0 / RSS 1.0 / Atom feed, in document order; raises FeedError."""
    root = parse_xml(data)
    kind = local(root.tag).lower()
    out: list[FeedEntry | None] = []
    if kind in ("rss", "rdf"):
        for item in _descendants(root, "item"):
            out.append(_entry(base_url, _rss_link(item), _child_text(item, "title"),
                              _child_text(item, "description", "summary", "encoded"),
                              _child_text(item, "pubDate", "date", "published", "updated")))
    elif kind == "feed":
        for entry in _children(root, "entry"):
            out.append(_entry(base_url, _atom_link(entry), _child_text(entry, "title"),
                              _child_text(entry, "summary", "content"),
                              _child_text(entry, "updated", "published")))
    else:
        raise FeedError(f"not an RSS or Atom feed (root element <{local(root.tag)}>)")
    return [e for e in out if e is not None]


# ---------------------------------------------------------------- sitemaps

def _sitemap_entry(el: ET.Element, base_url: str) -> SitemapEntry | None:
    loc = _child_text(el, "loc")
    if not loc:
        return None
    url = resolve_link(base_url, loc)
    if not is_fetchable(url):
        return None
    news = next(iter(_children(el, "news")), None)
    published = parse_date(_child_text(news, "publication_date")) if news is not None else None
    title = _child_text(news, "title") if news is not None else None
    return SitemapEntry(loc=url, lastmod=parse_date(_child_text(el, "lastmod")), published=published,
                        title=title)


def parse_sitemap(data: bytes, base_url: str) -> Sitemap:
    """A sitemap urlset or sitemap index; raises FeedError."""
    root = parse_xml(data)
    kind = local(root.tag)
    if kind == "urlset":
        entries = [_sitemap_entry(el, base_url) for el in _children(root, "url")]
    elif kind == "sitemapindex":
        entries = [_sitemap_entry(el, base_url) for el in _children(root, "sitemap")]
    else:
        raise FeedError(f"not a sitemap (root element <{kind}>)")
    return Sitemap(is_index=kind == "sitemapindex", entries=tuple(e for e in entries if e is not None))
