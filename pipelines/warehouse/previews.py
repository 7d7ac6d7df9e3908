"""Markdown previews of a query's rows (the tables Dagster shows in asset metadata)."""
from __future__ import annotations

from typing import Any

import duckdb


def preview_markdown(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None, *,
                     max_chars: int = 60) -> str:
    cur = con.execute(sql, params or [])
    cols = [c[0] for c in cur.description]
    rows = cur.fetchall()

    def cell(v: Any) -> str:
        s = "" if v is None else str(v)
        s = s.replace("|", "\\|").replace("\n", " ")
        return s if len(s) <= max_chars else s[: max_chars - 1] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)
