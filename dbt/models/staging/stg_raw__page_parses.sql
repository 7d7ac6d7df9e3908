select
    page_key,
    content_hash,
    parser_version,
    outcome as parse_outcome,
    error as parse_error,
    article_key,
    parsed_at
from {{ source('raw', 'page_parses') }}
