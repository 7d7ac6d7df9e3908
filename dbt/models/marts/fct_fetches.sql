-- What happened to every URL in every run. A fetch that got bytes ('ok') takes the parser's verdict
-- when the page was not an article or could not be parsed, so one outcome column tells the whole story.
with fetches as (
    select * from {{ ref('stg_raw__fetch_log') }}
),

parses as (
    select * from {{ ref('stg_raw__page_parses') }}
),

ids as (
    select article_key, article_id from {{ ref('int_articles_deduplicated') }}
)

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
    ids.article_id
from fetches f
left join parses p
    on p.page_key = f.page_key and (f.content_hash is null or p.content_hash = f.content_hash)
left join ids on ids.article_key = p.article_key
