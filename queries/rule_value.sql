-- purpose: the value of one rule in force in a 學年度 (the latest row effective on or before it)
-- params: $key VARCHAR, $year INTEGER
-- returns: zero or one row: value
with candidates as (
    select
        value,
        effective_from_year
    from rules
    where key = $key
      and effective_from_year <= $year
),

final as (
    select value
    from candidates
    order by effective_from_year desc
    limit 1
)

select * from final
