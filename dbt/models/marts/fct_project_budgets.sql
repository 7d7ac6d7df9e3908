-- One row per distinct budget fact of a project: the same project, funding source and amount stated by several
-- articles (outlets reprinting one press release, follow-up stories) is one row. Two articles that disagree
-- (국비 160억 here, 150억 there) keep both rows; the WARN test project_budgets_agree lists them, and is_outvoted
-- marks the amount fewer articles state (for sums that should count the project's money once).
-- Derived amounts (is_derived) are not facts an article states and are left out.
with budgets as (
    select b.*, a.published_at
    from {{ ref('fct_budgets') }} b
    left join {{ ref('dim_articles') }} a using (article_id)
    where b.project_id is not null and not b.is_derived
),

facts as (
select
    md5(project_id || '|' || funding_source || '|' || amount_krw::varchar) as project_budget_id,
    project_id,
    funding_source,
    amount_krw,
    count(distinct article_id)::integer as n_articles,
    arg_min(article_id, (coalesce(published_at, '9999-12-31'::timestamptz), article_id)) as first_article_id,
    min(published_at) as first_reported_at,
    max(published_at) as last_reported_at,
    list(distinct article_id order by article_id) as article_ids,
    list(budget_id order by budget_id) as budget_ids,
    arg_min(program, (coalesce(published_at, '9999-12-31'::timestamptz), article_id)) as program,
    arg_min(evidence, (coalesce(published_at, '9999-12-31'::timestamptz), article_id)) as evidence
from budgets
group by project_id, funding_source, amount_krw
),

-- the pairs of amounts (of one project and source) some article states together: a breakdown, not rivals
stated_together as (
    select distinct x.project_id, x.funding_source, x.amount_krw, y.amount_krw as other_amount_krw
    from budgets x
    join budgets y on y.article_id = x.article_id and y.project_id = x.project_id and y.funding_source = x.funding_source
),

-- the other amounts of the same project and source that no article states together with this one
rivals as (
    select a.project_budget_id, max(b.n_articles) as rival_articles
    from facts a
    join facts b
        on b.project_id = a.project_id and b.funding_source = a.funding_source and b.amount_krw <> a.amount_krw
    where len(list_intersect(a.article_ids, b.article_ids)) = 0
      and not exists (
          select 1 from stated_together s
          where s.project_id = a.project_id and s.funding_source = a.funding_source
            and s.amount_krw = a.amount_krw and s.other_amount_krw = b.amount_krw)
    group by a.project_budget_id
)

select
    f.*,
    coalesce(r.rival_articles > f.n_articles, false) as is_outvoted
from facts f
left join rivals r using (project_budget_id)
