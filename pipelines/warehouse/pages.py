"""The parse stage's raw store: which pages to parse, their bytes, and the parses and articles they produce."""
from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from .connection import transaction
from .load import WriteTimer, insert_rows, rows_by_keys, timed_write


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


def iter_pages(con: duckdb.DuckDBPyConnection, keys: Sequence[str], batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Stored pages by key, in the keys' order, read `batch` at a time; content stays compressed
    (`decompress_page` undoes it where the page is parsed)."""
    for start in range(0, len(keys), batch):
        yield from rows_by_keys(con, """
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
                  articles: list[dict[str, Any]], *, timer: WriteTimer | None = None) -> dict[str, int]:
    """One transaction: parse outcomes and the articles they produced (replacing older versions).

    Returns how the articles compare with what was stored: new (a canonical URL not seen before), updated (its
    body changed) and same_body (parsed again, e.g. new bytes or a new parser, with the body it had)."""
    unique = list({a["article_key"]: a for a in articles}.values())
    with timed_write(timer), transaction(con):
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
