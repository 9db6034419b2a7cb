-- purpose: the students of one graduated cohort (Art. 8): every 學號 with a roster row whose
--          學籍狀態 is 畢業 or whose 畢業學年度 is set, whose 畢業學年度 (else the 學年度 of the
--          畢業 row) is the cohort's (the macro graduated_students, migration 009); the 部別 is
--          the one of the student's latest roster row
-- params: $year INTEGER (畢業學年度)
-- returns: one row per student: student_no, division
with final as (
    select
        student_no,
        division
    from graduate_cohort($year)
    order by student_no
)

select * from final
