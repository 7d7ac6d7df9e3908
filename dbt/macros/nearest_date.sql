{#- Of the candidate date one `unit` before, the candidate itself and one `unit` after, the one nearest to
    `anchor` (ties go to the earlier). Used when a date without a year (or month) has no tense to tell
    whether it lies before or after publication. -#}
{% macro nearest_date(anchor, candidate, unit) -%}
    (case
        when abs(date_diff('day', {{ anchor }}, ({{ candidate }} - interval 1 {{ unit }})::date))
                <= abs(date_diff('day', {{ anchor }}, {{ candidate }}))
             and abs(date_diff('day', {{ anchor }}, ({{ candidate }} - interval 1 {{ unit }})::date))
                <= abs(date_diff('day', {{ anchor }}, ({{ candidate }} + interval 1 {{ unit }})::date))
            then ({{ candidate }} - interval 1 {{ unit }})::date
        when abs(date_diff('day', {{ anchor }}, ({{ candidate }} + interval 1 {{ unit }})::date))
                < abs(date_diff('day', {{ anchor }}, {{ candidate }}))
            then ({{ candidate }} + interval 1 {{ unit }})::date
        else {{ candidate }}
    end)
{%- endmacro %}
