{#- Rows whose 행정표준코드 are not valid: a sido_code that is not one of the 17 current 시도 codes
    (강원 51, 전북 52 since 2023-2024), a sigungu_code that is not 5 digits or does not begin with its
    sido_code, or a sigungu_code without a sido_code. -#}
{% test valid_region_codes(model, sido_column='sido_code', sigungu_column='sigungu_code') %}
select *
from {{ model }}
where ({{ sido_column }} is not null
       and {{ sido_column }} not in ('11', '26', '27', '28', '29', '30', '31', '36', '41', '43', '44',
                                     '46', '47', '48', '50', '51', '52'))
   or ({{ sigungu_column }} is not null
       and (not regexp_full_match({{ sigungu_column }}, '[0-9]{5}')
            or {{ sido_column }} is null
            or not starts_with({{ sigungu_column }}, {{ sido_column }})))
{% endtest %}
