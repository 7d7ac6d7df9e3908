{#- Content plausibility of an extracted name (partnership name, programme, project, organisation): fails on a
    name that is too short or too long, that starts with a particle or a clause ending ('오르면 …', '만큼 사업'), that holds a clause fragment (a word ending in
    '등' + particle: '등이', '등과'; a verb form: '개최돼', '체결했다', '참여하고'), or that is only a stage /
    pronoun word before its head ('단계 사업', '2차 사업', '이번 사업'). Use with severity warn: it flags, the row stays. -#}
{% test plausible_name(model, column_name, min_length=2, max_length=40) %}
select {{ column_name }} as name, count(*) as n_rows
from {{ model }}
where {{ column_name }} is not null
  and (
        length({{ column_name }}) < {{ min_length }}
     or length({{ column_name }}) > {{ max_length }}
     or regexp_matches({{ column_name }}, '^(은|는|이|가|을|를|의|에|에서|와|과|및|등|또|또한|및)\s')
     or regexp_matches({{ column_name }}, '(^|\s)\S*등(이|은|는|을|를|과|와|의|에|도)(\s|$)')
     or regexp_matches({{ column_name }}, '(^|\s)\S+(돼|됐|됐다|되어|되며|되고|되는|했|했다|하고|하며|하여|해서|한다|된다|이며|으며)(\s|$)')
     or regexp_matches({{ column_name }}, '^\S*(으면|하면|되면|르면|면서|만큼|려고|려면)\s')
     or regexp_matches({{ column_name }}, '^\s*([0-9]*\s*(단계|차|차년도|년차|본|해당|이번|관련|신규|동|각|이|그)\s*)+(사업|프로젝트)?\s*$')
  )
group by 1
{% endtest %}
