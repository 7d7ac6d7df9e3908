-- One row per dated happening: an event trigger with the date mention nearest to it, the date resolved
-- against the publish date. The same (type, date) said twice in an article is one event.
--   * a future happening is `planned` whatever its verb (contract): a launch, signing, selection or
--     demonstration dated after publication at its precision (a day after the publish day, a month after the
--     publish month, a year after the publish year) — '문을 24일 연다고 23일 밝혔다' is planned. Announcements,
--     applications and laws taking effect keep their type ('다음 달 1일부터 시행된다' is when the law applies);
--   * a start or completion verb in the present (raw type `planned_if_future`: '연말까지 구축한다', '2029년까지
--     짓고') is `planned` when its date is after publication at its precision, else it is no event;
--   * a sentence that plans for a stated year already past at publication is out of step with the publish date
--     (a misdated or republished page): its plans dated by relative words (하반기, 연내, 내년) are dropped;
--   * the same happening told twice, once precisely and once by its period ('23곳이 올해 최종 선정됐다' after
--     '선정됐다고 4일 밝혔다'): a year- or month-precision event is dropped when the article has an event of the same
--     type with a finer date inside that period. Plans are kept (a 2027 target and a March 2027 step are two).
with events as (
    select e.*, ids.article_id, e.sentence_no * 1000 + e.mention_no as mention_order
    from {{ ref('stg_raw__event_mentions') }} e
    join {{ ref('int_articles_deduplicated') }} ids using (article_key)
),

dates as (
    select * from {{ ref('int_date_mentions_resolved') }}
),

resolved as (
    select
        e.*,
        d.resolved_date as event_date,
        coalesce(d.date_precision, 'unknown') as date_precision,
        d.date_text,
        coalesce(d.is_relative, true) as is_relative,
        d.reference_date,
        coalesce(d.resolved_date is not null and d.reference_date is not null
                 and case d.date_precision
                         when 'day' then d.resolved_date > d.reference_date
                         when 'month' then d.resolved_date > date_trunc('month', d.reference_date)::date
                         when 'year' then year(d.resolved_date) > year(d.reference_date)
                         else false
                     end, false) as is_after_publication
    from events e
    left join dates d
        on d.article_key = e.article_key and d.sentence_no = e.sentence_no and d.mention_no = e.date_mention_no
),

-- a sentence that plans for a stated year already past at publication ('2021년 말부터 입주를 개시한다는 목표' in a
-- page dated 2024) is out of step with the publish date: its relative dates (하반기, 연내) cannot be read against it
stale_frame as (
    select distinct article_key, sentence_no
    from resolved
    where event_type in ('planned', 'planned_if_future') and not is_relative
      and year(event_date) < year(reference_date)
),

dated as (
    select
        * exclude (event_type, is_after_publication, is_relative, reference_date),
        case
            when event_type = 'planned_if_future' then 'planned'
            when event_type not in ('planned', 'applied', 'announced', 'took_effect') and is_after_publication
                then 'planned'
            else event_type
        end as event_type
    from resolved
    -- a start verb in the present ('연말까지 구축한다') is a plan only when its date is ahead of the news
    where (event_type <> 'planned_if_future' or is_after_publication)
      and not (is_relative
               and (event_type in ('planned', 'planned_if_future')
                    or (is_after_publication and event_type not in ('applied', 'announced', 'took_effect')))
               and exists (select 1 from stale_frame f
                           where f.article_key = resolved.article_key and f.sentence_no = resolved.sentence_no))
),

grouped as (
    select
        article_id,
        event_type,
        event_date,
        arg_min(date_precision, mention_order) as date_precision,
        arg_min(date_text, mention_order) as date_text,
        arg_min(location, mention_order) filter (where location is not null) as location,
        arg_min(article_key, mention_order) as first_article_key,
        arg_min(sentence_no, mention_order) as first_sentence_no,
        arg_min(trigger, mention_order) as trigger
    from dated
    group by article_id, event_type, event_date
),

-- a coarse event with a finer one of the same type inside its period (see above)
subsumed as (
    select distinct coarse.article_id, coarse.event_type, coarse.event_date
    from grouped coarse
    join grouped fine
        on fine.article_id = coarse.article_id
       and fine.event_type = coarse.event_type
       and fine.event_date is not null
       and fine.event_date <> coarse.event_date
    where coarse.event_type <> 'planned'
      and (
          (coarse.date_precision = 'year' and fine.date_precision in ('month', 'day')
           and year(fine.event_date) = year(coarse.event_date))
          or (coarse.date_precision = 'month' and fine.date_precision = 'day'
              and date_trunc('month', fine.event_date) = coarse.event_date)
      )
)

select
    md5(g.article_id || '|' || g.event_type || '|' || coalesce(g.event_date::varchar, 'undated')) as event_id,
    g.article_id,
    g.event_type,
    g.event_date::date as event_date,
    g.date_precision,
    g.date_text,
    g.location,
    s.sentence_text as evidence,
    g.trigger,
    fp.project_id  -- the project in effect at the fact's sentence (int_fact_projects), NULL if none
from grouped g
left join {{ ref('stg_raw__sentences') }} s
    on s.article_key = g.first_article_key and s.sentence_no = g.first_sentence_no
left join {{ ref('int_fact_projects') }} fp
    on fp.article_key = g.first_article_key and fp.sentence_no = g.first_sentence_no
where not exists (
    select 1 from subsumed x
    where x.article_id = g.article_id and x.event_type = g.event_type and x.event_date = g.event_date
)
