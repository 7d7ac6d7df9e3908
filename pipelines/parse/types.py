"""What the parser makes of one page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class ParseError(Exception):
    """The page could not be parsed at all (kind: 'parse_error' or 'decode_error')."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class ParsedPage:
    kind: str  # 'article' | 'not_article'
    canonical_url: str | None = None
    title: str | None = None
    published_at: datetime | None = None  # timezone-aware (Asia/Seoul when the page gives no zone)
    published_at_source: str | None = None  # 'json-ld' | 'meta' | 'time' | 'byline' | ...
    outlet: str | None = None
    body: str = ""  # paragraphs separated by one blank line ("\n\n"), NFC-normalised
    encoding: str | None = None
    reason: str | None = None  # why not an article
