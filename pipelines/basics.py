"""The small things every stage shares, in one place and Dagster-free: Seoul time, "now" in UTC, content hashes.

Korea has kept UTC+9 without daylight saving since 1988, so Seoul is a fixed offset (named Asia/Seoul).
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

SEOUL = timezone(timedelta(hours=9), "Asia/Seoul")


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes (a str is hashed as its UTF-8 bytes)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def md5_key(*parts: str) -> str:
    """A row key: hex MD5 of the parts joined with '|'."""
    return hashlib.md5("|".join(parts).encode("utf-8")).hexdigest()
