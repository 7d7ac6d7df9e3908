select
    article_key,
    sentence_no,
    mention_no,
    date_text,
    year as stated_year,
    month as stated_month,
    day as stated_day,
    year_offset,
    month_offset,
    day_ref,
    direction,
    reject_reason
from {{ source('raw', 'date_mentions') }}
