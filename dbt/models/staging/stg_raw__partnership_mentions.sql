select
    article_key,
    sentence_no,
    mention_no,
    partnership_type,
    nullif(trim(partnership_name), '') as partnership_name,
    trim(member) as member,
    role
from {{ source('raw', 'partnership_mentions') }}
