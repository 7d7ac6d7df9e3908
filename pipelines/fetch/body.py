"""Response bodies: content-encoding decoded by hand so that `max_bytes` counts DECODED bytes.

The crawler asks for ``Accept-Encoding: gzip, deflate`` and reads the raw stream itself. Each raw
chunk is inflated with zlib's ``max_length`` set to what is left of the budget plus one byte, so a
gzip bomb (a few KB that inflate to gigabytes) stops after at most ``max_bytes + 1`` decoded bytes
instead of being inflated in memory first. Multi-member gzip streams are handled; ``deflate`` is
accepted both zlib-wrapped (RFC 1950) and raw (what some servers send). Any other encoding is a
`BodyDecodeError`.

Also: content-type rules (`is_html_type`, `looks_like_html`) used for page fetches.
"""
from __future__ import annotations

import re
import zlib

HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


class BodyTooLarge(Exception):
    """The decoded body grew past max_bytes."""


class BodyDecodeError(Exception):
    """The body could not be decoded (unknown content-encoding, corrupt gzip)."""


def media_type(content_type: str | None) -> str:
    """'text/html; charset=euc-kr' -> 'text/html' ('' when missing)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_html_type(content_type: str | None) -> bool:
    return media_type(content_type) in HTML_TYPES


def looks_like_html(body: bytes) -> bool:
    """Sniff the first KB for an HTML marker (used when the server sent no content type)."""
    return bool(_HTML_SNIFF.search(body[:1024]))


class _Identity:
    def feed(self, data: bytes, budget: int) -> bytes:
        return data

    def finish(self) -> bytes:
        return b""


class _Inflate:
    """zlib inflater bounded by a byte budget; wbits selects gzip / zlib / raw deflate."""

    def __init__(self, wbits: int, fallback_wbits: int | None = None) -> None:
        self._wbits = wbits
        self._fallback = fallback_wbits
        self._d = zlib.decompressobj(wbits)
        self._started = False

    def _decompress(self, data: bytes, max_length: int) -> bytes:
        try:
            out = self._d.decompress(data, max_length)
        except zlib.error:
            if self._started or self._fallback is None:
                raise
            self._wbits, self._fallback = self._fallback, None
            self._d = zlib.decompressobj(self._wbits)
            out = self._d.decompress(data, max_length)
        self._started = True
        return out

    def feed(self, data: bytes, budget: int) -> bytes:
        out: list[bytes] = []
        produced = 0
        while data:
            chunk = self._decompress(data, max(budget - produced, 0) + 1)
            out.append(chunk)
            produced += len(chunk)
            if produced > budget:
                break
            data = self._d.unconsumed_tail
            if self._d.eof:
                data = self._d.unused_data
                if data and self._wbits == 16 + zlib.MAX_WBITS and data.lstrip(b"\0"):
                    self._d = zlib.decompressobj(self._wbits)  # next gzip member
                else:
                    break
        return b"".join(out)

    def finish(self) -> bytes:
        return self._d.flush()


def make_decoder(content_encoding: str | None) -> _Identity | _Inflate:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1:
        raise BodyDecodeError(f"unsupported content-encoding {content_encoding!r}")
    if codings[0] in ("gzip", "x-gzip"):
        return _Inflate(16 + zlib.MAX_WBITS)
    if codings[0] == "deflate":
        return _Inflate(zlib.MAX_WBITS, -zlib.MAX_WBITS)
    raise BodyDecodeError(f"unsupported content-encoding {content_encoding!r}")


class BoundedBody:
    """Collects decoded bytes; raises BodyTooLarge as soon as they exceed `max_bytes`."""

    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        self._decoder = make_decoder(content_encoding)
        self._max = max_bytes
        self._parts: list[bytes] = []
        self.size = 0

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._max:
            raise BodyTooLarge(f"response exceeds max_bytes={self._max}")
        self._parts.append(data)

    def feed(self, raw: bytes) -> None:
        try:
            self._add(self._decoder.feed(raw, self._max - self.size))
        except zlib.error as exc:
            raise BodyDecodeError(f"corrupt compressed body: {exc}") from None

    def finish(self) -> bytes:
        try:
            self._add(self._decoder.finish())
        except zlib.error as exc:
            raise BodyDecodeError(f"corrupt compressed body: {exc}") from None
        return b"".join(self._parts)


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Inflate a gzip file (e.g. a sitemap.xml.gz served as application/gzip) within a budget."""
    body = BoundedBody("gzip", max_bytes)
    body.feed(data)
    return body.finish()
