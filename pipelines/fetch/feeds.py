"""Feeds and sitemaps as data: RSS 2.0, RSS 1.0 (RDF), Atom, sitemap urlset and sitemap index.

Safety rules for XML from sites we do not control:
* the XML is read by lxml (libxml2) with entity substitution, DTD loading and network access off and
  `huge_tree` off (libxml2's own limits on depth, node size and entity amplification stay on). A
  document that declares a DOCTYPE is refused (no entity expansion, no external entities -- the
  "billion laughs" and XXE attacks need one): libxml2 reports the DOCTYPE to a parser target that
  stops right there, before any declaration inside it is read, and after the bytes were decoded, so
  no encoding can hide it (a UTF-16 or UTF-32 feed is judged like a UTF-8 one). The parsed tree is
  checked once more (no DTD, no entity reference) before it is used;
* the bytes handed in are already capped by the fetch's `max_bytes`; a gzipped sitemap is inflated
  within the same cap; a title is cut at MAX_TITLE_CHARS and a summary at MAX_SUMMARY_CHARS
  characters, and a link longer than MAX_URL_CHARS is skipped;
* encodings are read by libxml2 from the BOM or the XML declaration (EUC-KR and CP949 included); a
  document whose bytes are not valid in the declared encoding ("a charset that lies") is decoded
  with the charset charset-normalizer detects, re-declared as UTF-8 and parsed once more;
* comments and processing instructions are dropped; nothing in a feed is executed or used as a
  path; links are only resolved against the feed URL.

Elements are matched by local name, so namespaced and plain documents read alike.
Dates: RFC 822 (pubDate), ISO 8601 / W3C datetime (updated, lastmod, news:publication_date) and
'YYYY-MM-DD HH:MM[:SS]'; a date without a zone is taken as UTC; an unreadable date is None.
"""
from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from charset_normalizer import from_bytes
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from pipelines.fetch.urls import is_fetchable, resolve_link

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 10_000
MAX_URL_CHARS = 4_096
MAX_MARKUP_CHARS = 20_000  # of a title or summary, handed to the HTML parser
_SPACES = re.compile(r"\s+")
_DECL_ENCODING = re.compile(r"^(\ufeff?<\?xml[^>]*?encoding\s*=\s*)[\"'][^\"']*[\"']")

Element = etree._Element


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

def _parser() -> etree.XMLParser:
    # a new parser per document: lxml parsers keep state and must not be shared between threads
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True, recover=False)


class _HasDoctype(Exception):
    pass


class _RootStarted(Exception):
    pass


class _Prolog:
    """A parser target that stops at the DOCTYPE (before its internal subset is read) or at the root element."""

    def doctype(self, *_: object) -> None:
        raise _HasDoctype()

    def start(self, *_: object) -> None:
        raise _RootStarted()

    def end(self, *_: object) -> None: ...

    def data(self, *_: object) -> None: ...

    def close(self) -> None: ...


def _refuse_doctype(data: bytes) -> None:
    """Refuse a document that declares a DOCTYPE, seen by libxml2 after decoding (UTF-16/32 included) and
    before any declaration in it is read. Syntax errors are left to the real parse."""
    parser = etree.XMLParser(target=_Prolog(), resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        etree.fromstring(data, parser)
    except _HasDoctype:
        raise FeedError("refused: the XML declares a DOCTYPE (DTDs and entities are not allowed)") from None
    except (_RootStarted, etree.XMLSyntaxError):
        return


def _parse(data: bytes) -> Element:
    _refuse_doctype(data)
    return _refuse_dtd(etree.fromstring(data, _parser()))


def _refuse_dtd(root: Element) -> Element:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise FeedError("refused: the XML declares a DOCTYPE (DTDs and entities are not allowed)")
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise FeedError("refused: the XML uses an entity reference (entities are not allowed)")
    return root


def _redetect(data: bytes) -> bytes | None:
    """The document re-encoded as UTF-8 from the charset charset-normalizer detects (None: no better guess)."""
    best = from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    text = str(best).lstrip("\ufeff")
    return _DECL_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8")


def parse_xml(data: bytes) -> Element:
    """Parse untrusted XML with the rules above; raises FeedError."""
    if not data or not data.strip():
        raise FeedError("empty document")
    try:
        return _parse(data)
    except etree.XMLSyntaxError as exc:
        error = exc
    retry = _redetect(data)
    if retry is not None:
        try:
            return _parse(retry)
        except etree.XMLSyntaxError:
            pass
    raise FeedError(f"malformed XML: {error}") from None


def local(tag: str) -> str:
    """'{http://www.w3.org/2005/Atom}entry' -> 'entry'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


Kids = dict[str, list[Element]]


def _kids(el: Element | None) -> Kids:
    """An element's child elements by local name, in one pass (a feed item is read with one scan)."""
    out: Kids = {}
    if el is not None:
        for c in el:
            tag = c.tag
            if isinstance(tag, str):
                out.setdefault(tag.rsplit("}", 1)[-1], []).append(c)
    return out


def _text(el: Element) -> str:
    return ("".join(el.itertext()) if len(el) else (el.text or "")).strip()


def _child_text(kids: Kids, *names: str) -> str | None:
    for name in names:
        for c in kids.get(name, ()):
            text = _text(c)
            if text:
                return text
    return None


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


def _capped(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else None


def plain_text(text: str | None) -> str:
    """Feed titles and summaries often carry HTML: read by an HTML parser (selectolax/Lexbor), so tags are
    dropped (each leaves a space), character references decoded (`&nbsp;`, `&quot;`) and a lone `<` stays
    text; whitespace collapsed. Only the first MAX_MARKUP_CHARS characters are parsed (a title keeps 1,000
    characters of text, a summary 10,000): lexbor's time grows with elements x nesting depth, and this
    bounds it (20,000 characters of nested `<div>`: about 20 ms)."""
    if not text:
        return ""
    if "<" in text or "&" in text:
        text = LexborHTMLParser(text[:MAX_MARKUP_CHARS]).text(separator=" ")
    return _SPACES.sub(" ", text).strip()


def matches_keywords(keywords: tuple[str, ...], *texts: str | None) -> bool:
    """True when no keywords, or one occurs in the texts (case- and spacing-insensitive:
    '스마트시티' matches '스마트 시티')."""
    if not keywords:
        return True
    haystack = _SPACES.sub("", " ".join(plain_text(t) for t in texts if t)).casefold()
    return any(_SPACES.sub("", k).casefold() in haystack for k in keywords if k.strip())


# ---------------------------------------------------------------- feeds

def _atom_link(kids: Kids) -> str | None:
    links = kids.get("link", [])
    for link in links:
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            return link.get("href")
    return next((link.get("href") for link in links if link.get("href")), None)


def _rss_link(kids: Kids) -> str | None:
    link = _child_text(kids, "link")
    if link:
        return link
    for guid in kids.get("guid", ()):
        text = (guid.text or "").strip()
        if text and guid.get("isPermaLink", "true").lower() != "false":
            return text
    return None


def _entry(base_url: str, href: str | None, title: str | None, summary: str | None,
           date: str | None) -> FeedEntry | None:
    if not href or len(href) > MAX_URL_CHARS:
        return None
    url = resolve_link(base_url, href)
    if not is_fetchable(url):
        return None
    return FeedEntry(url=url, title=_capped(plain_text(title), MAX_TITLE_CHARS),
                     summary=_capped(summary, MAX_SUMMARY_CHARS), published=parse_date(date))


def parse_feed(data: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0 / RSS 1.0 / Atom feed, in document order; raises FeedError."""
    root = parse_xml(data)
    kind = local(root.tag).lower()
    out: list[FeedEntry | None] = []
    if kind in ("rss", "rdf"):
        for item in root.iter("{*}item"):  # any namespace or none, matched in C
            kids = _kids(item)
            out.append(_entry(base_url, _rss_link(kids), _child_text(kids, "title"),
                              _child_text(kids, "description", "summary", "encoded"),
                              _child_text(kids, "pubDate", "date", "published", "updated")))
    elif kind == "feed":
        for entry in root.iterchildren("{*}entry"):
            kids = _kids(entry)
            out.append(_entry(base_url, _atom_link(kids), _child_text(kids, "title"),
                              _child_text(kids, "summary", "content"),
                              _child_text(kids, "updated", "published")))
    else:
        raise FeedError(f"not an RSS or Atom feed (root element <{local(root.tag)}>)")
    return [e for e in out if e is not None]


# ---------------------------------------------------------------- sitemaps

def _sitemap_entry(el: Element, base_url: str) -> SitemapEntry | None:
    kids = _kids(el)
    loc = _child_text(kids, "loc")
    if not loc or len(loc) > MAX_URL_CHARS:
        return None
    url = resolve_link(base_url, loc)
    if not is_fetchable(url):
        return None
    news = _kids(kids["news"][0]) if "news" in kids else None
    published = parse_date(_child_text(news, "publication_date")) if news is not None else None
    title = _capped(plain_text(_child_text(news, "title")), MAX_TITLE_CHARS) if news is not None else None
    return SitemapEntry(loc=url, lastmod=parse_date(_child_text(kids, "lastmod")), published=published,
                        title=title)


def parse_sitemap(data: bytes, base_url: str) -> Sitemap:
    """A sitemap urlset or sitemap index; raises FeedError."""
    root = parse_xml(data)
    kind = local(root.tag)
    if kind == "urlset":
        entries = [_sitemap_entry(el, base_url) for el in root.iterchildren("{*}url")]
    elif kind == "sitemapindex":
        entries = [_sitemap_entry(el, base_url) for el in root.iterchildren("{*}sitemap")]
    else:
        raise FeedError(f"not a sitemap (root element <{kind}>)")
    return Sitemap(is_index=kind == "sitemapindex", entries=tuple(e for e in entries if e is not None))
