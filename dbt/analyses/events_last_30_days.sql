-- What was signed, selected, launched … in the 30 days before the newest article.
with horizon as (
    select (max(published_at) at time zone 'Asia/Seoul')::date as newest from {{ ref('dim_articles') }}
)
select e.event_date, e.event_type, e.date_precision, e.location, a.title, a.url
from {{ ref('fct_events') }} e
join {{ ref('dim_articles') }} a using (article_id)
cross join horizon h
where e.event_date between h.newest - interval 30 day and h.newest
order by e.event_date desc, e.event_type
