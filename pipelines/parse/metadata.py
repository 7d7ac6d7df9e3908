"""Page-level metadata: <meta> tags, JSON-LD, canonical URL and outlet name.

- JSON-LD: every ``application/ld+json`` script is parsed (lenient: control characters, trailing commas);
  objects are collected from lists and ``@graph``; ``@id`` references are resolved. The first object
  whose ``@type`` is an article type (NewsArticle, Article, ReportageNewsArticle, BlogPosting, ...)
  gives ``headline``, ``datePublished`` (then ``dateCreated``), ``dateModified`` and ``publisher``;
  a WebPage object is the fallback for the dates. Empty strings count as absent.
- Canonical URL: ``<link rel=canonical>``, else ``og:url``, else the page URL, made absolute against the
  page URL. A canonical that points at the site root while the page URL does not is ignored (a common
  CMS misconfiguration).
- Outlet: ``og:site_name``, JSON-LD publisher name, ``application-name``, the copyright line
  (``Copyright © X``, ``저작권자ⓒ X``, ``ⓒ X``), else the host without ``www.``.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "report", "socialmediaposting", "liveblogposting",
})
_COPYRIGHT = re.compile(
    r"(?:저작권자\s*[ⓒ©(]?\s*c?\)?|Copyright\s*(?:ⓒ|©|\(c\)|&copy;)?|ⓒ|©)\s*(?:\d{4}(?:\s*[-~]\s*\d{4})?\s*)?"
    r"(?P<name>[^.,\[\]|<>\n]{2,40}?)\s*(?:\.|,|All\s+rights|무단|\]|\||$)",
    re.I,
)


@dataclass
class PageMeta:
    meta: dict[str, str] = field(default_factory=dict)   # lowercased property/name/itemprop -> first content
    jsonld_article: dict[str, Any] | None = None
    jsonld_page: dict[str, Any] | None = None
    jsonld_publisher: str | None = None
    has_article_signal: bool = False
    canonical: str | None = None
    html_title: str | None = None


_TAG = re.compile(r"<[^>]{1,200}>")
_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Unescape leftover entities, drop tags and collapse whitespace."""
    if not isinstance(value, str):
        return ""
    s = value
    if "&" in s and ";" in s:
        s = html.unescape(s)
    if "<" in s and ">" in s:
        s = _TAG.sub(" ", s)
    return _SPACES.sub(" ", s.replace("\u00a0", " ")).strip()


def _load_json(raw: str) -> Any:
    raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    if raw.startswith("//<![CDATA["):
        raw = raw[len("//<![CDATA["):].removesuffix("//]]>")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
        except ValueError:
            return None


def _objects(data: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, dict):
            out.append(item)
            if isinstance(item.get("@graph"), list):
                stack[0:0] = item["@graph"]
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).lower().rsplit("/", 1)[-1] for x in items if x}


def _name(value: Any, by_id: dict[str, dict[str, Any]]) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        if not value.get("name") and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], value)
        return clean_text(value.get("name")) or None
    if isinstance(value, str):
        return clean_text(value) or None
    return None


_JSONLD = 'script[type="application/ld+json"]'
# One CSS query for everything read_meta needs: each selectolax query costs a selector parse and a
# document pass (~10 us on the benchmark box), and results come back in document order either way.
_HEAD_QUERY = f"meta, {_JSONLD}, title, link[rel]"


def read_jsonld(tree: LexborHTMLParser, meta: PageMeta, scripts: list | None = None) -> None:
    objs: list[dict[str, Any]] = []
    for node in (tree.css(_JSONLD) if scripts is None else scripts):
        data = _load_json(node.text(deep=True) or "")
        if data is not None:
            objs.extend(_objects(data))
    by_id = {o["@id"]: o for o in objs if isinstance(o.get("@id"), str)}
    for obj in objs:
        types = _types(obj)
        if types & ARTICLE_TYPES and meta.jsonld_article is None:
            meta.jsonld_article = obj
        elif "webpage" in types and meta.jsonld_page is None:
            meta.jsonld_page = obj
    if meta.jsonld_article is not None:
        meta.has_article_signal = True
        meta.jsonld_publisher = _name(meta.jsonld_article.get("publisher"), by_id)
    if meta.jsonld_publisher is None:
        org = next((o for o in objs if _types(o) & {"newsmediaorganization", "organization"} and o.get("name")), None)
        meta.jsonld_publisher = _name(org, by_id) if org else None


def read_meta(tree: LexborHTMLParser, page_url: str) -> PageMeta:
    meta = PageMeta()
    scripts, links, title = [], [], None
    for node in tree.css(_HEAD_QUERY):
        tag = node.tag
        if tag == "meta":
            attrs = node.attributes
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
            content = attrs.get("content")
            if key and content is not None:
                meta.meta.setdefault(key.strip().lower(), content)
        elif tag == "script":
            scripts.append(node)
        elif tag == "title":
            if title is None:
                title = node
        else:
            links.append(node)
    read_jsonld(tree, meta, scripts)
    og_type = meta.meta.get("og:type", "").lower()
    if og_type == "article" or "article:published_time" in meta.meta:
        meta.has_article_signal = True
    meta.html_title = clean_text(title.text()) if title is not None else None
    meta.canonical = canonical_url(tree, meta, page_url, links)
    return meta


def _usable(candidate: str | None, page_url: str) -> str | None:
    if not candidate:
        return None
    c = candidate.strip()
    if not c or c.lower().startswith(("javascript:", "#", "about:", "data:")):
        return None
    if page_url and c.startswith(("http://", "https://")) and ";" not in c and urlsplit(c).netloc:
        # what urljoin returns for an absolute URL with a host, without its second parse: the URL itself
        # when the scheme differs from the page's, else the URL re-assembled from its parts (no ";params")
        parts = urlsplit(c)
        absolute = c if parts.scheme != urlsplit(page_url).scheme else urlunsplit(parts)
    else:
        absolute = urljoin(page_url, c) if page_url else c
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return None
    page_path = urlsplit(page_url).path if page_url else ""
    if parts.path in ("", "/") and not parts.query and page_path not in ("", "/"):
        return None
    return absolute


def canonical_url(tree: LexborHTMLParser, meta: PageMeta, page_url: str, links: list | None = None) -> str:
    for node in (tree.css("link[rel]") if links is None else links):
        if "canonical" in (node.attributes.get("rel") or "").lower().split():
            url = _usable(node.attributes.get("href"), page_url)
            if url:
                return url
    return _usable(meta.meta.get("og:url"), page_url) or page_url


def host_name(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def copyright_name(text: str) -> str | None:
    """The holder named by a copyright line (``Copyright © 동아경제신문. All rights reserved.``)."""
    for m in _COPYRIGHT.finditer(text):
        name = m.group("name").strip(" .:-·")
        name = re.sub(r"^(?:by|All)\s+", "", name, flags=re.I).strip()
        if 2 <= len(name) <= 30 and not re.search(r"rights|reserved|무단|전재|금지|^\d+$", name, re.I):
            return name
    return None


def outlet_name(meta: PageMeta, copyright_texts: Callable[[], Iterable[str]], page_url: str) -> str | None:
    for value in (meta.meta.get("og:site_name"), meta.jsonld_publisher, meta.meta.get("application-name"),
                  meta.meta.get("twitter:site") if (meta.meta.get("twitter:site") or "").strip("@").strip() and
                  not (meta.meta.get("twitter:site") or "").startswith("@") else None):
        name = clean_text(value)
        if name:
            return name
    for text in copyright_texts():
        name = copyright_name(text)
        if name:
            return name
    return host_name(page_url)
