{#- An organisation whose name ends in a word that names a public body, an institute, a school or an association
    (테크노파크, 진흥원, 재단, 공단, 연구원, 대학교, 협회 …) is not a company; and a bare one- or two-syllable Hangul
    word typed company (주민, 지역, 해외, 허 in '허 시장') is a common noun or a surname read as a name, unless the org_types
    seed knows it (삼성). Use with severity warn. -#}
{% test org_type_fits_name(model, column_name, type_column='org_type',
        not_company_endings=['테크노파크', '진흥원', '재단', '공단', '연구원', '연구소', '대학교', '대학', '협회',
                             '위원회', '교육청', '공사', '센터', '진흥회', '조합', '학회']) %}
select {{ column_name }} as name, {{ type_column }} as org_type
from {{ model }}
where {{ type_column }} = 'company'
  and (
        regexp_matches(replace({{ column_name }}, ' ', ''), '({{ not_company_endings | join("|") }})$')
     or (regexp_matches({{ column_name }}, '^[가-힣]{1,2}$')
         and {{ column_name }} not in (select name from {{ ref('org_types') }}))
  )
{% endtest %}
