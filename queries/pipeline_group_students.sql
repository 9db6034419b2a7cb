-- purpose: |A(S)| per 部別, 科別 and 班級 (the student's roster row of S), for the drill-down
--          tables of the semester pipeline; sums over any level equal metrics_semester_students
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per class with at least one active student, ordered by division, department,
--          class_name: division, department, class_name, students_active
with per_class as (
    select
        division,
        department,
        class_name,
        count(*) as students_active
    from active_students_of_semester($year, $semester, $division, $active_statuses)
    group by
        division,
        department,
        class_name
),

final as (
    select *
    from per_class
    order by
        division,
        department,
        class_name
)

select * from final
