-- purpose: the value of one rule in force in a 學年度 (the latest row effective on or before it)
-- params: $key VARCHAR, $year INTEGER
-- returns: zero or one row: value
with in_force as (
    select rule_in_force($key, $year) as value
),

final as (
    select value
    from in_force
    where value is not null
)

select * from final
