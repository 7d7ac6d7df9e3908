"""Python asset checks for what dbt tests cannot see: runs over time and the fetch side.

All are WARN: at 3 a.m. an operator wants the night's data landed and a visible flag, not a failed run.
(A run fails outright only when every source failed — see stages.AllSourcesFailed.)
"""

import dagster as dg

from .resources import WAREHOUSE_POOL, WarehouseResource
from .warehouse import latest_run_id

FAILURE_RATE_THRESHOLD = 0.5
STALE_AFTER_DAYS = 2


@dg.asset_check(asset=dg.AssetKey(["raw", "fetch_log"]), name="fetch_failure_rate_per_source",
                pool=WAREHOUSE_POOL,
                description=f"Warns when more than {FAILURE_RATE_THRESHOLD:.0%} of a source's URLs failed in the latest run.")
def fetch_failure_rate_per_source(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        run_id = latest_run_id(con)
        rows = con.execute("""
            select source_name, count(*) as urls,
                   count(*) filter (where outcome not in ('ok', 'not_modified')) as failed
            from raw.fetch_log where run_id = ? group by source_name order by source_name
        """, [run_id]).fetchall() if run_id else []
    bad = {s: f / n for s, n, f in rows if n and f / n > FAILURE_RATE_THRESHOLD}
    table = "\n".join(["| source | urls | failed |", "|---|---|---|"] + [f"| {s} | {n} | {f} |" for s, n, f in rows])
    return dg.AssetCheckResult(
        passed=not bad, severity=dg.AssetCheckSeverity.WARN,
        description=("sources over the threshold: " + ", ".join(f"{s} ({r:.0%})" for s, r in bad.items()))
        if bad else "every source under the failure threshold",
        metadata={"run_id": run_id or "", "per_source": dg.MetadataValue.md(table or "no fetches")},
    )


@dg.asset_check(asset=dg.AssetKey(["raw", "articles"]), name="sources_still_delivering",
                pool=WAREHOUSE_POOL,
                description="Warns when a source that delivered articles in an earlier run delivered none in the latest run.")
def sources_still_delivering(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        run_id = latest_run_id(con)
        silent = [r[0] for r in con.execute("""
            with delivered_before as (
                select distinct source_name from raw.fetch_log where run_id <> ? and outcome = 'ok'
            ),
            delivered_now as (
                select distinct source_name from raw.fetch_log where run_id = ? and outcome in ('ok', 'not_modified')
            )
            select source_name from delivered_before
            where source_name not in (select source_name from delivered_now)
              and source_name in (select source_name from raw.fetch_log where run_id = ?)
            order by 1
        """, [run_id, run_id, run_id]).fetchall()] if run_id else []
    return dg.AssetCheckResult(
        passed=not silent, severity=dg.AssetCheckSeverity.WARN,
        description=("delivered before, nothing now: " + ", ".join(silent)) if silent else "every source delivered",
        metadata={"silent_sources": ", ".join(silent) or "none"},
    )


@dg.asset_check(asset=dg.AssetKey(["marts", "dim_articles"]), name="articles_without_publish_date",
                pool=WAREHOUSE_POOL,
                description="Reports how many articles state no publish date (their events cannot be dated).")
def articles_without_publish_date(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        total, undated = con.execute(
            "select count(*), count(*) filter (where published_at is null) from marts.dim_articles").fetchone()
        sample = [r[0] for r in con.execute(
            "select url from marts.dim_articles where published_at is null order by url limit 5").fetchall()]
    share = undated / total if total else 0.0
    return dg.AssetCheckResult(
        passed=share <= 0.2, severity=dg.AssetCheckSeverity.WARN,
        description=f"{undated} of {total} articles have no publish date",
        metadata={"undated": undated, "articles": total, "share": share, "examples": ", ".join(sample) or "none"},
    )


@dg.asset_check(asset=dg.AssetKey(["marts", "dim_articles"]), name="newest_article_is_fresh",
                pool=WAREHOUSE_POOL,
                description=f"Warns when the newest article was published more than {STALE_AFTER_DAYS} days ago.")
def newest_article_is_fresh(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        newest, age_days = con.execute(
            "select max(published_at), date_diff('hour', max(published_at), now()) / 24.0 from marts.dim_articles"
        ).fetchone()
    fresh = newest is not None and age_days <= STALE_AFTER_DAYS
    return dg.AssetCheckResult(
        passed=fresh, severity=dg.AssetCheckSeverity.WARN,
        description=f"newest article published {newest} ({age_days:.1f} days ago)" if newest else "no dated article",
        metadata={"newest_published_at": str(newest), "age_days": float(age_days) if age_days is not None else -1.0},
    )


@dg.asset_check(asset=dg.AssetKey(["raw", "sentences"]), name="articles_extracted_cleanly",
                pool=WAREHOUSE_POOL,
                description="Warns when an article's extraction failed (raw.extract_errors: the article is kept without "
                            "facts); reports the values extraction refused as implausible.")
def articles_extracted_cleanly(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        errors = con.execute("select article_key, error from raw.extract_errors order by failed_at desc").fetchall()
        implausible = con.execute("""
            select (select count(*) from raw.money_mentions where reject_reason like 'implausible%'),
                   (select count(*) from raw.date_mentions where reject_reason like 'implausible%')""").fetchone()
    table = "\n".join(["| article_key | error |", "|---|---|"] + [f"| {k} | {e[:200]} |" for k, e in errors[:20]])
    return dg.AssetCheckResult(
        passed=not errors, severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(errors)} article(s) whose extraction failed" if errors else "every article extracted",
        metadata={"failed_articles": len(errors), "implausible_amounts": implausible[0],
                  "implausible_dates": implausible[1], "failures": dg.MetadataValue.md(table if errors else "none")},
    )


ASSET_CHECKS = [fetch_failure_rate_per_source, sources_still_delivering, articles_without_publish_date,
                newest_article_is_fresh, articles_extracted_cleanly]
