-- 013: one graduated cohort written once (issue [7/11]), in the style of 010 to 012, for the two
-- queries a purge reads (Art. 8): the students it deletes and the counts it keeps per 部別 must be
-- of the same students. The cohort's 畢業學年度 y is the caller's $year.

-- Art. 8 (資料保存): the students of graduated cohort y (graduated_students, migration 009), each
-- with the 部別 of their latest roster row over every 學年度 (latest_roster_rows, migration 011).
create or replace macro graduate_cohort(y) as table
    select
        graduates.student_no,
        latest.division
    from graduated_students() as graduates
    inner join latest_roster_rows(null) as latest
        on latest.student_no = graduates.student_no
    where graduates.graduation_year = y;
