"""Raw stage assets, keyed ["raw", <table>] so dbt's `raw` source tables link to them by construction.

Each asset is a thin wrapper: open the warehouse, call the stage in pipelines.stages, report counts and a
preview as materialisation metadata.
"""

import time
import warnings
from collections.abc import Callable
from typing import Any

import dagster as dg

from .. import stages
from .. import warehouse as wh
from ..fetch.robots import RobotsCache
from ..partitions import NEWS_DAYS, window_of_context
from ..resources import WAREHOUSE_POOL, SourcesResource, WarehouseResource
from ..settings import backfill_days_per_run, shared_store

WRITER_POOL = WAREHOUSE_POOL
KINDS = {"python", "duckdb"}
# The fetch side is partitioned by Seoul news day (see pipelines/partitions.py); a backfill of a day range runs
# as one run, so the crawler's politeness, robots cache and connection pool span the whole range -- unless
# NEWS_BACKFILL_DAYS_PER_RUN splits it into runs of that many days (the fan-out of deploy/: README "When one
# machine is not enough"), read when the code is loaded.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


def fetch_side_backfill_policy(days_per_run: int | None) -> dg.BackfillPolicy:
    return dg.BackfillPolicy.single_run() if days_per_run is None else dg.BackfillPolicy.multi_run(days_per_run)


FETCH_SIDE = {"partitions_def": NEWS_DAYS, "backfill_policy": fetch_side_backfill_policy(backfill_days_per_run())}


class RederiveConfig(dg.Config):
    """Launchpad switch: re-derive every kept page / article, not only what is new or changed (e.g. after a
    dictionary change). Nothing is fetched: the raw page bytes are kept."""

    all: bool = False


def timed(fn: Callable[..., stages.StageReport], *args: Any,
          **kwargs: Any) -> tuple[stages.StageReport, dict[str, float]]:
    """Run a stage; return its report and the timing metadata every stage asset reports: stage_seconds (the
    whole stage) and write_seconds (the part spent writing to the warehouse, which the report carries)."""
    started = time.perf_counter()
    report = fn(*args, **kwargs)
    return report, {"stage_seconds": round(time.perf_counter() - started, 3),
                    "write_seconds": round(report.write_seconds, 3)}


def _md_table(mapping: dict[str, dict[str, int]]) -> str:
    cols = sorted({k for v in mapping.values() for k in v})
    lines = ["| source | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for name, counts in sorted(mapping.items()):
        lines.append(f"| {name} | " + " | ".join(str(counts.get(c, 0)) for c in cols) + " |")
    return "\n".join(lines)


def _errors_md(errors: list[str], limit: int = 20) -> str:
    if not errors:
        return "none"
    shown = "\n".join(f"- {e[:300]}" for e in errors[:limit])
    more = f"\n- … and {len(errors) - limit} more" if len(errors) > limit else ""
    return shown + more


@dg.asset(
    key=["raw", "discovered_urls"],
    group_name="raw",
    kinds=KINDS,
    pool=WRITER_POOL,
    description="URLs yielded by every source of the sources file (html_dir, urls, rss/atom, sitemap) whose "
                "listing date falls on the run's news days (the newest day also takes undated and later "
                "entries). A source that fails is recorded in raw.fetch_log as feed_error and the run goes on.",
    **FETCH_SIDE,
)
def discovered_urls(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                    sources: SourcesResource, robots: dg.ResourceParam[RobotsCache]) -> dg.MaterializeResult:
    config = sources.load()
    window = window_of_context(context)
    context.log.info(f"news days: {window.describe()}")
    with warehouse.connect() as con:
        report, timing = timed(stages.discover_stage, con, config, context.run.run_id, window=window,
                                robots=robots)
        preview = wh.preview_markdown(con, "select source_name, url, title_hint from raw.discovered_urls "
                                           "where run_id = ? order by source_name, url limit 10", [context.run.run_id])
    for err in report.errors:
        context.log.warning(err)
    return dg.MaterializeResult(metadata={
        "dagster/row_count": report.counts["urls"],
        "new_urls": dg.MetadataValue.int(report.counts["urls_new"]),  # not in raw.pages yet
        "known_urls": dg.MetadataValue.int(report.counts["urls_known"]),  # stored before: a conditional GET
        "sources": report.counts["sources"],
        "sources_failed": report.counts["sources_failed"],
        "news_days": window.describe(),
        "listed_on_other_days": report.counts["listed_on_other_days"],
        "per_source": dg.MetadataValue.md(_md_table(report.by_source)),
        "source_errors": dg.MetadataValue.md(_errors_md(report.errors)),
        "preview": dg.MetadataValue.md(preview),
        "sources_file": str(config.path),
        **timing,
    })


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "pages"], group_name="raw", kinds=KINDS, deps=[["raw", "discovered_urls"]],
                     description="Newest bytes of every fetched URL (zlib), with status, headers, validators and hash."),
        dg.AssetSpec(["raw", "fetch_log"], group_name="raw", kinds=KINDS, deps=[["raw", "discovered_urls"]],
                     description="One row per URL per run: outcome, HTTP status, attempts, error."),
    ],
    pool=WRITER_POOL,
    **FETCH_SIDE,
)
def fetched_pages(context: dg.AssetExecutionContext, warehouse: WarehouseResource, sources: SourcesResource,
                  robots: dg.ResourceParam[RobotsCache]):
    config = sources.load()
    with warehouse.connect() as con:
        report, timing = timed(stages.fetch_stage, con, config, context.run.run_id, robots=robots)
        counts = wh.table_counts(con, ["pages"])
        log_preview = wh.preview_markdown(
            con, "select source_name, url, outcome, http_status, attempts, error from raw.fetch_log "
                 "where run_id = ? order by outcome <> 'ok' desc, url limit 10", [context.run.run_id])
    for err in report.errors[:50]:
        context.log.warning(err)
    yield dg.MaterializeResult(asset_key=["raw", "pages"], metadata={
        "dagster/row_count": counts["pages"],
        "new_pages": report.counts.get("pages_new", 0),
        "updated_pages": report.counts.get("pages_changed", 0),
        "new_or_changed_pages": report.counts.get("pages_new_or_changed", 0),
        "unchanged_pages": report.counts.get("pages_unchanged", 0),
        "not_modified": report.counts.get("not_modified", 0),
        **timing,
    })
    yield dg.MaterializeResult(asset_key=["raw", "fetch_log"], metadata={
        "requests_this_run": report.counts.get("requested", 0),
        "outcomes_per_source": dg.MetadataValue.md(_md_table(report.by_source) if report.by_source else "none"),
        "errors": dg.MetadataValue.md(_errors_md(report.errors)),
        "preview": dg.MetadataValue.md(log_preview),
        **timing,
    })


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "articles"], group_name="raw", kinds=KINDS, deps=[["raw", "pages"]],
                     description="Parsed articles (title, published_at, outlet, canonical URL, body, parser version)."),
        dg.AssetSpec(["raw", "page_parses"], group_name="raw", kinds=KINDS, deps=[["raw", "pages"]],
                     description="The parser's verdict per stored page: article, not_article, parse_error, decode_error."),
    ],
    pool=WRITER_POOL,
)
def parsed_articles(context: dg.AssetExecutionContext, config: RederiveConfig, warehouse: WarehouseResource):
    with warehouse.connect() as con:
        report, timing = timed(stages.parse_stage, con, reparse_all=config.all)
        counts = wh.table_counts(con, ["articles", "page_parses"])
        preview = wh.preview_markdown(con, "select outlet, title, published_at, length(body) as body_chars, url "
                                           "from raw.articles order by parsed_at desc limit 8")
    for err in report.errors[:50]:
        context.log.warning(err)
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={
        "dagster/row_count": counts["articles"],
        "parsed_this_run": report.counts.get("parsed", 0),
        "new_articles": report.counts.get("articles_new", 0),
        "updated_articles": report.counts.get("articles_updated", 0),
        "reparsed_same_body": report.counts.get("articles_same_body", 0),
        "preview": dg.MetadataValue.md(preview),
        **timing,
    })
    yield dg.MaterializeResult(asset_key=["raw", "page_parses"], metadata={
        "dagster/row_count": counts["page_parses"],
        **{k: v for k, v in report.counts.items() if k.startswith("outcome_")},
        "errors": dg.MetadataValue.md(_errors_md(report.errors)),
        **timing,
    })


MENTION_DESCRIPTIONS = {
    "sentences": "Article bodies split into sentences (the evidence column of every fact).",
    "money_mentions": "Korean money amounts (억, 조, 만 원 …) with funding cue, list membership, programme and period.",
    "date_mentions": "Date expressions as components; dbt resolves them against the publish date.",
    "event_mentions": "Event triggers (체결, 선정, 출범, 시연, 발표, 목표, 시행 …) with their date mention.",
    "org_mentions": "Organisation names as written, with antecedents for anaphora (시는 → 천안시).",
    "partnership_mentions": "Members and roles of agreements, consortia, alliances and joint ventures.",
}


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", t], group_name="raw", kinds=KINDS, deps=[["raw", "articles"]], description=d)
           for t, d in ((t, MENTION_DESCRIPTIONS[t]) for t in wh.MENTION_TABLES)],
    pool=WRITER_POOL,
)
def text_mentions(context: dg.AssetExecutionContext, config: RederiveConfig, warehouse: WarehouseResource):
    store = shared_store()  # NEWS_DBT_TARGET=shared: the run's raw rows also go to the shared store (one commit)
    commit = None
    with warehouse.connect() as con:
        report, timing = timed(stages.extract_stage, con, reextract_all=config.all)
        counts = wh.table_counts(con, list(wh.MENTION_TABLES))
        if store is not None:
            commit = wh.publish_shared(con, store, context.run_id)
            context.log.info(f"published to the shared store: commit {commit.name} "
                             f"({sum(commit.row_counts.values())} rows)")
    for err in report.errors[:50]:
        context.log.warning(err)
    for table in wh.MENTION_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={
            "dagster/row_count": counts[table],
            "articles_extracted_this_run": report.counts.get("articles_extracted", 0),
            "articles_new": report.counts.get("articles_first_extracted", 0),
            "articles_updated": report.counts.get("articles_re_extracted", 0),
            "rows_written_this_run": report.counts.get(f"rows_{table}", 0),
            "articles_failed_this_run": report.counts.get("articles_failed", 0),
            "extract_errors": dg.MetadataValue.md(_errors_md(report.errors)),
            **({"shared_commit": commit.name} if commit is not None else {}),
            **timing,
        })
