select
    article_key,
    url,
    page_key,
    source_name,
    fetched_url,
    claimed_canonical_url,
    nullif(trim(outlet), '') as outlet,
    nullif(trim(title), '') as title,
    published_at,
    published_at_source,
    body,
    body_hash,
    fetched_at,
    parser_version,
    (published_at at time zone 'Asia/Seoul')::date as published_date
from {{ source('raw', 'articles') }}
