{% test unique_combination(model, columns) %}
-- combinations of `columns` that occur more than once
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
