"""The DuckDB warehouse: raw schema DDL, bulk loads and the reads the stages need. Pure Python.

Every write is one transaction per batch (a crash leaves either the whole batch or none of it), every
value is a bound parameter or an Arrow batch (never SQL text built from page content), and loads are
bulk (`INSERT ... SELECT` from a registered Arrow table), not row by row.
"""
from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .basics import md5_key, sha256_hex, utcnow  # noqa: F401 - wh.sha256_hex, wh.utcnow for the stages
from .settings import DDL_DIR, duckdb_memory_limit
from .tables import MENTION_TABLES

RAW_TABLES = (
    "discovered_urls", "fetch_log", "pages", "page_parses", "articles", "extractions", *MENTION_TABLES,
    "extract_errors",
)


def page_key(url: str) -> str:
    return md5_key(url)


def article_key(canonical_url: str) -> str:
    return md5_key(canonical_url)


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
    # DuckDB's buffer pool may grow to 80 % of RAM by default, and a long load of page bytes fills it: cap it
    # (DuckDB spills to <file>.tmp beyond the cap) so a 100k-page backfill stays within a small machine's memory
    con.execute("SET memory_limit = ?", [duckdb_memory_limit()])
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


_SCHEMA: dict[str, list[tuple[str, str]]] = {}
WRITE_SECONDS = {"seconds": 0.0}  # time spent in warehouse writes (stage metadata: write_seconds)


def _schema(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of raw.<table> in order; looked up once per process (the DDL is ours)."""
    cols = _SCHEMA.get(table)
    if cols is None:
        cols = [(c, t) for c, t in con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'raw' "
            "and table_name = ? order by ordinal_position", [table]).fetchall()]
        if cols:
            _SCHEMA[table] = cols
    return cols


@contextmanager
def timed_write() -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        WRITE_SECONDS["seconds"] += time.perf_counter() - started


def arrow_batch(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]],
                columns: Sequence[str] | None = None) -> pa.Table:
    schema = dict(_schema(con, table))
    cols = list(columns) if columns is not None else [c for c, _ in _schema(con, table)]
    return pa.table({c: pa.array([r.get(c) for r in rows], type=_arrow_type(schema[c])) for c in cols})


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]], *,
                replace: bool = False) -> int:
    """Bulk insert dict rows into raw.<table> through one Arrow batch; columns missing from a row are NULL.
    With replace, a row whose primary key exists replaces it (INSERT OR REPLACE: one index probe per row,
    not a scan of the table)."""
    if not rows:
        return 0
    schema = _schema(con, table)
    batch = arrow_batch(con, table, rows)
    name = f"_batch_{table}"
    con.register(name, batch)
    try:
        select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in schema)
        verb = "INSERT OR REPLACE INTO" if replace else "INSERT INTO"
        con.execute(f'{verb} raw."{table}" SELECT {select} FROM {name}')  # noqa: S608 - names are ours
    finally:
        con.unregister(name)
    return len(rows)


def _arrow_type(duck_type: str) -> pa.DataType:
    t = duck_type.upper()
    if t in ("VARCHAR", "JSON"):
        return pa.string()
    if t == "BLOB":
        return pa.binary()
    if t in ("INTEGER", "BIGINT"):
        return pa.int64()
    if t == "HUGEINT":  # int64 would overflow past 9.2e18 won: a 128-bit decimal holds every HUGEINT
        return pa.decimal128(38, 0)
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
    with timed_write(), transaction(con):
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
    nothing downstream is re-derived for it. Every write is one bulk statement over an Arrow batch.
    """
    log_rows = list({row["fetch_key"]: row for row in (fetch_log_row(run_id, r) for r in results)}.values())
    fresh = {page_key(r.url): r for r in results if r.outcome == "ok" and r.content is not None}
    with timed_write(), transaction(con):
        insert_rows(con, "fetch_log", log_rows, replace=True)
        existing = {}
        if fresh:
            con.register("_fresh_keys", pa.table({"page_key": pa.array(list(fresh), pa.string())}))
            try:
                existing = dict(con.execute("select p.page_key, p.content_hash from raw.pages p "
                                            "join _fresh_keys k using (page_key)").fetchall())
            finally:
                con.unregister("_fresh_keys")
        changed = [page_row(r) for k, r in fresh.items() if existing.get(k) != (r.content_hash or sha256_hex(r.content))]
        changed_keys = {c["page_key"] for c in changed}
        unchanged = [r for k, r in fresh.items() if k not in changed_keys]
        insert_rows(con, "pages", changed, replace=True)
        touch = [{"page_key": page_key(r.url), "fetched_at": r.fetched_at, "etag": r.etag,
                  "last_modified": r.last_modified} for r in unchanged]
        not_modified = [r for r in results if r.outcome == "not_modified"]
        touch += [{"page_key": page_key(r.url), "fetched_at": r.fetched_at, "etag": None, "last_modified": None}
                  for r in not_modified]
        if touch:
            touch = list({t["page_key"]: t for t in touch}.values())
            con.register("_touch", arrow_batch(con, "pages", touch, ["page_key", "fetched_at", "etag", "last_modified"]))
            try:
                con.execute("update raw.pages p set fetched_at = t.fetched_at, etag = coalesce(t.etag, p.etag), "
                            "last_modified = coalesce(t.last_modified, p.last_modified) "
                            "from _touch t where p.page_key = t.page_key")
            finally:
                con.unregister("_touch")
    return {"fetched": len(results), "pages_new_or_changed": len(changed),
            "pages_new": sum(1 for c in changed if c["page_key"] not in existing),
            "pages_changed": sum(1 for c in changed if c["page_key"] in existing),
            "pages_unchanged": len(unchanged), "not_modified": len(not_modified)}


# ---------------------------------------------------------------- parse stage

def page_keys_to_parse(con: duckdb.DuckDBPyConnection, parser_version: str, *, all_pages: bool = False) -> list[str]:
    """Stored pages whose current bytes have not been parsed by this parser version (every kept page with
    all_pages: a forced re-parse), newest fetch first, as keys: the stage reads the bytes in batches."""
    return [r[0] for r in con.execute("""
        select p.page_key
        from raw.pages p
        left join raw.page_parses pp
          on pp.page_key = p.page_key and pp.content_hash = p.content_hash and pp.parser_version = ?
        where pp.page_key is null or ?
        order by p.fetched_at desc, p.page_key
    """, [parser_version, all_pages]).fetchall()]


def _by_keys(con: duckdb.DuckDBPyConnection, sql: str, column: str, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of `sql` (which joins the registered `_keys(k)` on `column`), returned in the order of `keys`."""
    con.register("_keys", pa.table({"k": pa.array(list(keys), pa.string())}))
    try:
        cur = con.execute(sql)
        cols = [c[0] for c in cur.description]
        rows = {r[cols.index(column)]: dict(zip(cols, r)) for r in cur.fetchall()}
    finally:
        con.unregister("_keys")
    return [rows[k] for k in keys if k in rows]


def iter_pages(con: duckdb.DuckDBPyConnection, keys: Sequence[str], batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Stored pages by key, in the keys' order, read `batch` at a time; content stays compressed
    (`decompress_page` undoes it where the page is parsed)."""
    for start in range(0, len(keys), batch):
        yield from _by_keys(con, """
            select p.page_key, p.url, p.final_url, p.source_name, p.fetched_at, p.http_status, p.content_type,
                   p.content_hash, p.compression, p.content
            from raw.pages p join _keys on _keys.k = p.page_key""", "page_key", keys[start:start + batch])


def source_feed_urls(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Per source, the http(s) feeds / sitemaps its URLs were listed in (any run): the source's own domains
    when the parse stage decides whether a page's canonical URL is trusted."""
    out: dict[str, list[str]] = {}
    for name, via in con.execute("""
        select distinct source_name, discovered_via from raw.discovered_urls
        where discovered_via like 'http://%' or discovered_via like 'https://%' order by all""").fetchall():
        out.setdefault(name, []).append(via)
    return out


def decompress_page(rec: dict[str, Any]) -> dict[str, Any]:
    rec = dict(rec)
    rec["content"] = zlib.decompress(rec["content"]) if rec.pop("compression") == "zlib" else rec["content"]
    return rec


def record_parses(con: duckdb.DuckDBPyConnection, parses: list[dict[str, Any]],
                  articles: list[dict[str, Any]]) -> dict[str, int]:
    """One transaction: parse outcomes and the articles they produced (replacing older versions).

    Returns how the articles compare with what was stored: new (a canonical URL not seen before), updated (its
    body changed) and same_body (parsed again, e.g. new bytes or a new parser, with the body it had)."""
    unique = list({a["article_key"]: a for a in articles}.values())
    with timed_write(), transaction(con):
        before: dict[str, str] = {}
        if unique:
            con.register("_parsed_keys", pa.table({"article_key": pa.array([a["article_key"] for a in unique],
                                                                           pa.string())}))
            try:
                before = dict(con.execute("select a.article_key, a.body_hash from raw.articles a "
                                          "join _parsed_keys k using (article_key)").fetchall())
            finally:
                con.unregister("_parsed_keys")
        insert_rows(con, "page_parses", list({p["page_key"]: p for p in parses}.values()), replace=True)
        insert_rows(con, "articles", unique, replace=True)
    new = sum(1 for a in unique if a["article_key"] not in before)
    updated = sum(1 for a in unique if a["article_key"] in before and before[a["article_key"]] != a["body_hash"])
    return {"articles_new": new, "articles_updated": updated, "articles_same_body": len(unique) - new - updated}


# ---------------------------------------------------------------- extract stage

def article_keys_to_extract(con: duckdb.DuckDBPyConnection, extractor_version: str, *,
                            all_articles: bool = False) -> list[tuple[str, bool]]:
    """Articles whose body (or the extractor) changed since their mentions were written (all of them with
    all_articles), as (article_key, has mention rows already), in key order."""
    return [(k, bool(prev)) for k, prev in con.execute("""
        select a.article_key, e_any.article_key is not null
        from raw.articles a
        left join raw.extractions e
          on e.article_key = a.article_key and e.body_hash = a.body_hash and e.extractor_version = ?
        left join raw.extractions e_any on e_any.article_key = a.article_key
        -- a body this extractor version already failed on is not retried every night (raw.extract_errors)
        left join raw.extract_errors x
          on x.article_key = a.article_key and x.body_hash = a.body_hash and x.extractor_version = ?
        where (e.article_key is null and x.article_key is null) or ?
        order by a.article_key
    """, [extractor_version, extractor_version, all_articles]).fetchall()]


def iter_articles(con: duckdb.DuckDBPyConnection, keys: Sequence[str], batch: int = 2000) -> Iterator[dict[str, Any]]:
    for start in range(0, len(keys), batch):
        yield from _by_keys(con, """
            select a.article_key, a.body, a.body_hash, a.published_at
            from raw.articles a join _keys on _keys.k = a.article_key""", "article_key", keys[start:start + batch])


def mention_rows(article_key: str, mentions: Any, extractor_version: str) -> dict[str, list[dict[str, Any]]]:
    """An ArticleMentions as plain rows per raw mention table (what a worker process sends back)."""
    per_table: dict[str, list[dict[str, Any]]] = {}
    for table, records in mentions.tables().items():
        rows = per_table.setdefault(table, [])
        for rec in records:
            row = {k: v for k, v in asdict(rec).items() if k not in ("start", "end")}
            row["article_key"] = article_key
            if table == "sentences":
                row["extractor_version"] = extractor_version
            rows.append(row)
    return per_table


def record_mentions(con: duckdb.DuckDBPyConnection, extractor_version: str,
                    batch: list[tuple[dict[str, Any], Any]], *, replacing: Iterable[str] | None = None,
                    failures: list[tuple[dict[str, Any], str]] | None = None) -> dict[str, int]:
    """Replace the mention rows of a batch of articles in one transaction. batch: (article row, ArticleMentions
    or its `mention_rows`). `replacing`: the keys that may have mention rows already (default: all of them);
    only those are deleted first, so a first extraction is a pure bulk insert.

    When the batch cannot be stored (a value the warehouse refuses), each article is stored in a transaction of
    its own, so one bad article costs only itself: its old mentions stay, the reason goes to raw.extract_errors
    and is appended to `failures`, and the counts cover the articles that landed."""
    try:
        return _record_mentions(con, extractor_version, batch, replacing)
    except (duckdb.Error, pa.ArrowException, OverflowError, ValueError, TypeError):
        pass  # find the article(s) that cannot be stored
    stale = None if replacing is None else set(replacing)
    counts: dict[str, int] = dict.fromkeys(MENTION_TABLES, 0)
    for art, mentions in batch:
        key = art["article_key"]
        try:
            one = _record_mentions(con, extractor_version, [(art, mentions)],
                                   None if stale is None else [k for k in (key,) if k in stale])
        except (duckdb.Error, pa.ArrowException, OverflowError, ValueError, TypeError) as exc:
            reason = f"mentions could not be stored: {type(exc).__name__}: {exc}"
            record_extract_errors(con, extractor_version, [(art, reason)])
            if failures is not None:
                failures.append((art, reason))
            continue
        for table, n in one.items():
            counts[table] += n
    return counts


def _record_mentions(con: duckdb.DuckDBPyConnection, extractor_version: str,
                     batch: list[tuple[dict[str, Any], Any]], replacing: Iterable[str] | None) -> dict[str, int]:
    keys = [a["article_key"] for a, _ in batch]
    stale = keys if replacing is None else list(replacing)
    per_table: dict[str, list[dict[str, Any]]] = {t: [] for t in MENTION_TABLES}
    for art, mentions in batch:
        rows = mentions if isinstance(mentions, dict) else mention_rows(art["article_key"], mentions, extractor_version)
        for table, records in rows.items():
            per_table[table].extend(records)
    now = utcnow()
    with timed_write(), transaction(con):
        for table in MENTION_TABLES:
            delete_keys(con, table, "article_key", stale)
            insert_rows(con, table, per_table[table])
        insert_rows(con, "extractions", [
            {"article_key": a["article_key"], "body_hash": a["body_hash"], "extractor_version": extractor_version,
             "extracted_at": now} for a, _ in batch], replace=True)
        delete_keys(con, "extract_errors", "article_key", keys)
    return {t: len(v) for t, v in per_table.items()}


def record_extract_errors(con: duckdb.DuckDBPyConnection, extractor_version: str,
                          failed: Sequence[tuple[dict[str, Any], str]]) -> int:
    """Record articles whose extraction failed (article row with article_key and body_hash, reason)."""
    now = utcnow()
    with timed_write(), transaction(con):
        return insert_rows(con, "extract_errors", [
            {"article_key": a["article_key"], "body_hash": a.get("body_hash"), "extractor_version": extractor_version,
             "error": reason[:2000], "failed_at": now} for a, reason in failed], replace=True)


def drop_orphan_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """Mentions of articles that no longer exist (e.g. a page that became not_article) are removed."""
    with transaction(con):
        for table in MENTION_TABLES + ("extractions", "extract_errors"):
            con.execute(f'DELETE FROM raw."{table}" WHERE article_key NOT IN (SELECT article_key FROM raw.articles)')


# the run that fetched last (its id); a subquery for the reports that count "the latest run"
LATEST_RUN_ID_SQL = "select run_id from raw.fetch_log order by fetched_at desc limit 1"


def latest_run_id(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(LATEST_RUN_ID_SQL).fetchone()
    return row[0] if row else None


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


# ---------------------------------------------------------------- dbt build state

# the newest write time of each raw table dbt reads (mention tables move with raw.extractions)
_SIGNATURE_TIME = {"fetch_log": "(select max(fetched_at) from raw.fetch_log)",
                   "page_parses": "(select max(parsed_at) from raw.page_parses)",
                   "articles": "(select max(parsed_at) from raw.articles)"}
_EXTRACTED = "(select max(extracted_at) from raw.extractions)"


def source_signatures(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, str]:
    """A cheap signature per raw table (row count + newest write time): it moves whenever the stages add,
    replace or delete rows of the table."""
    out = {}
    for t in tables:
        newest = _SIGNATURE_TIME.get(t, _EXTRACTED)
        n, ts = con.execute(f'select (select count(*) from raw."{t}"), {newest}').fetchone()  # noqa: S608
        out[t] = f"{n}|{ts.isoformat() if ts is not None else ''}"
    return out


def built_signatures(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("select source_table, signature from raw.dbt_builds").fetchall())


def record_built(con: duckdb.DuckDBPyConnection, signatures: dict[str, str]) -> None:
    rows = [{"source_table": t, "signature": s, "built_at": utcnow()} for t, s in signatures.items()]
    with transaction(con):
        insert_rows(con, "dbt_builds", rows, replace=True)
