-- One row per organisation across all articles. The name is the dictionary's canonical name when the
-- seeds know it, else the surface form seen most often; org_type from the org_types seed, then local
-- governments, then suffix rules (org_suffix_rules seed: lower priority first, then the longer suffix),
-- else 'company'. Legal-form words ((주), 주식회사, ㈜) are not part of the name.
-- sido_code / sigungu_code (행정표준코드): a local government's own codes (int_local_government_keys: full name,
-- parent + name, former names; a name two places share stays NULL); an organisation that is not a company and
-- whose name begins with a local government's full name (전주시의회, 경기도경제과학진흥원) is placed there.
with mentions as (
    select * from {{ ref('int_org_mentions_unified') }}
),

names as (
    select
        org_key,
        any_value(dictionary_name) filter (where dictionary_name is not null) as dictionary_name,
        mode(nullif(trim(regexp_replace(display_name, '주식회사|\(주\)|㈜', '', 'g')), '')) as common_name,
        min(surface) as first_surface,
        list(distinct surface order by surface) as aliases
    from mentions
    group by org_key
),

named as (
    select org_key, coalesce(dictionary_name, common_name, first_surface) as name, aliases from names
),

typed_by_dictionary as (
    select {{ normalize_org_name('name') }} as name_key, any_value(org_type) as org_type
    from {{ ref('org_types') }}
    group by 1
),

local_governments as (
    select distinct {{ normalize_org_name('name') }} as name_key
    from {{ ref('local_governments') }}
),

suffix_rules as (
    select suffix, org_type, coalesce(priority, 0) as priority from {{ ref('org_suffix_rules') }}
),

typed as (
    select
        n.org_key,
        n.name,
        n.aliases,
        coalesce(
            d.org_type,
            case when lg.name_key is not null then 'local_government' end,
            (select r.org_type from suffix_rules r
             where ends_with(replace(n.name, ' ', ''), replace(r.suffix, ' ', ''))
             order by r.priority, length(r.suffix) desc
             limit 1),
            'company'
        ) as org_type
    from named n
    left join typed_by_dictionary d on d.name_key = n.org_key
    left join local_governments lg on lg.name_key = n.org_key
),

place_keys as (
    select * from {{ ref('int_local_government_keys') }}
),

placed as (
    select
        t.org_key,
        (select struct_pack(sido_code := k.sido_code, sigungu_code := k.sigungu_code)
         from place_keys k
         where k.name_key = t.org_key
            or (not k.is_short_name and t.org_type <> 'company' and starts_with(t.org_key, k.name_key))
         order by k.name_key = t.org_key desc, length(k.name_key) desc
         limit 1) as place
    from typed t
)

select
    md5(t.org_key) as org_id,
    t.name,
    t.org_type,
    t.aliases,
    t.org_key,
    p.place.sido_code as sido_code,
    p.place.sigungu_code as sigungu_code
from typed t
left join placed p on p.org_key = t.org_key
