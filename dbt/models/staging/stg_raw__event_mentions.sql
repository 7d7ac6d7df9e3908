select article_key, sentence_no, mention_no, event_type, trigger, date_mention_no, nullif(trim(location), '') as location
from {{ source('raw', 'event_mentions') }}
