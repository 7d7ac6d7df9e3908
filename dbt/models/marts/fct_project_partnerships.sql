-- One row per distinct member of a project's partnership: the same partnership type and member organisation
-- reported by several articles is one row; its role is the one its articles give most often (the strongest on
-- a tie: co_chair, auditor > lead > supporter > member).
with members as (
    select p.*, a.published_at,
           case p.role when 'co_chair' then 5 when 'auditor' then 4 when 'lead' then 3 when 'supporter' then 2 else 1 end
               as role_rank
    from {{ ref('fct_partnerships') }} p
    left join {{ ref('dim_articles') }} a using (article_id)
    where p.project_id is not null
),

roles as (
    select project_id, partnership_type, org_id, role, count(*) as n, max(role_rank) as role_rank
    from members
    group by all
)

select
    md5(m.project_id || '|' || m.partnership_type || '|' || m.org_id) as project_partnership_id,
    m.project_id,
    m.partnership_type,
    m.org_id,
    (select arg_max(r.role, r.n * 10 + r.role_rank) from roles r
     where r.project_id = m.project_id and r.partnership_type = m.partnership_type and r.org_id = m.org_id) as role,
    arg_min(m.partnership_name, (coalesce(m.published_at, '9999-12-31'::timestamptz), m.article_id))
        filter (where m.partnership_name is not null) as partnership_name,
    count(distinct m.article_id)::integer as n_articles,
    arg_min(m.article_id, (coalesce(m.published_at, '9999-12-31'::timestamptz), m.article_id)) as first_article_id,
    min(m.published_at) as first_reported_at,
    list(distinct m.article_id order by m.article_id) as article_ids
from members m
group by m.project_id, m.partnership_type, m.org_id
