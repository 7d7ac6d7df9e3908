select article_key, sentence_no, mention_no, surface, nullif(trim(resolved), '') as resolved, is_subject
from {{ source('raw', 'org_mentions') }}
