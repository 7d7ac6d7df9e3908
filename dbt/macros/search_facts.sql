{#- The DuckDB table macro reporting.search_facts, created by the post-hook of reporting.search_index (so it is
    in the warehouse file and in the published copy):

        from reporting.search_facts('스마트시티 협약')                                   -- every kind, everywhere
        from reporting.search_facts('국비 스마트시티', in_place := '전북', in_year := 2025, of_kind := 'budget')

    q: words separated by spaces; a document matches when its search_text (title + text in the normal form of
    macro search_normal_form) contains EVERY word as a substring, normalised the same way ('전주' finds '전주시는').
    in_place: a 시도 or 시군구 code ('52', '52110') or name ('전북', '전북특별자치도', '전라북도', '전주시', '전주');
    in_year: the document's year; of_kind: article, budget, event, partnership or organisation.
    Ranked by score = 3 × (query words in the title) + (occurrences of the query words in the text), then newest first.
    Returns the search_index columns (less the normal forms) with title_hits, term_hits and score. -#}
{% macro create_search_facts_macro() -%}
create or replace macro {{ this.schema }}.search_facts(q, in_place := null, in_year := null, of_kind := null) as table
with query as (
    select list_distinct(list_filter(
               list_transform(string_split_regex(trim(coalesce(q, '')), '\s+'), lambda t: {{ search_normal_form('t') }}),
               lambda t: t <> '')) as terms
),
places as (
    select coalesce(list(distinct code), []) as codes
    from (
        select coalesce(nullif(lg.sigungu_code, ''), lg.sido_code) as code, lg.name, lg.short_name, null as former_name
        from {{ ref('local_governments') }} lg
        union all
        select lg.sido_code, lg.name, lg.short_name, f.former_name
        from {{ ref('local_government_former_names') }} f
        join {{ ref('local_governments') }} lg on lg.name = f.name
    )
    where in_place is not null and in_place::varchar in (name, short_name, former_name)
),
matched as (
    select
        s.kind, s.doc_id, s.article_id, s.title, s.text, s.place_codes, s.year, s.published_date, s.url,
        len(list_filter(query.terms, lambda t: contains(s.search_title, t)))::integer as title_hits,
        list_sum(list_transform(query.terms,
            lambda t: (length(s.search_text) - length(replace(s.search_text, t, ''))) // length(t)))::integer as term_hits
    from {{ this }} s, query, places
    where len(query.terms) > 0
      and list_bool_and(list_transform(query.terms, lambda t: contains(s.search_text, t)))
      and (in_place is null
           or list_contains(s.place_codes, in_place::varchar)
           or list_has_any(s.place_codes, places.codes))
      and (in_year is null or s.year = in_year::integer)
      and (of_kind is null or s.kind = of_kind::varchar)
)
select *, 3 * title_hits + term_hits as score
from matched
order by score desc, published_date desc nulls last, kind, doc_id
{%- endmacro %}
