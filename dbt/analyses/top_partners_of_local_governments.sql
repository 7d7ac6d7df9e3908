-- The companies and agencies that partner most often with local governments (any partnership type).
with lg_partnerships as (
    select distinct p.partnership_id
    from {{ ref('fct_partnerships') }} p
    join {{ ref('dim_organizations') }} o using (org_id)
    where o.org_type = 'local_government'
)
select
    o.name as partner,
    o.org_type,
    count(distinct p.partnership_id) as partnerships,
    list(distinct p.partnership_type) as partnership_types
from {{ ref('fct_partnerships') }} p
join lg_partnerships using (partnership_id)
join {{ ref('dim_organizations') }} o using (org_id)
where o.org_type <> 'local_government'
group by all
order by partnerships desc, partner
limit 20
