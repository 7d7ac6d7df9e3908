"""Generic page-zone vocabulary: which elements are article text, which are page furniture.

Every element is classified from its tag and the tokens of its ``class``/``id`` (split on spaces,
``-``, ``_`` and ``:``; camelCase is *not* split, so ``CmAdContent`` stays one token). There is no
per-site selector: only words CMS templates use for the same furniture everywhere.

- OTHER: content about *other* pages - related/popular/latest lists, sidebars, footers, navigation,
  comments, widgets, newsletters, tag clouds. Skipped entirely: never body, never a date source.
- BOILER: furniture of *this* article - headers, bylines, info/date lines, share/SNS bars, ads,
  captions, copyright, author boxes, tool bars, forms. Never body, but read for the byline date.
- NEUTRAL: everything else.
A zone word on a node that holds most of the page's text (a page-wide wrapper such as
``<div id="container" class="has-aside">`` or an ASP.NET ``<form>``) is ignored (see ``body.py``).

Positive hints (article, content, body, news, view, text, entry, post, story, detail, read, cont,
``itemprop=articleBody``) raise a node's content score; they never select a node by themselves.
"""
from __future__ import annotations

import re
from functools import lru_cache

NEUTRAL, BOILER, OTHER = 0, 1, 2

OTHER_TAGS = frozenset({"aside", "nav", "footer"})
BOILER_TAGS = frozenset({"header", "figure", "figcaption", "form", "ins", "menu", "dialog", "address"})

OTHER_TOKENS = frozenset({
    "related", "relation", "relate", "popular", "best", "latest", "rank", "ranking", "recommend", "recommended",
    "sidebar", "side", "aside", "footer", "foot", "ft", "comment", "comments", "cmt", "reply", "replies",
    "widget", "widgets", "gnb", "lnb", "snb", "nav", "navi", "navigation", "menu", "breadcrumb", "breadcrumbs",
    "tags", "tag", "tagcloud", "newsletter", "subscribe", "more", "other", "prev", "next", "pagination",
    "paging", "sitemap", "familysite", "trending", "morenews",
})
OTHER_SUBSTRINGS = ("related", "relation", "popular", "recommend", "sidebar", "footer", "comment",
                    "widget", "newsletter", "breadcrumb", "ranking", "tagcloud", "tag-cloud")

BOILER_TOKENS = frozenset({
    "ad", "ads", "adv", "advert", "bn", "banner", "banners", "sns", "share", "sharing", "social", "byline",
    "writer", "reporter", "caption", "captions", "copyright", "copy", "header", "head", "info", "infomation",
    "information", "date", "dates", "meta", "title", "subtitle", "tit", "util", "utils", "tool", "tools",
    "toolbar", "option", "options", "btn", "button", "print", "author", "profile",
    "sponsor", "sponsored", "promo", "promotion", "login", "logo", "search", "hidden", "sound", "blind",
    "screen", "sr", "skip", "modal", "popup", "cookie", "consent", "rss", "subject", "heading",
    "headline", "player",
})
BOILER_SUBSTRINGS = ("advert", "adsbygoogle", "adspot", "banner", "share", "sharing", "social", "copyright",
                     "byline", "caption", "author", "sponsor", "dable", "taboola", "outbrain", "kakao",
                     "facebook", "twitter")

POSITIVE = re.compile(r"article|content|body|news|view|text|entry|post|story|detail|read|cont|txt|bbs_view|board_view", re.I)
_SPLIT = re.compile(r"[\s_\-:]+")


_OTHER_SUB = re.compile("|".join(OTHER_SUBSTRINGS))
_BOILER_SUB = re.compile("|".join(BOILER_SUBSTRINGS))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def is_hidden(attrs: dict[str, str | None]) -> bool:
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


@lru_cache(maxsize=8192)
def profile(tag: str, cls: str, ident: str, role: str, itemprop: str, hidden: bool) -> tuple[int, float]:
    """(zone, content-score multiplier) for an element; cached, templates repeat the same attributes."""
    return _zone(tag, cls, ident, role, hidden), _hint(tag, cls, ident, itemprop)


_BARE_PROFILES: dict[str, tuple[int, float]] = {}


def profile_bare(tag: str) -> tuple[int, float]:
    """``profile`` of an element without attributes."""
    found = _BARE_PROFILES.get(tag)
    if found is None:
        if len(_BARE_PROFILES) >= 4096:
            _BARE_PROFILES.clear()
        found = _BARE_PROFILES[tag] = profile(tag, "", "", "", "", False)
    return found


_ATTR_PROFILES: dict[tuple[str | None, ...], tuple[int, float]] = {}


# The attributes profile() reads besides class and id.
_PROFILE_ATTRS = frozenset({"role", "itemprop", "hidden", "aria-hidden", "style"})


def profile_attrs(tag: str, attrs: dict[str, str | None]) -> tuple[int, float]:
    """``profile`` from an element's attribute dict, cached on the raw attribute values it depends on."""
    cls, ident = attrs.get("class"), attrs.get("id")
    if len(attrs) == (cls is not None) + (ident is not None) or _PROFILE_ATTRS.isdisjoint(attrs):
        # no attribute the profile reads besides class and id (the common case: plain, class/id or href only)
        key: tuple[str | None, ...] = (tag, cls, ident)
    else:
        key = (tag, cls, ident, attrs.get("role"), attrs.get("itemprop"), "" if attrs.get("hidden") is None else "h",
               attrs.get("aria-hidden"), attrs.get("style"))
    found = _ATTR_PROFILES.get(key)
    if found is None:
        if len(_ATTR_PROFILES) >= 8192:
            _ATTR_PROFILES.clear()
        found = _ATTR_PROFILES[key] = profile(
            tag, cls or "", ident or "", (attrs.get("role") or "").lower(),
            (attrs.get("itemprop") or "").lower(), is_hidden(attrs))
    return found


def reset_caches() -> None:
    """Forget the parser's small in-process caches (attribute profiles, name keys); benchmarks clear them per round."""
    from pipelines.parse.titles import norm_name

    _ATTR_PROFILES.clear()
    _BARE_PROFILES.clear()
    profile.cache_clear()
    norm_name.cache_clear()


def classify(tag: str, attrs: dict[str, str | None]) -> int:
    """OTHER / BOILER / NEUTRAL for one element from its tag and class/id words."""
    return profile(tag, attrs.get("class") or "", attrs.get("id") or "", (attrs.get("role") or "").lower(),
                   (attrs.get("itemprop") or "").lower(), is_hidden(attrs))[0]


def _zone(tag: str, cls: str, ident: str, role: str, hidden: bool) -> int:
    if tag in OTHER_TAGS:
        return OTHER
    if role in ("navigation", "complementary", "contentinfo", "search"):
        return OTHER
    if role == "banner" or hidden:
        return BOILER
    joined = (cls + " " + ident).lower()
    if joined.strip():
        toks = set(_SPLIT.split(joined))
        if toks & OTHER_TOKENS or _OTHER_SUB.search(joined):
            return OTHER
        if toks & BOILER_TOKENS or _BOILER_SUB.search(joined):
            return BOILER
    if tag in BOILER_TAGS:
        return BOILER
    return NEUTRAL


def _hint(tag: str, cls: str, ident: str, itemprop: str) -> float:
    """Multiplier for a content candidate: itemprop=articleBody, <article>, content-like class/id."""
    weight = 1.0
    if itemprop in ("articlebody", "text"):
        weight *= 1.6
    if tag == "article":
        weight *= 1.15
    joined = cls + " " + ident
    if joined.strip() and POSITIVE.search(joined):
        weight *= 1.25
    return weight
