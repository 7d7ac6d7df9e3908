{#- Fails on rows whose date label does not say the precision of the date: a month-only date must read
    'YYYY-MM (month)', a year-only date 'YYYY (year)', a day 'YYYY-MM-DD', no date 'unknown'. -#}
{% test date_label_shows_precision(model, column_name, date_column, precision_column) %}
select *
from {{ model }}
where {{ column_name }} is distinct from (case
        when {{ date_column }} is null then 'unknown'
        when {{ precision_column }} = 'month' then strftime({{ date_column }}, '%Y-%m') || ' (month)'
        when {{ precision_column }} = 'year' then strftime({{ date_column }}, '%Y') || ' (year)'
        when {{ precision_column }} = 'day' then strftime({{ date_column }}, '%Y-%m-%d')
      end)
   or ({{ precision_column }} in ('month', 'year') and {{ column_name }} similar to '\d{4}-\d{2}-\d{2}')
{% endtest %}
