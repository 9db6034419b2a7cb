-- purpose: the students of one graduated cohort (Art. 8): every 學號 with a roster row whose
--          學籍狀態 is 畢業 or whose 畢業學年度 is set, whose 畢業學年度 (else the 學年度 of the
--          畢業 row) is the cohort's (the macro graduated_students, migration 009); the 部別 is
--          the one of the student's latest roster row
-- params: $year INTEGER (畢業學年度)
-- returns: one row per student: student_no, division
with graduates as (
    select
        student_no,
        graduation_year
    from graduated_students()
),

latest_division as (
    select
        student_no,
        arg_max(division, school_year * 10 + semester) as division
    from students
    group by student_no
),

final as (
    select
        graduates.student_no,
        latest_division.division
    from graduates
    inner join latest_division
        on latest_division.student_no = graduates.student_no
    where graduates.graduation_year = $year
    order by graduates.student_no
)

select * from final
