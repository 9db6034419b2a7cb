-- purpose: |A(S)|, the active students of one semester (optionally one 部別)
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: students_active
with final as (
    select count(*) as students_active
    from active_students_of_semester($year, $semester, $division, $active_statuses)
)

select * from final
