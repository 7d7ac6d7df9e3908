select
    fetch_key,
    run_id,
    source_name,
    url,
    final_url,
    fetched_at,
    http_status,
    outcome,
    attempts,
    error,
    page_key,
    content_hash
from {{ source('raw', 'fetch_log') }}
