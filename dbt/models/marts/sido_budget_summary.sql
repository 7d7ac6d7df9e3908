-- Money per 시도 and funding source, from the projects' place (dim_projects.sido_code): counted once per project
-- fact (fct_project_budgets, leaving out the amount fewer articles state when articles disagree) next to the naive
-- sum of every article's statement (fct_budgets), which counts a reprinted press release once per outlet.
-- Budgets of no project, or of a project with no known place, are under sido_code NULL.
with sidos as (
    select sido_code, name as sido_name from {{ ref('local_governments') }} where level = 'metropolitan'
),

once as (
    select p.sido_code, b.funding_source, sum(b.amount_krw) as amount_krw_once,
           count(distinct b.project_id) as n_projects
    from {{ ref('fct_project_budgets') }} b
    join {{ ref('dim_projects') }} p using (project_id)
    where not b.is_outvoted
    group by all
),

per_article as (
    select p.sido_code, b.funding_source, sum(b.amount_krw) as amount_krw_per_article,
           count(distinct b.article_id) as n_articles
    from {{ ref('fct_budgets') }} b
    left join {{ ref('dim_projects') }} p using (project_id)
    where not b.is_derived
    group by all
)

select
    a.sido_code,
    s.sido_name,
    a.funding_source,
    o.amount_krw_once::hugeint as amount_krw_once,
    a.amount_krw_per_article::hugeint as amount_krw_per_article,
    coalesce(o.n_projects, 0)::integer as n_projects,
    a.n_articles::integer as n_articles
from per_article a
left join once o on o.sido_code is not distinct from a.sido_code and o.funding_source = a.funding_source
left join sidos s on s.sido_code = a.sido_code
