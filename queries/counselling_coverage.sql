-- purpose: 課程諮詢 coverage of one semester: the active students A(S) and those with at least
--          one 課程諮詢紀錄 in it, per 部別, 科別 and 年級 of their roster row
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per 部別, 科別 and 年級 with active students, in that order: division,
--          department, grade, students_active, students_with_record
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
        grade
    from active_students_of_semester($year, $semester, $division, $active_statuses)
),

flagged as (
    select
        active_students.division,
        active_students.department,
        active_students.grade,
        semester_counselling.student_no is not null as has_record
    from active_students
    left join semester_counselling
        on semester_counselling.student_no = active_students.student_no
),

final as (
    select
        division,
        department,
        grade,
        count(*) as students_active,
        count(*) filter (where has_record) as students_with_record
    from flagged
    group by
        division,
        department,
        grade
    order by
        division,
        department,
        grade
)

select * from final
