-- fct_events for reading: the date with its precision shown (event_date_label '2025-06 (month)'), the period the
-- date stands for (event_date_from .. event_date_to: a month-only date covers the month, so filter on the overlap,
-- not on event_date alone), the project and its place and lead by name, and the article's title, URL and date.
with places as (
    select sido_code, sigungu_code, name, level from {{ ref('local_governments') }}
)

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
    p.name as project,
    lead.name as project_lead,
    p.sido_code,
    sd.name as sido_name,
    p.sigungu_code,
    sg.name as sigungu_name,
    a.title as article_title,
    a.outlet,
    a.url,
    a.published_at::date as published_date,
    e.evidence,
    e.project_id
from {{ ref('fct_events') }} e
join {{ ref('dim_articles') }} a on a.article_id = e.article_id
left join {{ ref('dim_projects') }} p on p.project_id = e.project_id
left join {{ ref('dim_organizations') }} lead on lead.org_id = p.lead_org_id
left join places sd on sd.level = 'metropolitan' and sd.sido_code = p.sido_code
left join places sg on sg.level <> 'metropolitan' and sg.sigungu_code = p.sigungu_code
