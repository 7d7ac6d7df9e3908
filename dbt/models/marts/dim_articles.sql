-- One row per distinct article (canonical URL; byte-identical bodies folded into one id).
select
    article_id,
    url,
    coalesce(outlet, regexp_extract(url, '^[a-z]+://([^/:]+)', 1)) as outlet,
    title,
    published_at,
    body,
    fetched_at,
    source_name,
    published_at_source,
    parser_version,
    claimed_canonical_url
from {{ ref('int_articles_deduplicated') }}
where is_primary
