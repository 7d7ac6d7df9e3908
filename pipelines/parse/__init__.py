"""Generic Korean news article extraction: page bytes -> ParsedPage.

Public API (the Dagster asset calls exactly this):
    PARSER_VERSION
    parse_page(content, url, content_type=None) -> ParsedPage
    decode_html(content, content_type=None) -> (text, encoding)
The rules live in the module docstrings of encoding, dates, zones, titles, metadata, body and page,
and in docs/extraction.md.
"""
from __future__ import annotations

from pipelines.parse.encoding import decode_html
from pipelines.parse.page import parse_page
from pipelines.parse.types import ParsedPage, ParseError

PARSER_VERSION = "parse-1.1.0"  # 1.1: canonical trust, parse budget, deep pages read flat

__all__ = ["PARSER_VERSION", "ParseError", "ParsedPage", "decode_html", "parse_page"]
