{{ config(meta={'dagster': {'ref': {'name': 'fct_project_budgets'}}}) }}
-- Every project-level fact links to at least one article, and n_articles equals the number of distinct
-- articles among its evidence rows in the article-level table. (The evidence is counted by grouped joins, one
-- pass per table, not by a lookup per project fact: the same counts, 0 for a fact with no evidence row.)
with budget_evidence as (
    select project_id, funding_source, amount_krw, count(distinct article_id) as n
    from {{ ref('fct_budgets') }}
    where not is_derived
    group by project_id, funding_source, amount_krw
),

budgets as (
    select 'budget' as kind, pb.project_budget_id as fact_id, pb.n_articles,
           coalesce(ev.n, 0) as evidence_articles,
           len(pb.article_ids) as listed
    from {{ ref('fct_project_budgets') }} pb
    left join budget_evidence ev
      on ev.project_id = pb.project_id and ev.funding_source = pb.funding_source and ev.amount_krw = pb.amount_krw
),

event_evidence as (
    select pe.project_event_id, count(distinct e.article_id) as n
    from (select project_event_id, unnest(event_ids) as event_id from {{ ref('fct_project_events') }}) pe
    join {{ ref('fct_events') }} e on e.event_id = pe.event_id
    group by pe.project_event_id
),

events as (
    select 'event', pe.project_event_id, pe.n_articles, coalesce(ev.n, 0), len(pe.article_ids)
    from {{ ref('fct_project_events') }} pe
    left join event_evidence ev using (project_event_id)
),

partnership_evidence as (
    select project_id, partnership_type, org_id, count(distinct article_id) as n
    from {{ ref('fct_partnerships') }}
    group by project_id, partnership_type, org_id
),

partnerships as (
    select 'partnership', pp.project_partnership_id, pp.n_articles, coalesce(ev.n, 0), len(pp.article_ids)
    from {{ ref('fct_project_partnerships') }} pp
    left join partnership_evidence ev
      on ev.project_id = pp.project_id and ev.partnership_type = pp.partnership_type and ev.org_id = pp.org_id
)

select * from (select * from budgets union all select * from events union all select * from partnerships)
where n_articles < 1 or n_articles <> evidence_articles or n_articles <> listed
