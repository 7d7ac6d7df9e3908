{% test positive(model, column_name) %}
-- rows whose value is zero or negative
select * from {{ model }} where {{ column_name }} <= 0
{% endtest %}
