-- Date words → calendar dates, against the article's publish date (Asia/Seoul).
-- Rules (docs/extraction-rules.md, "Dates"):
--   * 'publication' day_ref ('이날' with nothing earlier to point at) → the publish date; 'previous_day'
--     ('전날' with no day of its own to count from) → the day before it;
--   * an article without a publish date is read against the latest full date (year, month and day) its own
--     text states that is not future ('2025년 3월 19일 … 밝혔다'): its dateline stands in for publication;
--   * an explicit year wins; else year_offset (지난해 -1, 올해 0, 내년 +1) from the publish year;
--   * month_offset (지난달 -1, 다음 달 +1) from the publish month;
--   * a month/day without a year: direction 'past' (지난, past-tense verb) → the most recent such date not
--     after publication; 'future' (오는, planned verbs) → the next one not before it; no direction (Korean
--     present tense often means scheduled: '3월 5일 시행된다') → the one nearest to publication;
--     a day without a month likewise, by month;
--   * a period (month-only, year-only) is its first day; precision says which;
--   * no publish date and no explicit year → NULL, precision 'unknown'.
with mentions as (
    -- a date the extractor found implausible (reject_reason) dates nothing
    select * from {{ ref('stg_raw__date_mentions') }} where reject_reason is null
),

-- the latest full, not-future date an article states: the reference when it has no publish date
stated_dateline as (
    select article_key, max(try(make_date(stated_year, stated_month, stated_day))) as dateline
    from mentions
    where stated_year is not null and stated_month is not null and stated_day is not null
      and coalesce(direction, '') <> 'future'
    group by article_key
),

articles as (
    select a.article_key, coalesce(a.published_date, s.dateline) as published_date
    from {{ ref('int_articles_deduplicated') }} a
    left join stated_dateline s using (article_key)
),

joined as (
    select
        m.*,
        a.published_date as pub,
        m.direction = 'future' as is_future,
        m.direction = 'past' as is_past,
        case
            when m.stated_year is not null then m.stated_year
            when m.year_offset is not null and a.published_date is not null
                then year(a.published_date) + m.year_offset
        end as abs_year
    from mentions m
    left join articles a using (article_key)
),

candidates as (
    select
        *,
        -- month (and maybe day) known, year implied by publication
        case when abs_year is null and stated_month is not null and pub is not null
            then try(make_date(year(pub), stated_month, coalesce(stated_day, 1))) end as same_year_candidate,
        -- only a day known
        case when abs_year is null and stated_month is null and month_offset is null
                  and stated_day is not null and pub is not null
            then try(make_date(year(pub), month(pub), stated_day)) end as same_month_candidate
    from joined
),

resolved as (
    select
        *,
        case
            when day_ref = 'publication' then pub
            when day_ref = 'previous_day' then (pub - interval 1 day)::date
            when abs_year is not null
                then try(make_date(abs_year::integer, coalesce(stated_month, 1), coalesce(stated_day, 1)))
            when month_offset is not null and pub is not null
                then try(make_date(
                        year(date_trunc('month', pub) + to_months(month_offset)),
                        month(date_trunc('month', pub) + to_months(month_offset)),
                        coalesce(stated_day, 1)))
            when same_year_candidate is not null then
                case
                    when is_future and same_year_candidate < (case when stated_day is null then date_trunc('month', pub)::date else pub end)
                        then (same_year_candidate + interval 1 year)::date
                    when is_past and same_year_candidate > pub
                        then (same_year_candidate - interval 1 year)::date
                    when is_future or is_past then same_year_candidate
                    else {{ nearest_date('pub', 'same_year_candidate', 'year') }}
                end
            when same_month_candidate is not null then
                case
                    when is_future and same_month_candidate < pub then (same_month_candidate + interval 1 month)::date
                    when is_past and same_month_candidate > pub then (same_month_candidate - interval 1 month)::date
                    when is_future or is_past then same_month_candidate
                    else {{ nearest_date('pub', 'same_month_candidate', 'month') }}
                end
        end as resolved_date
    from candidates
)

select
    article_key,
    sentence_no,
    mention_no,
    date_text,
    resolved_date::date as resolved_date,
    pub as reference_date,
    stated_year is null as is_relative,
    case
        when resolved_date is null then 'unknown'
        when day_ref in ('publication', 'previous_day') or stated_day is not null then 'day'
        when stated_month is not null or month_offset is not null then 'month'
        else 'year'
    end as date_precision
from resolved
