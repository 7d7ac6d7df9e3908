-- One row per partnership: every member by name with its type and role in one readable cell
-- ('전주시 (local_government, lead); 네이버클라우드 (company, member)'), the leads, the member count, the 시도 its
-- members are placed in, the project, and the article's title, URL and date. Members are listed strongest role
-- first (co_chair, auditor, lead, supporter, member), then by name.
with members as (
    select *,
           case role when 'co_chair' then 1 when 'auditor' then 2 when 'lead' then 3 when 'supporter' then 4 else 5 end
               as role_order
    from {{ ref('partnership_members') }}
)

select
    partnership_id,
    any_value(article_id) as article_id,
    any_value(partnership_type) as partnership_type,
    any_value(partnership_name) as partnership_name,
    string_agg(member || ' (' || member_type || ', ' || role || ')', '; ' order by role_order, member) as members,
    count(*)::integer as n_members,
    string_agg(member, '; ' order by member) filter (where role = 'lead') as leads,
    list(distinct member_type order by member_type) as member_types,
    list(distinct member_sido_code order by member_sido_code) filter (where member_sido_code is not null)
        as member_sido_codes,
    -- members read from different sentences can name different projects: the one with the smallest project_id,
    -- the same every time (any_value would pick one at random per query)
    arg_min(project, project_id) as project,
    any_value(article_title) as article_title,
    any_value(outlet) as outlet,
    any_value(url) as url,
    any_value(published_date) as published_date,
    min(evidence) as evidence,
    min(project_id) as project_id
from members
group by partnership_id
