{{ config(meta={'dagster': {'ref': {'name': 'fct_project_budgets'}}}) }}
-- Every project-level fact links to at least one article, and n_articles equals the number of distinct
-- articles among its evidence rows in the article-level table.
with budgets as (
    select 'budget' as kind, pb.project_budget_id as fact_id, pb.n_articles,
           (select count(distinct b.article_id) from {{ ref('fct_budgets') }} b
            where b.project_id = pb.project_id and b.funding_source = pb.funding_source
              and b.amount_krw = pb.amount_krw and not b.is_derived) as evidence_articles,
           len(pb.article_ids) as listed
    from {{ ref('fct_project_budgets') }} pb
),

events as (
    select 'event', pe.project_event_id, pe.n_articles,
           (select count(distinct e.article_id) from {{ ref('fct_events') }} e
            where list_contains(pe.event_ids, e.event_id)),
           len(pe.article_ids)
    from {{ ref('fct_project_events') }} pe
),

partnerships as (
    select 'partnership', pp.project_partnership_id, pp.n_articles,
           (select count(distinct m.article_id) from {{ ref('fct_partnerships') }} m
            where m.project_id = pp.project_id and m.partnership_type = pp.partnership_type and m.org_id = pp.org_id),
           len(pp.article_ids)
    from {{ ref('fct_project_partnerships') }} pp
)

select * from (select * from budgets union all select * from events union all select * from partnerships)
where n_articles < 1 or n_articles <> evidence_articles or n_articles <> listed
