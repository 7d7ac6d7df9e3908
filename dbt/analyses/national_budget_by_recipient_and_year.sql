-- Which cities (and other recipients) got how much 국비, by year?
-- Year: the first year the money covers, else the article's publish year.
select
    o.name as recipient,
    o.org_type,
    coalesce(b.period_start_year, year(a.published_at)) as year,
    sum(b.amount_krw) as national_krw,
    count(*) as budget_rows,
    list(distinct b.program) filter (where b.program is not null) as programs
from {{ ref('fct_budgets') }} b
join {{ ref('dim_articles') }} a using (article_id)
left join {{ ref('dim_organizations') }} o on o.org_id = b.recipient_org_id
where b.funding_source = 'national'
  and not b.is_derived
group by all
order by year desc nulls last, national_krw desc
