-- purpose: active students of one semester with at least one 課程諮詢紀錄 in it
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: students_with_record
with semester_counselling as (
    select distinct student_no
    from counselling
    where school_year = $year
      and semester = $semester
),

active_students as (
    select
        student_no,
        division,
        department,
        class_name
    from active_students_of_semester($year, $semester, $division, $active_statuses)
),

counselled as (
    select active_students.student_no
    from active_students
    inner join semester_counselling
        on semester_counselling.student_no = active_students.student_no
),

final as (
    select count(*) as students_with_record
    from counselled
)

select * from final
