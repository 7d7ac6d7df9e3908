-- One row per public project or programme, across articles and outlets (int_project_mentions_resolved: a
-- programme's name_key in a place). The name is the phrase its articles use most (the longer on a tie).
with mentions as (
    select * from {{ ref('int_project_mentions_resolved') }}
),

articles as (
    select article_id, published_at from {{ ref('dim_articles') }}
)

select
    m.project_id,
    arg_max({{ project_display_name('m.phrase') }}, ((m.seen_as = 'budget_program')::int, count_phrase, length(m.phrase), m.phrase)) as name,
    min(m.name_key) as name_key,
    md5(arg_max(m.lead_org_key, (count_lead, m.lead_org_key)) filter (where m.lead_org_key is not null)) as lead_org_id,
    min(m.project_sido_code) as sido_code,
    min(m.project_sigungu_code) as sigungu_code,
    count(distinct m.article_id)::integer as n_articles,
    min(a.published_at) as first_reported_at,
    arg_min(m.article_id, (coalesce(a.published_at, '9999-12-31'::timestamptz), m.article_id)) as first_article_id,
    list(distinct m.phrase order by m.phrase) as name_variants
from (
    select *, count(*) over (partition by project_id, phrase) as count_phrase,
           count(*) over (partition by project_id, lead_org_key) as count_lead
    from mentions
) m
left join articles a using (article_id)
group by m.project_id
