"""Records the fetch stage produces (pure data; see warehouse/ddl/raw.sql for where they land)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# the vocabulary of marts.fct_fetches.outcome that the fetch stage can produce
FETCH_OUTCOMES = (
    "ok", "not_modified", "http_error", "timeout", "connection_error", "dns_error", "too_large",
    "not_html", "redirect_refused", "robots_disallowed", "blocked_address", "decode_error", "feed_error",
)


@dataclass(frozen=True)
class Discovered:
    """A URL a source yielded. An html_dir page's file is `discovered_via` (a file: URI); `content` is None
    from discovery (the fetch stage reads the file) unless a caller fills it in."""

    source_name: str
    url: str
    discovered_via: str | None = None
    title_hint: str | None = None
    lastmod_hint: datetime | None = None
    content: bytes | None = field(default=None, repr=False)


@dataclass
class FetchResult:
    """What happened when one URL was asked for (one row of raw.fetch_log, plus the bytes)."""

    source_name: str
    url: str
    outcome: str
    fetched_at: datetime
    attempts: int = 1
    final_url: str | None = None
    http_status: int | None = None
    error: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    content: bytes | None = field(default=None, repr=False)
    content_hash: str | None = None  # sha256 hex of content
