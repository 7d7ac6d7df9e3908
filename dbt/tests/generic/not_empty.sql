{% test not_empty(model) %}
-- fails (one row) when the model holds no rows at all
select 'empty' as problem where not exists (select 1 from {{ model }})
{% endtest %}
