{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_events'}}}) }}
-- Events dated implausibly far from their article's publish date (more than 20 years before or 15 years
-- after) are a resolution bug, not news. Content plausibility: a warning, never a blocked night (the extractor
-- already drops implausible years, extract/plausibility.py; this flags what slipped past it).
select e.event_id, e.event_date, a.published_at
from {{ ref('fct_events') }} e
join {{ ref('dim_articles') }} a using (article_id)
where e.event_date is not null
  and a.published_at is not null
  and (e.event_date < (a.published_at - interval 20 year)::date
       or e.event_date > (a.published_at + interval 15 year)::date)
