{% test totals_match_parts(model) %}
-- Budget lists whose parts do not add up to their stated total (국비 160억 + 도비 16억 + 시비 144억 ≠ 325억).
-- Configured as a warning: the rows are kept, an analyst should look at the source sentence.
select * from {{ model }} where is_total_mismatch
{% endtest %}
