"""The DuckDB warehouse: raw schema DDL, bulk loads and the reads the stages need. Pure Python.

Every write is one transaction per batch (a crash leaves either the whole batch or none of it), every
value is a bound parameter or an Arrow batch (never SQL text built from page content), and loads are
bulk (`INSERT ... SELECT` from a registered Arrow table), not row by row.
"""
from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .settings import DDL_DIR

RAW_TABLES = (
    "discovered_urls", "fetch_log", "pages", "page_parses", "articles", "extractions",
    "sentences", "money_mentions", "date_mentions", "event_mentions", "org_mentions", "partnership_mentions",
)
MENTION_TABLES = ("sentences", "money_mentions", "date_mentions", "event_mentions", "org_mentions",
                  "partnership_mentions")


def md5_key(*parts: str) -> str:
    return hashlib.md5("|".join(parts).encode("utf-8")).hexdigest()


def page_key(url: str) -> str:
    return md5_key(url)


def article_key(canonical_url: str) -> str:
    return md5_key(canonical_url)


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def apply_ddl(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted(DDL_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file (creating its folder and the raw schema when writable)."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET TimeZone = 'Asia/Seoul'")
    if not read_only:
        apply_ddl(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
        "order by ordinal_position", [table]).fetchall()
    return [r[0] for r in rows]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> int:
    """Bulk insert dict rows into raw.<table> through one Arrow batch; columns missing from a row are NULL."""
    if not rows:
        return 0
    cols = _columns(con, table)
    schema_types = dict(con.execute(
        "select column_name, data_type from information_schema.columns where table_schema='raw' and table_name=?",
        [table]).fetchall())
    arrays = {}
    for c in cols:
        values = [r.get(c) for r in rows]
        arrays[c] = pa.array(values, type=_arrow_type(schema_types[c]))
    batch = pa.table(arrays)
    name = f"_batch_{table}"
    con.register(name, batch)
    try:
        select = ", ".join(f'CAST("{c}" AS {schema_types[c]}) AS "{c}"' for c in cols)
        con.execute(f'INSERT INTO raw."{table}" SELECT {select} FROM {name}')  # noqa: S608 - names are ours
    finally:
        con.unregister(name)
    return len(rows)


def _arrow_type(duck_type: str) -> pa.DataType:
    t = duck_type.upper()
    if t in ("VARCHAR", "JSON"):
        return pa.string()
    if t == "BLOB":
        return pa.binary()
    if t in ("INTEGER", "BIGINT", "HUGEINT"):
        return pa.int64()
    if t == "BOOLEAN":
        return pa.bool_()
    if t.startswith("TIMESTAMP"):
        return pa.timestamp("us", tz="UTC")
    if t.startswith("DECIMAL") or t == "DOUBLE":
        return pa.float64()
    return pa.string()


def delete_keys(con: duckdb.DuckDBPyConnection, table: str, column: str, keys: Iterable[str]) -> None:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    con.execute(f'DELETE FROM raw."{table}" WHERE "{column}" IN (SELECT unnest(?::VARCHAR[]))', [keys])


# ---------------------------------------------------------------- fetch stage

def discovered_rows(run_id: str, items: Iterable[Any], when: datetime) -> list[dict[str, Any]]:
    seen, rows = set(), []
    for d in items:
        key = (d.source_name, d.url)
        if key in seen:
            continue
        seen.add(key)
        rows.append({"run_id": run_id, "source_name": d.source_name, "url": d.url,
                     "discovered_via": d.discovered_via, "title_hint": d.title_hint,
                     "lastmod_hint": d.lastmod_hint, "discovered_at": when})
    return rows


def record_discovered(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]]) -> None:
    with transaction(con):
        con.execute("DELETE FROM raw.discovered_urls WHERE run_id = ?", [run_id])
        insert_rows(con, "discovered_urls", rows)


def latest_discovery_run(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select run_id from raw.discovered_urls order by discovered_at desc limit 1").fetchone()
    return row[0] if row else None


def discovered_for_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    cur = con.execute("select source_name, url, discovered_via, title_hint, lastmod_hint from raw.discovered_urls "
                      "where run_id = ? order by source_name, url", [run_id])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def validators_for(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """Stored ETag / Last-Modified per URL, for conditional GETs."""
    if not urls:
        return {}
    rows = con.execute("select url, etag, last_modified from raw.pages where url in (select unnest(?::VARCHAR[])) "
                       "and (etag is not null or last_modified is not null)", [urls]).fetchall()
    return {u: (e, lm) for u, e, lm in rows}


def fetch_log_row(run_id: str, r: Any) -> dict[str, Any]:
    stored = r.outcome == "ok" and r.content is not None
    return {
        "fetch_key": md5_key(run_id, r.source_name, r.url), "run_id": run_id, "source_name": r.source_name,
        "url": r.url, "final_url": r.final_url, "fetched_at": r.fetched_at, "http_status": r.http_status,
        "outcome": r.outcome, "attempts": r.attempts, "error": r.error,
        "page_key": page_key(r.url) if stored or r.outcome == "not_modified" else None,
        "content_hash": r.content_hash if stored else None,
    }


def page_row(r: Any) -> dict[str, Any]:
    content = r.content or b""
    return {
        "page_key": page_key(r.url), "url": r.url, "final_url": r.final_url, "source_name": r.source_name,
        "fetched_at": r.fetched_at, "http_status": r.http_status, "content_type": r.content_type,
        "headers_json": json.dumps(r.headers or {}, ensure_ascii=False), "etag": r.etag,
        "last_modified": r.last_modified, "content_hash": r.content_hash or sha256_hex(content),
        "content_length": len(content), "compression": "zlib", "content": zlib.compress(content, 6),
    }


def record_fetches(con: duckdb.DuckDBPyConnection, run_id: str, results: Sequence[Any]) -> dict[str, int]:
    """One transaction: the fetch-log rows of this batch and the new page bytes.

    A page whose bytes did not change keeps its stored row (only its fetch time / validators move on), so
    nothing downstream is re-derived for it.
    """
    log_rows = [fetch_log_row(run_id, r) for r in results]
    fresh = {page_key(r.url): r for r in results if r.outcome == "ok" and r.content is not None}
    with transaction(con):
        delete_keys(con, "fetch_log", "fetch_key", [r["fetch_key"] for r in log_rows])
        insert_rows(con, "fetch_log", log_rows)
        existing = dict(con.execute(
            "select page_key, content_hash from raw.pages where page_key in (select unnest(?::VARCHAR[]))",
            [list(fresh)]).fetchall()) if fresh else {}
        changed = [page_row(r) for k, r in fresh.items() if existing.get(k) != (r.content_hash or sha256_hex(r.content))]
        unchanged = [r for k, r in fresh.items() if k not in {c["page_key"] for c in changed}]
        delete_keys(con, "pages", "page_key", [c["page_key"] for c in changed])
        insert_rows(con, "pages", changed)
        for r in unchanged:
            con.execute("update raw.pages set fetched_at = ?, etag = coalesce(?, etag), "
                        "last_modified = coalesce(?, last_modified) where page_key = ?",
                        [r.fetched_at, r.etag, r.last_modified, page_key(r.url)])
        not_modified = [r for r in results if r.outcome == "not_modified"]
        for r in not_modified:
            con.execute("update raw.pages set fetched_at = ? where page_key = ?", [r.fetched_at, page_key(r.url)])
    return {"fetched": len(results), "pages_new_or_changed": len(changed), "pages_unchanged": len(unchanged),
            "not_modified": len(not_modified)}


# ---------------------------------------------------------------- parse stage

def pages_to_parse(con: duckdb.DuckDBPyConnection, parser_version: str, *, limit: int | None = None,
                   all_pages: bool = False):
    """Stored pages whose current bytes have not been parsed by this parser version (newest first);
    every kept page with all_pages (a forced re-parse)."""
    sql = """
        select p.page_key, p.url, p.final_url, p.source_name, p.fetched_at, p.content_type, p.content_hash,
               p.compression, p.content
        from raw.pages p
        left join raw.page_parses pp
          on pp.page_key = p.page_key and pp.content_hash = p.content_hash and pp.parser_version = ?
        where pp.page_key is null or ?
        order by p.fetched_at desc, p.page_key
    """
    params: list[Any] = [parser_version, all_pages]
    if limit:
        sql += " limit ?"
        params.append(limit)
    cur = con.execute(sql, params)
    cols = [c[0] for c in cur.description]
    for row in cur.fetchall():
        rec = dict(zip(cols, row))
        rec["content"] = zlib.decompress(rec["content"]) if rec.pop("compression") == "zlib" else rec["content"]
        yield rec


def record_parses(con: duckdb.DuckDBPyConnection, parses: list[dict[str, Any]], articles: list[dict[str, Any]]) -> None:
    """One transaction: parse outcomes and the articles they produced (replacing older versions)."""
    with transaction(con):
        delete_keys(con, "page_parses", "page_key", [p["page_key"] for p in parses])
        insert_rows(con, "page_parses", parses)
        delete_keys(con, "articles", "article_key", [a["article_key"] for a in articles])
        insert_rows(con, "articles", articles)


# ---------------------------------------------------------------- extract stage

def articles_to_extract(con: duckdb.DuckDBPyConnection, extractor_version: str, *, all_articles: bool = False):
    """Articles whose body (or the extractor) changed since their mentions were written (all with all_articles)."""
    cur = con.execute("""
        select a.article_key, a.body, a.body_hash, a.published_at
        from raw.articles a
        left join raw.extractions e
          on e.article_key = a.article_key and e.body_hash = a.body_hash and e.extractor_version = ?
        where e.article_key is null or ?
        order by a.article_key
    """, [extractor_version, all_articles])
    cols = [c[0] for c in cur.description]
    for row in cur.fetchall():
        yield dict(zip(cols, row))


def record_mentions(con: duckdb.DuckDBPyConnection, extractor_version: str,
                    batch: list[tuple[dict[str, Any], Any]]) -> dict[str, int]:
    """Replace the mention rows of a batch of articles in one transaction. batch: (article row, ArticleMentions)."""
    keys = [a["article_key"] for a, _ in batch]
    per_table: dict[str, list[dict[str, Any]]] = {t: [] for t in MENTION_TABLES}
    for art, mentions in batch:
        for table, records in mentions.tables().items():
            for rec in records:
                row = {k: v for k, v in asdict(rec).items() if k not in ("start", "end")}
                row["article_key"] = art["article_key"]
                if table == "sentences":
                    row["extractor_version"] = extractor_version
                per_table[table].append(row)
    now = utcnow()
    with transaction(con):
        for table in MENTION_TABLES:
            delete_keys(con, table, "article_key", keys)
            insert_rows(con, table, per_table[table])
        delete_keys(con, "extractions", "article_key", keys)
        insert_rows(con, "extractions", [
            {"article_key": a["article_key"], "body_hash": a["body_hash"], "extractor_version": extractor_version,
             "extracted_at": now} for a, _ in batch])
    return {t: len(v) for t, v in per_table.items()}


def drop_orphan_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """Mentions of articles that no longer exist (e.g. a page that became not_article) are removed."""
    with transaction(con):
        for table in MENTION_TABLES + ("extractions",):
            con.execute(f'DELETE FROM raw."{table}" WHERE article_key NOT IN (SELECT article_key FROM raw.articles)')


def table_counts(con: duckdb.DuckDBPyConnection, tables: Iterable[str], schema: str = "raw") -> dict[str, int]:
    out = {}
    for t in tables:
        out[t] = con.execute(f'select count(*) from {schema}."{t}"').fetchone()[0]
    return out


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
