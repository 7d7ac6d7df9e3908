-- WARN: a project whose articles disagree on an amount: for the same funding source, one article states an
-- amount another article does not, and neither states both (국비 160억 here, 150억 there). Amounts one
-- article states together (1차 60억, 2차 100억) are a breakdown, not a disagreement. Both rows stay in
-- fct_project_budgets; this lists them for a reader to check which article is right.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_project_budgets'}}}) }}
with stated_together as (
    select distinct x.project_id, x.funding_source, x.amount_krw, y.amount_krw as other_amount_krw
    from {{ ref('fct_budgets') }} x
    join {{ ref('fct_budgets') }} y
      on y.article_id = x.article_id and y.project_id = x.project_id and y.funding_source = x.funding_source
    where x.project_id is not null
)

select
    a.project_id,
    p.name as project_name,
    a.funding_source,
    a.amount_krw as amount_krw,
    b.amount_krw as other_amount_krw,
    a.article_ids,
    b.article_ids as other_article_ids
from {{ ref('fct_project_budgets') }} a
join {{ ref('fct_project_budgets') }} b
    on b.project_id = a.project_id and b.funding_source = a.funding_source and b.amount_krw > a.amount_krw
join {{ ref('dim_projects') }} p on p.project_id = a.project_id
where a.funding_source <> 'total'
  and len(list_intersect(a.article_ids, b.article_ids)) = 0
  and not exists (
      select 1 from stated_together s
      where s.project_id = a.project_id and s.funding_source = a.funding_source
        and s.amount_krw = a.amount_krw and s.other_amount_krw = b.amount_krw)
