-- Each enumerated budget list (국비 160억, 도비 16억, 시비 144억 등 325억) with the sum of its parts
-- next to its stated total. A difference is a data-quality warning, not a reason to drop anything.
with mentions as (
    select * from {{ ref('int_budget_mentions_classified') }}
    where list_no is not null and not is_derived
)

select
    article_id,
    list_no,
    max(case when is_list_total then amount_krw end) as stated_total_krw,
    sum(case when not is_list_total then amount_krw end) as parts_sum_krw,
    count(*) filter (where not is_list_total) as part_count,
    coalesce(max(case when is_list_total then amount_krw end) <> sum(case when not is_list_total then amount_krw end),
             false) as is_total_mismatch,
    any_value(program) filter (where program is not null) as program
from mentions
group by article_id, list_no
having count(*) filter (where is_list_total) = 1 and count(*) filter (where not is_list_total) >= 2
