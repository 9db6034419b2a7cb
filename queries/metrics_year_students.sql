-- purpose: |A(Y)|, the distinct students active in either semester of a 學年度; a student's
--          部別 is the one on their latest semester row of the year
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: students_active
with year_roster as (
    select
        student_no,
        semester,
        division,
        status
    from students
    where school_year = $year
),

year_students as (
    select
        student_no,
        arg_max(division, semester) as division,
        bool_or(list_contains($active_statuses, status)) as was_active
    from year_roster
    group by student_no
),

active_students as (
    select student_no
    from year_students
    where was_active
      and ($division is null or division = $division)
),

final as (
    select count(*) as students_active
    from active_students
)

select * from final
