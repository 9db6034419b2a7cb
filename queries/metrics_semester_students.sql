-- purpose: |A(S)|, the active students of one semester (optionally one 部別)
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: students_active
with roster as (
    select
        student_no,
        division,
        status
    from students
    where school_year = $year
      and semester = $semester
),

active_students as (
    select student_no
    from roster
    where list_contains($active_statuses, status)
      and ($division is null or division = $division)
),

final as (
    select count(*) as students_active
    from active_students
)

select * from final
