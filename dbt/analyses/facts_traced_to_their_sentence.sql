-- Every fact with the sentence it was read from and the article URL: the audit trail.
select 'budget' as fact, a.url, a.title, b.funding_source || ' ' || b.amount_krw::varchar as what, b.evidence
from {{ ref('fct_budgets') }} b join {{ ref('dim_articles') }} a using (article_id)
union all
select 'event', a.url, a.title, e.event_type || ' ' || coalesce(e.event_date::varchar, '(undated)'), e.evidence
from {{ ref('fct_events') }} e join {{ ref('dim_articles') }} a using (article_id)
union all
select 'partnership', a.url, a.title, p.partnership_type || ': ' || o.name || ' (' || p.role || ')', p.evidence
from {{ ref('fct_partnerships') }} p
join {{ ref('dim_articles') }} a using (article_id)
join {{ ref('dim_organizations') }} o using (org_id)
order by url, fact
