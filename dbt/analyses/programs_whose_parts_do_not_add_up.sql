-- Budget lists whose stated total differs from the sum of its parts (국비 + 도비 + 시비 ≠ 총사업비).
select
    a.title,
    a.url,
    l.program,
    l.stated_total_krw,
    l.parts_sum_krw,
    l.stated_total_krw - l.parts_sum_krw as difference_krw
from {{ ref('int_budget_lists_checked') }} l
join {{ ref('dim_articles') }} a using (article_id)
where l.is_total_mismatch
order by abs(l.stated_total_krw - l.parts_sum_krw) desc
