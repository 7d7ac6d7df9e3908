-- Every surface form of an organisation the articles use (organisation mentions, partnership members,
-- budget recipients), with the key that decides which surfaces are one organisation:
--   1. normalise (macro normalize_org_name: NFC, lower case, no legal-form words, no spaces/punctuation);
--   2. drop a country prefix before a Latin-letter company name (seed country_prefixes);
--   3. map known short forms and aliases to their canonical name (seed org_aliases, e.g. 현대차 → 현대자동차);
--   4. map unambiguous short names of local governments to their full name (seed local_governments, 전주 → 전주시).
with surfaces as (
    select article_key, sentence_no, resolved as surface, 'org_mention' as seen_as
    from {{ ref('stg_raw__org_mentions') }}
    where resolved is not null
    union all
    select article_key, sentence_no, member, 'partnership_member'
    from {{ ref('stg_raw__partnership_mentions') }}
    where member is not null and member <> ''
    union all
    select article_key, sentence_no, recipient, 'budget_recipient'
    from {{ ref('stg_raw__money_mentions') }}
    where recipient is not null
),

keyed as (
    select *, {{ normalize_org_name('surface') }} as raw_key
    from surfaces
),

stripped as (
    select *, {{ strip_country_prefix('raw_key') }} as base_key
    from keyed
),

aliases as (
    select {{ normalize_org_name('alias') }} as alias_key, any_value(canonical_name) as canonical_name
    from {{ ref('org_aliases') }}
    group by 1
),

local_government_short_names as (
    select {{ normalize_org_name('short_name') }} as short_key, any_value(name) as name
    from {{ ref('local_governments') }}
    where short_name is not null and short_name <> ''
    group by 1
    having count(distinct name) = 1
)

select
    s.article_key,
    s.sentence_no,
    s.surface,
    s.seen_as,
    s.base_key <> s.raw_key as had_country_prefix,
    coalesce(a.canonical_name, lg.name) as dictionary_name,
    coalesce({{ normalize_org_name('coalesce(a.canonical_name, lg.name)') }}, s.base_key) as org_key,
    case
        when s.base_key <> s.raw_key then trim(regexp_replace(s.surface, '^[^A-Za-z0-9]+', ''))
        else s.surface
    end as display_name
from stripped s
left join aliases a on a.alias_key = s.base_key
left join local_government_short_names lg on lg.short_key = s.base_key and a.alias_key is null
where s.base_key <> ''
