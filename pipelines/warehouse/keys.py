"""The row keys of the raw store: a page by its URL, an article by its canonical URL (`basics.md5_key`)."""
from __future__ import annotations

from ..basics import md5_key


def page_key(url: str) -> str:
    return md5_key(url)


def article_key(canonical_url: str) -> str:
    return md5_key(canonical_url)
