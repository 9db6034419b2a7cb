-- purpose: 學籍異動 of a semester (Art. 9): the roster rows whose 學籍狀態 is not 在學, or that
--          changed to 在學 inside the semester (異動日期 within Aug 1 – Jan 31 / Feb 1 – Jul 31),
--          with whether the student is active in the semester and in the 學年度 (A(S) and A(Y)
--          of metrics.md, through their macros: a 畢業 row of its own 畢業學年度 is active) and
--          how many of their rows each rate therefore counts or leaves out: 課程學習成果 of the
--          semester (A(S)), 多元表現 and 收訖確認 of the 學年度 (A(Y))
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校),
--         $active_statuses VARCHAR[]
-- returns: one row per student with such a row (ordered by 班級, 學號): student_no, name,
--          division, department, grade, class_name, status, status_changed_on, graduation_year,
--          previous_status, active_in_semester, active_in_year, outcomes_counted,
--          outcomes_left_out, diverse_counted, diverse_left_out, receipts_counted,
--          receipts_left_out
with roster as (
    select
        student_no,
        name,
        division,
        department,
        grade,
        class_name,
        status,
        status_changed_on,
        graduation_year
    from students
    where school_year = $year
      and semester = $semester
      and ($division is null or division = $division)
),

changed as (
    select roster.*
    from roster
    cross join semester_days($year, $semester) as semester_window
    where roster.status <> '在學'
       or roster.status_changed_on between semester_window.first_day and semester_window.last_day
),

-- the student's row of the semester before (113-1 -> 112-2, 113-2 -> 113-1)
previous as (
    select
        student_no,
        status as previous_status
    from students
    where school_year = case when $semester = 1 then $year - 1 else $year end
      and semester = case when $semester = 1 then 2 else 1 end
),

semester_active as (
    select student_no
    from active_students_of_semester($year, $semester, $division, $active_statuses)
),

year_active as (
    select student_no
    from active_students_of_year($year, null, $active_statuses)
),

semester_outcomes as (
    select
        student_no,
        count(*) as row_count
    from outcomes
    where school_year = $year
      and semester = $semester
    group by student_no
),

year_diverse as (
    select
        student_no,
        count(*) as row_count
    from diverse
    where school_year = $year
    group by student_no
),

year_receipts as (
    select
        student_no,
        count(*) as row_count
    from receipts
    where school_year = $year
    group by student_no
),

flagged as (
    select
        changed.*,
        previous.previous_status,
        semester_active.student_no is not null as active_in_semester,
        year_active.student_no is not null as active_in_year,
        coalesce(semester_outcomes.row_count, 0) as outcome_rows,
        coalesce(year_diverse.row_count, 0) as diverse_rows,
        coalesce(year_receipts.row_count, 0) as receipt_rows
    from changed
    left join previous
        on previous.student_no = changed.student_no
    left join semester_active
        on semester_active.student_no = changed.student_no
    left join year_active
        on year_active.student_no = changed.student_no
    left join semester_outcomes
        on semester_outcomes.student_no = changed.student_no
    left join year_diverse
        on year_diverse.student_no = changed.student_no
    left join year_receipts
        on year_receipts.student_no = changed.student_no
),

final as (
    select
        * exclude (outcome_rows, diverse_rows, receipt_rows),
        case when active_in_semester then outcome_rows else 0 end as outcomes_counted,
        case when active_in_semester then 0 else outcome_rows end as outcomes_left_out,
        case when active_in_year then diverse_rows else 0 end as diverse_counted,
        case when active_in_year then 0 else diverse_rows end as diverse_left_out,
        case when active_in_year then receipt_rows else 0 end as receipts_counted,
        case when active_in_year then 0 else receipt_rows end as receipts_left_out
    from flagged
    order by
        class_name,
        student_no
)

select * from final
