-- One row per distinct event of a project: the same event_type with a compatible date is one event, however many
-- articles report it. Compatible: the same day; or a date known only to the month (or year) and a day inside
-- that month (or year) -- the finer date wins; two different days are two events. Undated events of one type
-- are one row.
with events as (
    select e.*, a.published_at
    from {{ ref('fct_events') }} e
    left join {{ ref('dim_articles') }} a using (article_id)
    where e.project_id is not null
),

days as (
    select distinct project_id, event_type, event_date, date_precision from events
    where event_date is not null
),

-- for each date known only to the month (or year): the one finer date of the same project and type inside that
-- month (or year), when there is exactly one (a month-only date looks for days; a year-only date for days and
-- months); one join over the distinct dates instead of a lookup per event
finer as (
    select c.project_id, c.event_type, c.event_date, c.date_precision, any_value(d.event_date) as finer_date
    from days c
    join days d
      on d.project_id = c.project_id and d.event_type = c.event_type
     and d.date_precision in ('day', 'month') and d.event_date <> c.event_date
     and (case c.date_precision when 'month' then d.date_precision = 'day' else true end)
     and date_trunc(case c.date_precision when 'month' then 'month' else 'year' end, d.event_date)
         = date_trunc(case c.date_precision when 'month' then 'month' else 'year' end, c.event_date)
    where c.date_precision <> 'day'
    group by c.project_id, c.event_type, c.event_date, c.date_precision
    having count(distinct d.event_date) = 1
),

canonical as (
    select
        e.*,
        case
            when e.event_date is null then null
            when e.date_precision = 'day' then e.event_date
            else coalesce(f.finer_date, e.event_date)
        end as fact_date
    from events e
    left join finer f
      on f.project_id = e.project_id and f.event_type = e.event_type and f.event_date = e.event_date
     and f.date_precision = e.date_precision
)

select
    md5(project_id || '|' || event_type || '|' || coalesce(fact_date::varchar, 'undated')) as project_event_id,
    project_id,
    event_type,
    fact_date as event_date,
    case
        when bool_or(date_precision = 'day') then 'day'
        when bool_or(date_precision = 'month') then 'month'
        when bool_or(date_precision = 'year') then 'year'
        else 'unknown'
    end as date_precision,
    count(distinct article_id)::integer as n_articles,
    arg_min(article_id, (coalesce(published_at, '9999-12-31'::timestamptz), article_id)) as first_article_id,
    min(published_at) as first_reported_at,
    list(distinct article_id order by article_id) as article_ids,
    list(event_id order by event_id) as event_ids,
    arg_min(evidence, (coalesce(published_at, '9999-12-31'::timestamptz), article_id)) as evidence
from canonical
group by project_id, event_type, fact_date
