-- Money per 시도 and funding source. A budget's place is its project's (dim_projects.sido_code), else its
-- recipient's (dim_organizations.sido_code: a local government, or a body whose place is known).
-- amount_krw_once counts each fact once: a project's facts once (fct_project_budgets, leaving out the amount fewer
-- articles state when articles disagree); a budget of no placed project once per (recipient, funding source,
-- amount). amount_krw_per_article is the naive sum of every article's statement (fct_budgets), which counts a
-- reprinted press release once per outlet. Budgets with neither a placed project nor a placed recipient are under
-- sido_code NULL.
with sidos as (
    select sido_code, name as sido_name from {{ ref('local_governments') }} where level = 'metropolitan'
),

placed as (
    select b.budget_id, b.article_id, b.project_id, b.recipient_org_id, b.funding_source, b.amount_krw,
           p.sido_code is not null as placed_by_project,
           coalesce(p.sido_code, o.sido_code) as sido_code
    from {{ ref('fct_budgets') }} b
    left join {{ ref('dim_projects') }} p using (project_id)
    left join {{ ref('dim_organizations') }} o on o.org_id = b.recipient_org_id
    where not b.is_derived
),

project_facts as (
    select p.sido_code, b.funding_source, b.amount_krw, b.project_id
    from {{ ref('fct_project_budgets') }} b
    join {{ ref('dim_projects') }} p using (project_id)
    where not b.is_outvoted and p.sido_code is not null
),

-- the same recipient, source and amount stated by several articles is one fact (no project to fold it by)
recipient_facts as (
    select distinct sido_code, funding_source, recipient_org_id, amount_krw
    from placed
    where not placed_by_project and recipient_org_id is not null
),

once as (
    select sido_code, funding_source, sum(amount_krw) as amount_krw_once, count(distinct project_id) as n_projects
    from (
        select sido_code, funding_source, amount_krw, project_id from project_facts
        union all
        select sido_code, funding_source, amount_krw, null from recipient_facts
    )
    group by all
),

per_article as (
    select sido_code, funding_source, sum(amount_krw) as amount_krw_per_article,
           count(distinct article_id) as n_articles
    from placed
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
