-- purpose: every target row of the working group (the whole-school ones have no 部別), for
--          resolving the target in force and for the targets table on the trends page
-- params: none
-- returns: one row per metric, 部別 and effective year, by metric then year: metric, division,
--          target, effective_from_year, set_by, set_at
with final as (
    select
        metric,
        division,
        target,
        effective_from_year,
        set_by,
        set_at
    from targets
    order by
        metric,
        effective_from_year,
        division nulls first
)

select * from final
