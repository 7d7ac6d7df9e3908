-- fct_events for reading: the date with its precision shown (event_date_label '2025-06 (month)'), the period the
-- date stands for (event_date_from .. event_date_to: a month-only date covers the month, so filter on the overlap,
-- not on event_date alone), the project and its place and lead by name, and the article's title, URL and date
-- (those from int_fact_context, joined once for the three fact views).
select
    e.event_id,
    e.article_id,
    e.event_type,
    {{ date_label('e.event_date', 'e.date_precision') }} as event_date_label,
    e.event_date,
    e.date_precision,
    e.event_date as event_date_from,
    {{ date_period_end('e.event_date', 'e.date_precision') }} as event_date_to,
    e.date_text,
    e.location,
    e.trigger,
    c.project,
    c.project_lead,
    c.project_sido_code as sido_code,
    c.project_sido_name as sido_name,
    c.project_sigungu_code as sigungu_code,
    c.project_sigungu_name as sigungu_name,
    c.article_title,
    c.outlet,
    c.url,
    c.published_date,
    e.evidence,
    e.project_id
from {{ ref('fct_events') }} e
join {{ ref('int_fact_context') }} c on c.article_id = e.article_id and c.project_id is not distinct from e.project_id
