-- What the reporting views (budgets, events, partnership_members) show beside a fact, joined once for all three:
-- one row per (article_id, project_id) a budget, event or partnership fact has (project_id NULL for a fact with
-- no project): the article's title, outlet, URL and publish date, and the project's name, lead and place with
-- the place names. A small table (no article body), so the views and the tests on them read it instead of
-- joining dim_articles, dim_projects, dim_organizations and the places seed again each.
with facts as (
    select article_id, project_id from {{ ref('fct_budgets') }}
    union
    select article_id, project_id from {{ ref('fct_events') }}
    union
    select article_id, project_id from {{ ref('fct_partnerships') }}
),

places as (
    select sido_code, sigungu_code, name, level from {{ ref('local_governments') }}
)

select
    f.article_id,
    f.project_id,
    a.title as article_title,
    a.outlet,
    a.url,
    a.published_at::date as published_date,
    p.name as project,
    lead.name as project_lead,
    p.sido_code as project_sido_code,
    sd.name as project_sido_name,
    p.sigungu_code as project_sigungu_code,
    sg.name as project_sigungu_name
from facts f
join {{ ref('dim_articles') }} a on a.article_id = f.article_id
left join {{ ref('dim_projects') }} p on p.project_id = f.project_id
left join {{ ref('dim_organizations') }} lead on lead.org_id = p.lead_org_id
left join places sd on sd.level = 'metropolitan' and sd.sido_code = p.sido_code
left join places sg on sg.level <> 'metropolitan' and sg.sigungu_code = p.sigungu_code
