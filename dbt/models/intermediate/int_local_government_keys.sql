-- Every way an article names a local government, as a matching key (macro normalize_org_name), with the
-- 행정표준코드 it stands for (seed local_governments: sido_code, sigungu_code). Keys:
--   the full name (천안시), the parent and the name (충청남도천안시, 충남천안시, 부산중구),
--   for a 시도 its short name + 시/도 (서울시, 세종시, 강원도) and its former names (seed local_government_former_names),
--   for a 시 its 특례시 form (창원특례시),
--   the short name (천안) -- is_short_name, used only for whole-name matches, never as a prefix.
-- A key that stands for two places (중구, 고성군, 광주시: 경기 광주시 or 광주광역시) is dropped: NULL beats a guess.
with lg as (
    select * from {{ ref('local_governments') }}
),

parents as (
    select name, short_name from lg where level = 'metropolitan'
),

candidates as (
    select name as surface, sido_code, sigungu_code, false as is_short_name from lg
    union all
    select lg.parent || lg.name, lg.sido_code, lg.sigungu_code, false
    from lg where lg.parent is not null and lg.parent <> ''
    union all
    select p.short_name || lg.name, lg.sido_code, lg.sigungu_code, false
    from lg join parents p on p.name = lg.parent
    union all
    select short_name || case when name like '%도' then '도' else '시' end, sido_code, sigungu_code, false
    from lg where level = 'metropolitan'
    union all
    select short_name || '특례시', sido_code, sigungu_code, false  -- 수원·고양·용인·창원·화성 call themselves 특례시
    from lg where level = 'basic' and name like '%시'
    union all
    select f.former_name, lg.sido_code, lg.sigungu_code, false
    from {{ ref('local_government_former_names') }} f join lg on lg.name = f.name
    union all
    select short_name, sido_code, sigungu_code, true from lg where short_name is not null and short_name <> ''
),

keyed as (
    select distinct {{ normalize_org_name('surface') }} as name_key, sido_code, sigungu_code, is_short_name
    from candidates
)

select
    name_key,
    any_value(sido_code) as sido_code,
    any_value(sigungu_code) as sigungu_code,
    bool_and(is_short_name) as is_short_name
from keyed
group by name_key
having count(distinct sido_code || '/' || coalesce(sigungu_code, '')) = 1
