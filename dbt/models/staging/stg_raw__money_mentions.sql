select
    article_key,
    sentence_no,
    mention_no,
    surface,
    amount_krw,
    nullif(trim(cue), '') as cue,
    share_pct,
    list_no,
    is_list_total,
    nullif(trim(program), '') as program,
    nullif(trim(recipient), '') as recipient,
    period_start_year,
    period_end_year,
    is_derived,
    is_budget,
    reject_reason
from {{ source('raw', 'money_mentions') }}
