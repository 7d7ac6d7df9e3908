-- fct_partnerships for reading, one row per member: the member's name, type and place next to the partnership's
-- type and name, the project, and the article's title, URL and date (those from int_fact_context, joined once
-- for the three fact views).
with places as (
    select sido_code, name from {{ ref('local_governments') }} where level = 'metropolitan'
)

select
    f.partnership_id,
    f.article_id,
    f.partnership_type,
    f.partnership_name,
    o.name as member,
    o.org_type as member_type,
    f.role,
    o.sido_code as member_sido_code,
    sd.name as member_sido_name,
    c.project,
    c.article_title,
    c.outlet,
    c.url,
    c.published_date,
    f.evidence,
    f.org_id,
    f.project_id
from {{ ref('fct_partnerships') }} f
join {{ ref('int_fact_context') }} c on c.article_id = f.article_id and c.project_id is not distinct from f.project_id
join {{ ref('dim_organizations') }} o on o.org_id = f.org_id
left join places sd on sd.sido_code = o.sido_code
