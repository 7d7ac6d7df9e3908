"""The extract stage's raw store: which articles to extract, their mention rows, extraction errors."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any

import duckdb
import pyarrow as pa

from ..basics import utcnow
from ..tables import MENTION_TABLES
from .connection import table_ref, transaction
from .load import WriteTimer, delete_keys, insert_rows, rows_by_keys, timed_write


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
        yield from rows_by_keys(con, """
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
                    failures: list[tuple[dict[str, Any], str]] | None = None,
                    timer: WriteTimer | None = None) -> dict[str, int]:
    """Replace the mention rows of a batch of articles in one transaction. batch: (article row, ArticleMentions
    or its `mention_rows`). `replacing`: the keys that may have mention rows already (default: all of them);
    only those are deleted first, so a first extraction is a pure bulk insert.

    When the batch cannot be stored (a value the warehouse refuses), each article is stored in a transaction of
    its own, so one bad article costs only itself: its old mentions stay, the reason goes to raw.extract_errors
    and is appended to `failures`, and the counts cover the articles that landed."""
    try:
        return _record_mentions(con, extractor_version, batch, replacing, timer)
    except (duckdb.Error, pa.ArrowException, OverflowError, ValueError, TypeError):
        pass  # find the article(s) that cannot be stored
    stale = None if replacing is None else set(replacing)
    counts: dict[str, int] = dict.fromkeys(MENTION_TABLES, 0)
    for art, mentions in batch:
        key = art["article_key"]
        try:
            one = _record_mentions(con, extractor_version, [(art, mentions)],
                                   None if stale is None else [k for k in (key,) if k in stale], timer)
        except (duckdb.Error, pa.ArrowException, OverflowError, ValueError, TypeError) as exc:
            reason = f"mentions could not be stored: {type(exc).__name__}: {exc}"
            record_extract_errors(con, extractor_version, [(art, reason)], timer=timer)
            if failures is not None:
                failures.append((art, reason))
            continue
        for table, n in one.items():
            counts[table] += n
    return counts


def _record_mentions(con: duckdb.DuckDBPyConnection, extractor_version: str,
                     batch: list[tuple[dict[str, Any], Any]], replacing: Iterable[str] | None,
                     timer: WriteTimer | None) -> dict[str, int]:
    keys = [a["article_key"] for a, _ in batch]
    stale = keys if replacing is None else list(replacing)
    per_table: dict[str, list[dict[str, Any]]] = {t: [] for t in MENTION_TABLES}
    for art, mentions in batch:
        rows = mentions if isinstance(mentions, dict) else mention_rows(art["article_key"], mentions, extractor_version)
        for table, records in rows.items():
            per_table[table].extend(records)
    now = utcnow()
    with timed_write(timer), transaction(con):
        for table in MENTION_TABLES:
            delete_keys(con, table, "article_key", stale)
            insert_rows(con, table, per_table[table])
        insert_rows(con, "extractions", [
            {"article_key": a["article_key"], "body_hash": a["body_hash"], "extractor_version": extractor_version,
             "extracted_at": now} for a, _ in batch], replace=True)
        delete_keys(con, "extract_errors", "article_key", keys)
    return {t: len(v) for t, v in per_table.items()}


def record_extract_errors(con: duckdb.DuckDBPyConnection, extractor_version: str,
                          failed: Sequence[tuple[dict[str, Any], str]], *, timer: WriteTimer | None = None) -> int:
    """Record articles whose extraction failed (article row with article_key and body_hash, reason)."""
    now = utcnow()
    with timed_write(timer), transaction(con):
        return insert_rows(con, "extract_errors", [
            {"article_key": a["article_key"], "body_hash": a.get("body_hash"), "extractor_version": extractor_version,
             "error": reason[:2000], "failed_at": now} for a, reason in failed], replace=True)


def drop_orphan_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """Mentions of articles that no longer exist (e.g. a page that became not_article) are removed."""
    with transaction(con):
        for table in MENTION_TABLES + ("extractions", "extract_errors"):
            con.execute(f"DELETE FROM {table_ref(table)} "  # noqa: S608 - names are ours
                        "WHERE article_key NOT IN (SELECT article_key FROM raw.articles)")
