-- One row per member of a partnership. A partnership is identified within its article by its type and
-- name (an unnamed consortium mentioned in two sentences is one consortium); a member listed twice keeps
-- its strongest role (co_chair, auditor > lead > supporter > member).
with members as (
    select
        p.*,
        ids.article_id,
        p.sentence_no * 1000 + p.mention_no as mention_order,
        case p.role when 'co_chair' then 5 when 'auditor' then 4 when 'lead' then 3 when 'supporter' then 2 else 1 end
            as role_rank
    from {{ ref('stg_raw__partnership_mentions') }} p
    join {{ ref('int_articles_deduplicated') }} ids using (article_key)
),

orgs as (
    select distinct surface, org_key from {{ ref('int_org_mentions_unified') }}
),

keyed as (
    select
        m.*,
        o.org_key,
        md5(m.article_id || '|' || m.partnership_type || '|' || coalesce(m.partnership_name, '')) as partnership_id
    from members m
    join orgs o on o.surface = m.member
),

grouped as (
    select
        partnership_id,
        org_key,
        any_value(article_id) as article_id,
        any_value(partnership_type) as partnership_type,
        any_value(partnership_name) as partnership_name,
        arg_max(role, role_rank * 100000 - mention_order) as role,
        arg_min(article_key, mention_order) as first_article_key,
        arg_min(sentence_no, mention_order) as first_sentence_no
    from keyed
    group by partnership_id, org_key
)

select
    g.partnership_id,
    g.article_id,
    g.partnership_type,
    g.partnership_name,
    md5(g.org_key) as org_id,
    g.role,
    s.sentence_text as evidence,
    fp.project_id  -- the project in effect at the fact's sentence (int_fact_projects), NULL if none
from grouped g
left join {{ ref('stg_raw__sentences') }} s
    on s.article_key = g.first_article_key and s.sentence_no = g.first_sentence_no
left join {{ ref('int_fact_projects') }} fp
    on fp.article_key = g.first_article_key and fp.sentence_no = g.first_sentence_no
