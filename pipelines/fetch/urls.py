"""URL rules of the fetch stage: which URLs may be fetched and which spellings name one article.

Two functions, two purposes:

* `clean_url(url)` -- the URL we actually request: scheme and host lower-cased, default port and
  fragment dropped, tracking parameters (utm_*, fbclid, gclid, ... see TRACKING_PARAMS) removed.
  Nothing else changes, so the server sees the URL it published (parameter order and escaping kept).
* `canonicalize_url(url)` -- the identity of an article (for de-duplication and keys). On top of
  `clean_url` it
    - sorts the remaining query parameters (raw ``k=v`` pairs, escaping untouched),
    - upper-cases percent-escapes (``%c3`` -> ``%C3``) and turns an empty path into ``/``,
    - folds mobile hosts to the desktop host: a first label ``m``, ``mobile`` or ``amp`` becomes
      ``www`` (``m.news.example.kr`` -> ``www.news.example.kr``) unless what is left is only a
      public suffix such as ``co.kr``,
    - folds AMP variants to the plain page: a path segment ``amp`` at the start or end
      (``/amp/news/1`` and ``/news/1/amp`` -> ``/news/1``), a file stem ending in ``.amp``,
      ``_amp``, ``-amp`` or ``Amp`` (``articleViewAmp.html`` -> ``articleView.html``), and the query
      parameters ``amp``, ``amp=1`` and ``outputType=amp``.
  A page's own ``<link rel="canonical">`` beats all of this; these folds only make two spellings
  of one URL agree.

Only ``http`` and ``https`` URLs are ever fetched (`is_fetchable`).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

FETCHABLE_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

# query parameters that only say where a click came from; dropped everywhere
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url",
    "spm", "wt_mc", "wt.mc_id", "cmpid", "oly_enc_id", "oly_anon_id", "vero_id", "rb_clickid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

# labels that mark a mobile/AMP copy of a desktop host
MOBILE_HOST_LABELS = ("m", "mobile", "amp")
# a folded host must keep more than these two-label public suffixes
PUBLIC_SUFFIXES_2 = frozenset({
    "co.kr", "or.kr", "go.kr", "ne.kr", "re.kr", "pe.kr", "ac.kr", "ms.kr", "hs.kr", "es.kr",
    "kg.kr", "sc.kr", "mil.kr", "co.uk", "org.uk", "ac.uk", "com.au", "co.jp", "ne.jp", "or.jp",
    "com.cn", "com.tw", "com.hk", "co.nz", "com.sg",
})
AMP_QUERY = {("amp", ""), ("amp", "1"), ("amp", "true"), ("outputtype", "amp")}
_AMP_STEM = re.compile(r"(?:[._-]amp|(?<=[a-z])Amp)(?=\.[A-Za-z0-9]+$|$)")
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


def is_fetchable(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in FETCHABLE_SCHEMES and bool(parts.hostname)


def scheme_of(url: str) -> str:
    """The URL's scheme, lower-cased ('' when it has none)."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def resolve_link(base: str, link: str) -> str:
    """An href/Location resolved against the URL it was found on (whitespace stripped)."""
    return urljoin(base, link.strip())


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


def _query_pairs(query: str) -> list[str]:
    return [p for p in query.replace(";", "&").split("&") if p] if query else []


def _pair_key(pair: str) -> str:
    return pair.split("=", 1)[0]


def _netloc(scheme: str, host: str, port: int | None, userinfo: str) -> str:
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    return f"{userinfo}@{netloc}" if userinfo else netloc


def _split(url: str) -> tuple[str, str, int | None, str, str, str, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    return scheme, host, port, userinfo, parts.path, parts.query, parts.fragment


def clean_url(url: str) -> str:
    """The URL to request: lower-case scheme/host, no default port, no fragment, no tracking params."""
    if not is_fetchable(url):
        return url.strip()
    scheme, host, port, userinfo, path, query, _ = _split(url)
    kept = [p for p in _query_pairs(query) if not _is_tracking(_pair_key(p))]
    return urlunsplit((scheme, _netloc(scheme, host, port, userinfo), path or "/", "&".join(kept), ""))


def _fold_host(host: str) -> str:
    first, _, rest = host.partition(".")
    if first in MOBILE_HOST_LABELS and rest.count(".") >= 1 and rest not in PUBLIC_SUFFIXES_2:
        return f"www.{rest}"
    return host


def _fold_amp_path(path: str) -> str:
    segments = path.split("/")
    inner = [s for s in segments[1:]]
    if inner and inner[0].lower() == "amp":
        inner = inner[1:]
    if inner and inner[-1].lower() == "amp":
        inner = inner[:-1]
    elif len(inner) >= 2 and inner[-1] == "" and inner[-2].lower() == "amp":
        inner = inner[:-2] + [""]
    if inner:
        inner[-1] = _AMP_STEM.sub("", inner[-1])
    return "/" + "/".join(inner)


def _upper_escapes(text: str) -> str:
    return _PERCENT.sub(lambda m: m.group(0).upper(), text)


def canonicalize_url(url: str) -> str:
    """One spelling per article (see the module docstring for every rule). Non-http(s) URLs are
    returned stripped but otherwise unchanged."""
    if not is_fetchable(url):
        return url.strip()
    scheme, host, port, userinfo, path, query, _ = _split(url)
    pairs = [p for p in _query_pairs(query) if not _is_tracking(_pair_key(p))]
    pairs = [p for p in pairs if tuple(x.lower() for x in (p.split("=", 1) + [""])[:2]) not in AMP_QUERY]
    query = "&".join(sorted(_upper_escapes(p) for p in pairs))
    path = _upper_escapes(_fold_amp_path(path or "/"))
    netloc = _netloc(scheme, _fold_host(host), port, userinfo)
    return urlunsplit((scheme, netloc, path, query, ""))
