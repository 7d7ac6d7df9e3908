"""The DuckDB warehouse: raw schema DDL, bulk loads and the reads the stages need. Pure Python.

Every write is one transaction per batch (a crash leaves either the whole batch or none of it), every
value is a bound parameter or an Arrow batch (never SQL text built from page content), and loads are
bulk (`INSERT ... SELECT` from a registered Arrow table), not row by row.

One job per module; callers use the package (`from pipelines import warehouse as wh`, `wh.<name>`):
  connection  open the file + raw DDL, transactions, identifier quoting (`ident`, `table_ref`), table counts
  load        Arrow bulk loads, keyed deletes and reads, the write timer a stage owns
  keys        page and article keys
  fetches     fetch stage: discovered URLs, fetch log, page bytes; the latest run
  pages       parse stage: pages to parse, page reads, parses and articles
  mentions    extract stage: articles to extract, mention rows, extraction errors
  previews    Markdown previews for Dagster metadata
  builds      dbt build signatures and state
  shared      the shared raw store: a run's rows published as one commit of Parquet files (docs/scaling.md)
"""
from __future__ import annotations

from ..basics import md5_key, sha256_hex, utcnow
from ..tables import MENTION_TABLES
from .builds import built_signatures, record_built, source_signatures
from .connection import RAW_TABLES, apply_ddl, connect, ident, table_counts, table_ref, transaction
from .fetches import (
    LATEST_RUN_ID_SQL,
    discovered_for_run,
    discovered_rows,
    fetch_log_row,
    latest_discovery_run,
    latest_run_id,
    page_row,
    record_discovered,
    record_fetches,
    validators_for,
)
from .keys import article_key, page_key
from .load import WriteTimer, arrow_batch, delete_keys, insert_rows, rows_by_keys, timed_write
from .mentions import (
    article_keys_to_extract,
    drop_orphan_mentions,
    iter_articles,
    mention_rows,
    record_extract_errors,
    record_mentions,
)
from .pages import decompress_page, iter_pages, page_keys_to_parse, record_parses, source_feed_urls
from .previews import preview_markdown
from .shared import SharedStoreError
from .shared import publish as publish_shared

__all__ = [
    "LATEST_RUN_ID_SQL", "MENTION_TABLES", "RAW_TABLES", "WriteTimer", "apply_ddl", "arrow_batch", "article_key",
    "article_keys_to_extract", "built_signatures", "connect", "decompress_page", "delete_keys", "discovered_for_run",
    "discovered_rows", "drop_orphan_mentions", "fetch_log_row", "ident", "insert_rows", "iter_articles", "iter_pages",
    "latest_discovery_run", "latest_run_id", "md5_key", "mention_rows", "page_key", "page_keys_to_parse", "page_row",
    "preview_markdown", "publish_shared", "record_built", "record_discovered", "record_extract_errors", "record_fetches",
    "record_mentions", "record_parses", "rows_by_keys", "sha256_hex", "SharedStoreError", "source_feed_urls", "source_signatures",
    "table_counts", "table_ref", "timed_write", "transaction", "utcnow", "validators_for",
]
