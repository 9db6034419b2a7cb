-- purpose: |A(Y)|, the distinct students active in either semester of a 學年度; a student's
--          部別 is the one on their latest semester row of the year
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: students_active
with final as (
    select count(*) as students_active
    from active_students_of_year($year, $division, $active_statuses)
)

select * from final
