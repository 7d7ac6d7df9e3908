{#- Display helpers of the reporting views (schema `reporting`), one definition each. -#}

{#- Whole won as 억 원 (100,000,000 won), two decimals: 16000000000 → 160.00. -#}
{% macro krw_to_eok(expr) -%}
    round({{ expr }} / 100000000.0, 2)::decimal(18, 2)
{%- endmacro %}

{#- A date with its precision, so a month- or year-only date (stored as the 1st of its period) is not read as a
    day: '2025-06-21' (day), '2025-06 (month)', '2025 (year)', 'unknown' (no date). -#}
{% macro date_label(date_expr, precision_expr) -%}
    (case
        when {{ date_expr }} is null then 'unknown'
        when {{ precision_expr }} = 'month' then strftime({{ date_expr }}, '%Y-%m') || ' (month)'
        when {{ precision_expr }} = 'year' then strftime({{ date_expr }}, '%Y') || ' (year)'
        else strftime({{ date_expr }}, '%Y-%m-%d')
    end)
{%- endmacro %}

{#- The last day of the period a date at its precision stands for (a month-only date covers the whole month). -#}
{% macro date_period_end(date_expr, precision_expr) -%}
    (case
        when {{ precision_expr }} = 'month' then (date_trunc('month', {{ date_expr }}) + interval 1 month - interval 1 day)::date
        when {{ precision_expr }} = 'year' then (date_trunc('year', {{ date_expr }}) + interval 1 year - interval 1 day)::date
        else {{ date_expr }}::date
    end)
{%- endmacro %}

{#- The text the full-text search matches: Unicode NFC, lower case, no spaces or punctuation, so '스마트 시티',
    '스마트시티' and 'AI·데이터' / 'ai 데이터' compare alike. A query term is normalised the same way
    (search_facts), and matches as a substring (Korean words carry particles: '전주시는' contains '전주시').
    The characters dropped: the ASCII white space (tab, line feed, form feed, carriage return, space: what RE2's \s
    is) and the punctuation listed. translate() deletes them in one pass (it is ~3x cheaper than the regexp_replace
    of the same character class over every article body, and gives the same string). -#}
{% macro search_normal_form(expr) -%}
    translate(lower(nfc_normalize(coalesce({{ expr }}, ''))),
              chr(9) || chr(10) || chr(12) || chr(13) || ' ·ㆍ‧.,''"“”‘’`-–—()[]{}<>「」『』《》〈〉!?:;/|~…', '')
{%- endmacro %}
