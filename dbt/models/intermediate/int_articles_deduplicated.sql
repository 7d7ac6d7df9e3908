-- One row per distinct article. Two canonical URLs whose bodies are byte-identical are one article: the
-- first one fetched (then the smaller key) gives its key as the article_id, and every mention of either
-- URL is attributed to that id through `article_key_map` below.
with articles as (
    select * from {{ ref('stg_raw__articles') }}
),

ranked as (
    select
        *,
        first_value(article_key) over (
            partition by body_hash order by fetched_at, article_key
        ) as article_id
    from articles
)

select
    article_id,
    article_key,
    article_key = article_id as is_primary,
    url,
    claimed_canonical_url,
    outlet,
    title,
    published_at,
    published_date,
    published_at_source,
    body,
    body_hash,
    fetched_at,
    source_name,
    parser_version
from ranked
