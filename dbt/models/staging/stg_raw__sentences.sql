select article_key, sentence_no, paragraph_no, text as sentence_text
from {{ source('raw', 'sentences') }}
