-- What happened to every URL in every run. A fetch that got bytes ('ok') takes the parser's verdict
-- when the page was not an article or could not be parsed, so one outcome column tells the whole story.
--
-- Incremental: this is the one table that grows every night whatever happens (one row per URL per run, a
-- year of nights is hundreds of runs x every URL), and old runs do not change. Each build takes
--   (a) fetches newer than the newest one already in the table (tonight's run, or a backfill's),
--   (b) fetches of pages parsed after the newest parse the table has seen (new bytes or a new parser: the
--       verdict and the article may change),
--   (c) rows whose article_id is no longer an article (an article merged into another or removed),
-- and replaces them by fetch_id (delete+insert). Anything else a full build would change needs
-- `dbt build --full-refresh` (the `full_build` launchpad switch / `pipelines.cli run --full-refresh`).
{{ config(materialized='incremental', unique_key='fetch_id', incremental_strategy='delete+insert',
          on_schema_change='fail') }}

with fetches as (
    select * from {{ ref('stg_raw__fetch_log') }}
),

parses as (
    select * from {{ ref('stg_raw__page_parses') }}
),

ids as (
    select article_key, article_id from {{ ref('int_articles_deduplicated') }}
)

{% if is_incremental() %}
, built as (
    select
        coalesce(max(fetched_at), timestamptz '1900-01-01 00:00:00+00') as newest_fetch,
        coalesce(max(parsed_at), timestamptz '1900-01-01 00:00:00+00') as newest_parse
    from {{ this }}
),

stale as (
    select t.fetch_id
    from {{ this }} t
    where t.article_id is not null and t.article_id not in (select article_id from ids)
)
{% endif %}

select
    f.fetch_key as fetch_id,
    f.run_id,
    f.source_name,
    f.url,
    f.final_url,
    f.fetched_at,
    f.http_status,
    case
        when f.outcome in ('ok', 'not_modified') and p.parse_outcome in ('not_article', 'parse_error', 'decode_error')
            then p.parse_outcome
        else f.outcome
    end as outcome,
    f.attempts,
    case
        when f.outcome in ('ok', 'not_modified') and p.parse_outcome in ('not_article', 'parse_error', 'decode_error')
            then p.parse_error
        else f.error
    end as error,
    ids.article_id,
    p.parsed_at
from fetches f
left join parses p
    on p.page_key = f.page_key and (f.content_hash is null or p.content_hash = f.content_hash)
left join ids on ids.article_key = p.article_key
{% if is_incremental() %}
where f.fetched_at > (select newest_fetch from built)
   or f.page_key in (select page_key from parses where parsed_at > (select newest_parse from built))
   or f.fetch_key in (select fetch_id from stale)
{% endif %}
