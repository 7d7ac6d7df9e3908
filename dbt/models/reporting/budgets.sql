-- fct_budgets for reading: names instead of ids (recipient, project, place), the amount in 억 원 next to whole
-- won, and the article's title, URL and date. `is_total` marks an amount that states the sum of others (funding
-- source 'total': 총, 총사업비, 규모, or the closing amount of an enumeration): sum the parts
-- (`where not is_total`) or read the totals, never both together. The article and project come from
-- int_fact_context (joined once for the three fact views); the place is the project's, else the recipient's.
with places as (
    select sido_code, sigungu_code, name, level from {{ ref('local_governments') }}
)

select
    b.budget_id,
    b.article_id,
    o.name as recipient,
    o.org_type as recipient_type,
    b.program,
    c.project,
    b.funding_source,
    b.cue as funding_source_text,
    b.amount_krw,
    {{ krw_to_eok('b.amount_krw') }} as amount_eok,
    (b.funding_source = 'total' or coalesce(b.is_list_total, false)) as is_total,
    b.is_derived,
    b.share_pct,
    b.period_start_year,
    b.period_end_year,
    coalesce(c.project_sido_code, o.sido_code) as sido_code,
    sd.name as sido_name,
    coalesce(c.project_sigungu_code, o.sigungu_code) as sigungu_code,
    sg.name as sigungu_name,
    c.article_title,
    c.outlet,
    c.url,
    c.published_date,
    b.evidence,
    b.recipient_org_id,
    b.project_id
from {{ ref('fct_budgets') }} b
join {{ ref('int_fact_context') }} c on c.article_id = b.article_id and c.project_id is not distinct from b.project_id
left join {{ ref('dim_organizations') }} o on o.org_id = b.recipient_org_id
left join places sd on sd.level = 'metropolitan' and sd.sido_code = coalesce(c.project_sido_code, o.sido_code)
left join places sg on sg.level <> 'metropolitan' and sg.sigungu_code = coalesce(c.project_sigungu_code, o.sigungu_code)
