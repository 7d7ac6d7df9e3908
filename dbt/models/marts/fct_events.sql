-- One row per dated happening: an event trigger with the date mention nearest to it, the date resolved
-- against the publish date. The same (type, date) said twice in an article is one event.
with events as (
    select e.*, ids.article_id, e.sentence_no * 1000 + e.mention_no as mention_order
    from {{ ref('stg_raw__event_mentions') }} e
    join {{ ref('int_articles_deduplicated') }} ids using (article_key)
),

dates as (
    select * from {{ ref('int_date_mentions_resolved') }}
),

dated as (
    select
        e.*,
        d.resolved_date as event_date,
        coalesce(d.date_precision, 'unknown') as date_precision,
        d.date_text
    from events e
    left join dates d
        on d.article_key = e.article_key and d.sentence_no = e.sentence_no and d.mention_no = e.date_mention_no
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
