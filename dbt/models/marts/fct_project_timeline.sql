-- A project's story in date order: each distinct event (fct_project_events) at its date with the article that
-- first reported it, and for each funding source its budget as first announced and as last reported (at the
-- publish date of those articles; the two are one row when the amount never changed).
with events as (
    select
        project_id,
        event_date as happened_on,
        date_precision,
        'event' as entry_type,
        event_type,
        null::varchar as funding_source,
        null::hugeint as amount_krw,
        first_article_id as article_id,
        first_reported_at as reported_at,
        n_articles
    from {{ ref('fct_project_events') }}
),

budget_reports as (
    select b.project_id, b.funding_source, b.amount_krw, unnest(b.article_ids) as article_id
    from {{ ref('fct_project_budgets') }} b
),

dated_reports as (
    select r.*, a.published_at from budget_reports r left join {{ ref('dim_articles') }} a using (article_id)
),

budget_ends as (
    select
        project_id,
        funding_source,
        -- an article that states two amounts of one source (a breakdown: 1차 60억, 2차 100억) ties on (date,
        -- article): the amount breaks the tie, so a rebuild picks the same one (the smaller first, the larger last)
        arg_min(amount_krw, (coalesce(published_at, '9999-12-31'::timestamptz), article_id, amount_krw)) as first_amount,
        arg_min(article_id, (coalesce(published_at, '9999-12-31'::timestamptz), article_id)) as first_article_id,
        min(published_at) as first_at,
        arg_max(amount_krw, (coalesce(published_at, '0001-01-01'::timestamptz), article_id, amount_krw)) as last_amount,
        arg_max(article_id, (coalesce(published_at, '0001-01-01'::timestamptz), article_id)) as last_article_id,
        max(published_at) as last_at,
        count(distinct article_id) as n_articles
    from dated_reports
    group by project_id, funding_source
),

budgets as (
    select project_id, first_at::date, 'day', 'budget_first_announced', null, funding_source, first_amount,
           first_article_id, first_at, n_articles
    from budget_ends
    union all
    select project_id, last_at::date, 'day', 'budget_last_reported', null, funding_source, last_amount,
           last_article_id, last_at, n_articles
    from budget_ends
    where last_article_id <> first_article_id
)

select
    t.project_id,
    p.name as project_name,
    row_number() over (partition by t.project_id order by t.happened_on nulls last, t.reported_at, t.entry_type,
                                                  t.event_type, t.funding_source, t.article_id)
        as step_no,
    t.happened_on,
    t.date_precision,
    t.entry_type,
    t.event_type,
    t.funding_source,
    t.amount_krw,
    t.article_id,
    t.reported_at,
    t.n_articles
from (select * from events union all select * from budgets) t
join {{ ref('dim_projects') }} p using (project_id)
