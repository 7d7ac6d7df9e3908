-- Every place an article names a project: the programme of a budget mention (raw.money_mentions.program)
-- and the programme phrases of its sentences ('… 사업', '… 프로젝트', '… 센터 유치'), each with
--   name_key: the phrase's words (macro project_name_tokens) less generic words (seed project_generic_words)
--             and local-government names (seed local_governments), sorted and joined by spaces;
--   lead_org_key: the budget's recipient, else the first placed local government named in the same sentence,
--             else the local government the article names most;
--   sido_code / sigungu_code: where the lead organisation is (dim_organizations).
-- A phrase left with no word (이번 사업, 해당 사업, 공모사업) is not a mention: its facts inherit the project
-- in effect at that sentence (int_fact_projects).
with sentences as (
    select s.article_key, ids.article_id, s.sentence_no, s.sentence_text
    from {{ ref('stg_raw__sentences') }} s
    join {{ ref('int_articles_deduplicated') }} ids using (article_key)
),

phrases as (
    select article_key, article_id, sentence_no, program as phrase, recipient, 'budget_program' as seen_as
    from {{ ref('int_budget_mentions_classified') }}
    where program is not null
    union all
    select article_key, article_id, sentence_no, unnest({{ program_phrases('sentence_text') }}) as phrase,
        null as recipient, 'sentence_phrase'
    from sentences
),

-- a sentence phrase whose word right before 사업 / 프로젝트 is a particle or a verb form ('현안이 사업', '전문가로
-- 꾸려진 사업', '기본구상에 담긴 사업': a short word ending in a syllable with final ㄴ/ㄹ) describes a project,
-- it does not name one
head_words as (
    select *, regexp_extract(phrase, '(\S+?)\s*(?:사업|프로젝트|센터\s?유치)$', 1) as head_word from phrases
),

named_phrases as (
    select * exclude (head_word) from head_words
    where seen_as = 'budget_program'
       or not (
           regexp_matches(head_word, '{{ project_non_name_ending() }}')
           or (length(head_word) between 2 and 3
               and unicode(right(head_word, 1)) between 44032 and 55203
               and (unicode(right(head_word, 1)) - 44032) % 28 in (4, 8)
               and regexp_full_match(phrase, '.*\s(사업|프로젝트)')))
),

tokens as (
    select p.*, unnest({{ project_name_tokens('p.phrase') }}) as token
    from (select *, row_number() over () as phrase_no from named_phrases) p
),

-- a generic word written fused to the front of a name (국가AI컴퓨팅센터, 공공선도) is cut off it, so the
-- spaced and the fused spellings give the same words
unprefixed as (
    select t.* exclude (token), {{ project_token_unprefixed('t.token') }} as token
    from tokens t
),

not_generic as (
    select *
    from unprefixed t
    where token not in (select word from {{ ref('project_generic_words') }})
      and token not in (select lower(name) from {{ ref('local_governments') }})
      and token not in (select lower(short_name) from {{ ref('local_governments') }} where short_name <> '')
),

keyed as (
    select
        phrase_no,
        any_value(article_key) as article_key,
        any_value(article_id) as article_id,
        any_value(sentence_no) as sentence_no,
        any_value(phrase) as phrase,
        any_value(recipient) as recipient,
        any_value(seen_as) as seen_as,
        array_to_string(list_sort(list_distinct(list(token))), ' ') as name_key
    from not_generic
    group by phrase_no
),

orgs as (
    select u.article_key, u.sentence_no, u.surface, u.org_key, d.org_type, d.sido_code, d.sigungu_code
    from {{ ref('int_org_mentions_unified') }} u
    join {{ ref('dim_organizations') }} d using (org_key)
),

placed_orgs as (
    select * from orgs where org_type = 'local_government' and sido_code is not null
),

-- the sentence's local government: one with a 시군구 first, then by name (deterministic)
sentence_places as (
    select article_key, sentence_no, org_key
    from (
        select article_key, sentence_no, org_key,
               row_number() over (partition by article_key, sentence_no
                                  order by sigungu_code is null, org_key) as rn
        from placed_orgs
    )
    where rn = 1
),

-- the article's local government: the one it names most, then one with a 시군구, then the first named
article_places as (
    select article_key, org_key
    from (
        select article_key, org_key,
               row_number() over (partition by article_key
                                  order by count(*) desc, bool_or(sigungu_code is not null) desc,
                                           min(sentence_no), org_key) as rn
        from placed_orgs
        group by article_key, org_key
    )
    where rn = 1
),

recipients as (
    select distinct surface, org_key from {{ ref('int_org_mentions_unified') }}
)

select
    k.article_id,
    k.article_key,
    k.sentence_no,
    k.phrase,
    k.seen_as,
    k.name_key,
    coalesce(r.org_key, sp.org_key, ap.org_key) as lead_org_key,
    d.sido_code,
    d.sigungu_code
from keyed k
left join recipients r on r.surface = k.recipient
left join sentence_places sp on sp.article_key = k.article_key and sp.sentence_no = k.sentence_no
left join article_places ap on ap.article_key = k.article_key
left join {{ ref('dim_organizations') }} d on d.org_key = coalesce(r.org_key, sp.org_key, ap.org_key)
where k.name_key <> ''
