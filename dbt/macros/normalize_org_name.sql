{#- The matching key of an organisation name: Unicode NFC, lower case, no legal-form words
    (주식회사, (주), ㈜, 유한회사, (재), (사)), no spaces or punctuation (· . , ' " “ ” ‘ ’ - ( )).
    '구글 클라우드 코리아' and '구글클라우드코리아' share one key; so do '(주)진인프라' and '진인프라'. -#}
{% macro normalize_org_name(expr) -%}
    regexp_replace(
        regexp_replace(
            lower(nfc_normalize(trim({{ expr }}))),
            '주식회사|\(주\)|㈜|유한회사|\(유\)|\(재\)|\(사\)|재단법인|사단법인', '', 'g'),
        '[\s·ㆍ‧.,''"“”‘’\-()]', '', 'g')
{%- endmacro %}

{#- A leading country name or hanja country abbreviation before a company name written in Latin letters
    ('영국C&P', '英 C&P', '미국 Acme') is dropped from the key, so they join 'C&P'. The prefixes are the
    reference.country_prefixes seed. -#}
{% macro strip_country_prefix(key_expr) -%}
    coalesce(
        (select regexp_replace({{ key_expr }}, '^' || cp.prefix, '')
         from {{ ref('country_prefixes') }} cp
         where starts_with({{ key_expr }}, cp.prefix)
           and regexp_matches(substr({{ key_expr }}, length(cp.prefix) + 1), '^[a-z0-9&]')
         order by length(cp.prefix) desc
         limit 1),
        {{ key_expr }})
{%- endmacro %}
