-- The project in effect at each sentence of an article, for the fact marts to join on the sentence a fact
-- was read from: the project the sentence names (the first, by name_key, when it names two), else the last one
-- named before it (a pronoun phrase -- 이번 사업, 해당 사업 -- or no phrase at all inherits it), else the first
-- one the article names. An article that names no project has no rows: its facts keep project_id NULL.
with named as (
    select article_key, sentence_no, min(project_id) as project_id  -- min: deterministic when a sentence names two
    from {{ ref('int_project_mentions_resolved') }}
    group by article_key, sentence_no
),

sentences as (
    select s.article_key, s.sentence_no, n.project_id
    from {{ ref('stg_raw__sentences') }} s
    left join named n using (article_key, sentence_no)
    where s.article_key in (select article_key from named)
)

select
    article_key,
    sentence_no,
    coalesce(
        last_value(project_id ignore nulls) over (
            partition by article_key order by sentence_no rows between unbounded preceding and current row),
        first_value(project_id ignore nulls) over (
            partition by article_key order by sentence_no rows between unbounded preceding and unbounded following)
    ) as project_id,
    project_id is not null as sentence_names_project
from sentences
