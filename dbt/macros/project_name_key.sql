{#- The words of a programme phrase that can name a project, before the generic ones are dropped
    (int_project_mentions drops the words of seed project_generic_words and local-government names, then sorts
    what is left and joins it with spaces: that is the project's name_key).
    Steps: NFC, lower case; 스마트도시 / 스마트 시티 / 스마트 도시 fold to 스마트시티; the head nouns 사업 and
    프로젝트 are cut off the word they end (조성사업 → 조성); split on spaces and middle dots; a word that ends in a
    particle or a verb ending (은 는 을 를 의 가 이 과 와 도 만 에 에서 으로 에게 부터 까지 별 · 며 고 서 해 여 려 된 한 낸 할 던 대로 히 게 다 라 록 쳐 어 아;
    a condition 부진하면 / 따르면, a measure 만큼)
    is not part of a name (so nouns ending in those letters -- 국가 -- are lost: a key is a few telling words, not the full name); a word that starts with a digit (2025년, 1단계) or has one letter is not part of a name.
    So '거점형 스마트시티', '거점형 스마트도시 조성사업' and '스마트시티 거점형 사업' all give [거점형, 스마트시티]. -#}
{% macro project_name_tokens(expr) -%}
    list_filter(
        string_split_regex(
            trim(regexp_replace(
                regexp_replace(lower(nfc_normalize(coalesce({{ expr }}, ''))), '스마트\s*(도시|시티)', '스마트시티', 'g'),
                '(사업|프로젝트)', ' ', 'g')),
            '[\s·ㆍ]+'),
        lambda t: length(t) > 1
             and not regexp_matches(t, '^[0-9]')
             and not regexp_matches(t, '{{ project_non_name_ending() }}'))
{%- endmacro %}


{#- A word ending like this is a particle or a verb form, not part of a programme's name. -#}
{% macro project_non_name_ending() -%}
(은|는|을|를|의|가|이|과|와|도|만|에|에서|으로|에게|부터|까지|께|별|며|고|서|해|여|려|된|한|낸|할|던|대로|히|게|다|라|록|쳐|어|아|면|만큼)$
{%- endmacro %}

{#- A programme phrase as a display name: leading words that are particles / verb forms, numbers or a lone
    syllable are cut ('대구에서 스마트교차로 사업' → '스마트교차로 사업', '추진돼 온 시티챌린지 본사업' → '시티챌린지 본사업'). -#}
{% macro project_display_name(expr) -%}
    regexp_replace({{ expr }}, '^(\S+({{ project_non_name_ending()[:-1] }}|[0-9]\S*)\s+|[가-힣]\s+)+', '')
{%- endmacro %}


{#- The programme phrases of a sentence ('… 사업', '… 프로젝트', '… 센터 유치', with up to two words before). The
    phrase ends where the word ends: 사업 that goes on into another noun (사업자 operator, 사업장, 사업단, 사업부,
    사업체, 사업본부장, 사업주, 사업소, 사업팀, 사업실, 사업가; 프로젝트팀, 프로젝트매니저) names no programme; a
    particle or 비 after the head (사업을, 사업비) is cut off. -#}
{% macro program_phrases(expr) -%}
    list_transform(
        list_filter(
            regexp_extract_all({{ expr }},
                '(?:^|[\s"''“‘(\[])((?:[0-9A-Za-z가-힣·]+\s){0,2}[0-9A-Za-z가-힣·]*(?:사업|프로젝트|센터\s?유치)[가-힣]?)', 1),
            lambda p: not regexp_matches(p, '(사업(자|장|단|부|체|본|주|소|팀|실|가)|프로젝트(팀|매))$')),
        lambda p: regexp_replace(p, '(사업|프로젝트|센터\s?유치)[가-힣]$', '\1'))
{%- endmacro %}


{#- A name token with a generic word written fused to its front cut off (국가AI컴퓨팅센터 → ai컴퓨팅센터,
    공공선도 → 선도), so the spaced and the fused spellings give the same words. -#}
{% macro project_token_unprefixed(token) -%}
    coalesce(
        (select substr({{ token }}, length(g.word) + 1) from {{ ref('project_generic_words') }} g
         where starts_with({{ token }}, g.word) and length({{ token }}) - length(g.word) >= 2
         order by length(g.word) desc limit 1),
        {{ token }})
{%- endmacro %}
