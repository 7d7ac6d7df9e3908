"""Whether a page's ``<link rel="canonical">`` may name the article (and so key it in the warehouse).

A page can declare any URL as its canonical one. Trusted blindly, a page on another host that declares a
victim article's URL replaces the victim's article (title, budgets, partners) while still attributed to the
victim's URL. So a canonical URL is trusted only when its host is within

* the registrable domain of the URL the bytes came from (``www.outlet.co.kr`` → ``outlet.co.kr``; AMP, mobile
  and print twins on ``m.``/``amp.`` hosts fold into one article), or
* one of the source's own registrable domains (the hosts of its feed or sitemap), or
* anything, when the page did not come over HTTP (an ``html_dir`` file: there is no fetched host, and the
  operator's own folder is trusted), or came from this machine (a loopback host: ``127.0.0.0/8``, ``::1``,
  ``localhost``; a mirror of saved pages served locally, which the crawler only reaches when the sources
  file sets ``allow_private_hosts``). A public-looking name that merely resolves to 127.0.0.1 is not this:
  the rule looks at the URL's host, never at the address.

Otherwise the article is keyed by the fetched URL and the claimed canonical URL is kept beside it
(``raw.articles.claimed_canonical_url``).

Registrable domain: the public-suffix-aware "first level domain" of the ``tld`` package (it ships its own
copy of the Public Suffix List and reads it offline; private suffixes such as ``blogspot.com`` count, so two
blogs there are two domains). Fallback, for a host the list does not know (``localhost``, ``.test``,
``.example``) or if ``tld`` is missing: an IP address or a one-label name is its own domain; under a country
code with a generic second level (``co.kr``, ``go.kr``, ``or.kr``, ``com.au``...) the last three labels;
anything else its last two (coarser than the list for e.g. ``seoul.kr``: it then trusts more, never less). Scheme and port never matter (a dev server on ``http://www.outlet.co.kr:8123`` and the
page's ``https://outlet.co.kr/...`` are one domain).
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

try:  # installed with courlan; ships the Public Suffix List, no network needed
    from tld import get_fld as _get_fld
except ImportError:  # pragma: no cover - the fallback below is documented and tested on its own
    _get_fld = None


def host_of(url: str | None) -> str | None:
    """Lower-case host of an http(s) URL without port or trailing dot; None for anything else."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.rstrip(".").lower() or None


# second-level labels under a two-letter country code that are suffixes themselves (co.kr, go.kr, com.au ...)
_GENERIC_SLD = frozenset(("ac", "co", "es", "go", "hs", "kg", "mil", "ms", "ne", "or", "pe", "re", "sc", "com", "net",
                          "org", "gov", "edu"))


def fallback_domain(host: str) -> str:
    """Registrable domain without the suffix list: an IP or a one-label name is itself; under a country code with
    a generic second level (``outlet.co.kr``) the last three labels; else the last two."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_SLD:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or a ``localhost`` name, written as such in the URL."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """``news.seoul.go.kr`` → ``seoul.go.kr``, ``m.outlet.co.kr`` → ``outlet.co.kr`` (see the module docstring)."""
    host = host.rstrip(".").lower()
    if _get_fld is not None:
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            fld = _get_fld(host, fix_protocol=True, fail_silently=True)
            if fld:
                return str(fld).lower()
    return fallback_domain(host)


def url_domain(url: str | None) -> str | None:
    host = host_of(url)
    return registrable_domain(host) if host else None


def canonical_is_trusted(canonical: str, fetched_url: str | None, source_domains: Iterable[str] = ()) -> bool:
    """True when ``canonical`` may key the article fetched from ``fetched_url`` (see the module docstring).

    ``fetched_url``: where the bytes came from (after redirects); None or a non-http URL means a local file.
    ``source_domains``: registrable domains of the source's own feed / sitemap URLs."""
    fetched = host_of(fetched_url)
    if fetched is None or is_loopback(fetched):
        return True  # not fetched over HTTP (html_dir) or from this machine: the operator's own pages
    claimed = url_domain(canonical)
    if claimed is None:
        return False
    return claimed == registrable_domain(fetched) or claimed in set(source_domains)
