{{ config(meta={'dagster': {'ref': {'name': 'int_project_mentions'}}}) }}
-- The name folding (macro project_name_tokens, seed project_generic_words, int_project_mentions' prefix cut and
-- the space-free project key) on this project's own phrasings, three or more per case: each group must give one
-- key, and the pronoun / generic phrases none. Returns the groups that do not.
with phrasings(grp, phrase) as (
    values
        ('거점형', '거점형 스마트시티'), ('거점형', '거점형 스마트도시 조성사업'), ('거점형', '스마트시티 거점형 사업'),
        ('거점형', '스마트 도시 거점형 구축사업'),
        ('컴퓨팅', '국가AI컴퓨팅센터 유치'), ('컴퓨팅', '국가 AI컴퓨팅센터 조성사업'), ('컴퓨팅', 'AI컴퓨팅센터 구축 프로젝트'),
        ('스마트팜', '임대형 스마트팜 조성사업'), ('스마트팜', '스마트팜 임대형 사업'), ('스마트팜', '임대형 스마트팜 시범사업'),
        ('none', '이번 사업'), ('none', '해당 사업'), ('none', '공모사업'), ('none', '올해 국비 지원사업')
),

tokens as (
    select grp, phrase, unnest({{ project_name_tokens('phrase') }}) as token from phrasings
),

unprefixed as (
    select grp, phrase, {{ project_token_unprefixed('t.token') }} as token
    from tokens t
),

keys as (
    select p.grp, p.phrase,
        coalesce(replace(array_to_string(list_sort(list_distinct(list(u.token) filter (
            where u.token not in (select word from {{ ref('project_generic_words') }})))), ''), ' ', ''), '') as name_key
    from phrasings p left join unprefixed u using (grp, phrase)
    group by p.grp, p.phrase
)

select grp, list(distinct name_key) as keys
from keys
group by grp
having (grp = 'none' and max(name_key) <> '') or (grp <> 'none' and (count(distinct name_key) <> 1 or max(name_key) = ''))
