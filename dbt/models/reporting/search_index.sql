{{ config(materialized='table', post_hook="{{ create_search_facts_macro() }}") }}
-- One row per searchable document: each article (title + body), budget, event and partnership (its evidence
-- sentence with the names around it) and organisation (name + aliases). search_text / search_title are the
-- normal form (macro search_normal_form) that reporting.search_facts(q, ...) matches query terms against.
-- place_codes: the 시도 and 시군구 codes the document is placed in (an article: every organisation it names; a
-- fact: its project's place, else its recipient's / members', else its article's); year: the article's publish year (an event: the
-- year of its date when known).
with articles as (
    select * from {{ ref('dim_articles') }}
),

org_places as (
    select org_id, list_filter([sido_code, sigungu_code], lambda c: c is not null) as codes
    from {{ ref('dim_organizations') }}
),

article_places as (
    select d.article_id, list_distinct(flatten(list(op.codes))) as codes
    from {{ ref('int_org_mentions_unified') }} m
    join {{ ref('int_articles_deduplicated') }} d on d.article_key = m.article_key
    join org_places op on op.org_id = md5(m.org_key)
    group by d.article_id
),

project_places as (
    select project_id, list_filter([sido_code, sigungu_code], lambda c: c is not null) as codes
    from {{ ref('dim_projects') }}
),

docs as (
    select
        'article' as kind,
        a.article_id as doc_id,
        a.article_id,
        a.title,
        a.body as text,
        coalesce(ap.codes, []) as place_codes,
        year(a.published_at)::integer as year,
        a.published_at::date as published_date,
        a.url
    from articles a
    left join article_places ap on ap.article_id = a.article_id

    union all

    select
        'budget', b.budget_id, b.article_id,
        b.article_title,
        concat_ws(' ', b.evidence, b.program, b.project, b.recipient, b.funding_source_text,
                  b.amount_eok::varchar || '억 원'),
        list_filter([b.sido_code, b.sigungu_code], lambda c: c is not null),
        year(b.published_date)::integer,
        b.published_date, b.url
    from {{ ref('budgets') }} b

    union all

    select
        'event', e.event_id, e.article_id,
        e.article_title,
        concat_ws(' ', e.evidence, e.project, e.location, e.date_text),
        list_filter([e.sido_code, e.sigungu_code], lambda c: c is not null),
        coalesce(year(e.event_date), year(e.published_date))::integer,
        e.published_date, e.url
    from {{ ref('events') }} e

    union all

    select
        'partnership', p.partnership_id, p.article_id,
        p.article_title,
        concat_ws(' ', p.partnership_name, p.members, p.evidence, p.project),
        list_distinct(flatten(list(coalesce(op.codes, [])))) || any_value(coalesce(pp.codes, [])),
        year(any_value(p.published_date))::integer,
        any_value(p.published_date), any_value(p.url)
    from {{ ref('partnerships') }} p
    join {{ ref('partnership_members') }} m using (partnership_id)
    left join org_places op on op.org_id = m.org_id
    left join project_places pp on pp.project_id = p.project_id
    group by p.partnership_id, p.article_id, p.article_title, p.partnership_name, p.members, p.evidence, p.project

    union all

    select
        'organisation', o.org_id, null,
        o.name,
        concat_ws(' ', o.name, array_to_string(o.aliases, ' ')),
        op.codes,
        null, null, null
    from {{ ref('dim_organizations') }} o
    join org_places op using (org_id)
)

select
    d.kind,
    d.doc_id,
    d.article_id,
    d.title,
    d.text,
    -- a fact with no place of its own is placed where its article is
    list_sort(list_distinct(case when len(d.place_codes) > 0 or d.kind in ('article', 'organisation')
                                 then d.place_codes else coalesce(ap.codes, []) end)) as place_codes,
    d.year,
    d.published_date,
    d.url,
    {{ search_normal_form('d.title') }} as search_title,
    {{ search_normal_form("coalesce(d.title, '') || ' ' || coalesce(d.text, '')") }} as search_text
from docs d
left join article_places ap on ap.article_id = d.article_id
