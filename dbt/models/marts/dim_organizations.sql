-- One row per organisation across all articles. The name is the dictionary's canonical name when the
-- seeds know it, else the surface form seen most often; org_type from the org_types seed, then local
-- governments, then suffix rules (org_suffix_rules seed: lower priority first, then the longer suffix),
-- else 'company'. Legal-form words ((주), 주식회사, ㈜) are not part of the name.
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
)

select
    md5(org_key) as org_id,
    name,
    org_type,
    aliases,
    org_key
from typed
