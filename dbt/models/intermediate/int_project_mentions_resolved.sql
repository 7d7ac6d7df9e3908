-- Each project mention (int_project_mentions) with the project it belongs to. A project is a name_key in a
-- place: within an article, a name_key takes the lead organisation of its budget recipient if one is named,
-- else of its first mention; across articles, a mention whose place is coarser (only the 시도) or unknown takes
-- the 시군구 of the other articles' mentions of the same name_key when they name exactly one. A name_key of a
-- single word with neither a place nor a lead organisation (스마트시티 사업 in a national story) is no project.
with raw_mentions as (
    select * from {{ ref('int_project_mentions') }}
),

-- within an article, a name_key whose words are all in a longer name_key of the same article is that one
-- (임대형 스마트팜 and 지역특화 임대형 스마트팜 in one story are one project)
mentions as (
    select
        m.* exclude (name_key),
        coalesce(
            (select arg_max(x.name_key, (length(x.name_key), x.name_key)) from raw_mentions x
             where x.article_id = m.article_id and x.name_key <> m.name_key
               and list_has_all(string_split(x.name_key, ' '), string_split(m.name_key, ' '))),
            m.name_key) as name_key
    from raw_mentions m
),

per_article as (
    select
        article_id,
        name_key,
        coalesce(
            arg_min(lead_org_key, (sentence_no, lead_org_key)) filter (where seen_as = 'budget_program' and lead_org_key is not null),
            arg_min(lead_org_key, (sentence_no, lead_org_key)) filter (where lead_org_key is not null)) as lead_org_key
    from mentions
    group by article_id, name_key
),

placed as (
    select p.*, d.sido_code, d.sigungu_code
    from per_article p
    left join {{ ref('dim_organizations') }} d on d.org_key = p.lead_org_key
),

resolved as (
    select
        r.*,
        coalesce(
            r.sigungu_code,
            (select any_value(x.sigungu_code) from placed x
             where x.name_key = r.name_key and x.sigungu_code is not null
               and (r.sido_code is null or x.sido_code = r.sido_code)
             having count(distinct x.sigungu_code) = 1)) as project_sigungu_code,
        coalesce(
            r.sido_code,
            (select any_value(x.sido_code) from placed x
             where x.name_key = r.name_key and x.sido_code is not null
             having count(distinct x.sido_code) = 1)) as project_sido_code
    from placed r
),

keyed as (
    select
        *,
        -- the words joined without spaces: 'ai 컴퓨팅센터' and 'ai컴퓨팅센터' are one name
        case
            when project_sido_code is not null
                then replace(name_key, ' ', '') || '|' || coalesce(project_sigungu_code, project_sido_code)
            when lead_org_key is not null then replace(name_key, ' ', '') || '|' || lead_org_key
            when contains(name_key, ' ') then replace(name_key, ' ', '') || '|'
        end as project_key
    from resolved
)

select
    m.*,
    md5(k.project_key) as project_id,
    k.project_key,
    k.project_sido_code,
    k.project_sigungu_code
from mentions m
join keyed k using (article_id, name_key)
where k.project_key is not null
