-- 011: more of metrics.md's rules written once (issue [7/11]), in the style of 010: A(Y)'s rows
-- and the per-year counts per student. They were first appended to 010 after databases had
-- applied it, and such a database never runs 010 again; here every database gets them (a
-- database that did read them from 010 only replaces them with the same text). Values are macro
-- parameters the queries bind from their own $parameters, as in 002, 009 and 010.

-- metrics.md, "A(Y)": a student's 部別 is that of their latest semester row of y; their 姓名,
-- 科別, 班級 and 座號 in the year's lists come from the same row. Every column of that row, one
-- row per student of 學年度 y; y NULL = the latest row over every 學年度 (a student who has
-- left, a graduate).
create or replace macro latest_roster_rows(y) as table
    select *
    from students
    where y is null
       or school_year = y
    qualify row_number() over (
        partition by student_no
        order by
            school_year desc,
            semester desc
    ) = 1;

-- A(Y) in 部別 div, each student as their latest roster row of y (latest_roster_rows: the row
-- A(Y) takes the 部別 from), for the per-year lists that name the student and the class.
create or replace macro active_latest_rows_of_year(y, div, statuses) as table
    select latest.*
    from latest_roster_rows(y) as latest
    semi join active_students_of_year(y, div, statuses) as active_students
        on active_students.student_no = latest.student_no;

-- metrics.md, "Per year (Y)", diverse.uploaded and selection.diverse_selected per student: the
-- 多元表現 rows of y of each student in A(Y) (in 部別 div) who has at least one, and how many
-- of them are selected (勾選).
create or replace macro diverse_counts_per_student(y, div, statuses) as table
    select
        diverse.student_no,
        count(*) as uploaded_count,
        count(*) filter (where diverse.selected) as selected_count
    from diverse
    inner join active_students_of_year(y, div, statuses) as active_students
        on active_students.student_no = diverse.student_no
    where diverse.school_year = y
    group by diverse.student_no;

-- metrics.md, "Per year (Y)", the selection keys per student: each student in A(Y) (in 部別
-- div) with at least one selected row of either kind, with their selected 課程學習成果 of y
-- (both semesters), those not 通過, and their selected 多元表現.
create or replace macro selection_counts_per_student(y, div, statuses) as table
    with outcomes_per_student as (
        select
            outcomes.student_no,
            count(*) as selected_count,
            count(*) filter (where outcomes.cert_status <> '通過') as not_passed_count
        from outcomes
        inner join active_students_of_year(y, div, statuses) as active_students
            on active_students.student_no = outcomes.student_no
        where outcomes.school_year = y
          and outcomes.selected
        group by outcomes.student_no
    ),

    diverse_per_student as (
        select
            student_no,
            selected_count
        from diverse_counts_per_student(y, div, statuses)
        where selected_count > 0
    )

    select
        coalesce(outcomes_per_student.student_no, diverse_per_student.student_no) as student_no,
        coalesce(outcomes_per_student.selected_count, 0) as outcomes_selected_count,
        coalesce(outcomes_per_student.not_passed_count, 0) as selected_not_passed_count,
        coalesce(diverse_per_student.selected_count, 0) as diverse_selected_count
    from outcomes_per_student
    full outer join diverse_per_student
        on diverse_per_student.student_no = outcomes_per_student.student_no;

-- metrics.md, "Per year (Y)", receipts.answered_within_limit: a reported 收訖確認 error is to be
-- answered by 確認時間 + dispute_answer_max_days × 24 h (max_days, the rule in force that year;
-- an answer at that very time is within the limit).
create or replace macro dispute_answer_due(confirmed_at, max_days) as
    confirmed_at + max_days * interval 1 day;

-- metrics.md, "Per year (Y)", the receipts.<名冊別> keys per class: the 收訖確認 rows of y (any
-- 學期, 0 = per-year roster) by A(Y) in 部別 div, per 名冊別 and the student's 部別 and 班級
-- (their latest roster row of y), counted as listed, confirmed (已確認), reported (回報錯誤),
-- unconfirmed (未確認), answered within the limit, and notified by 紙本郵寄. The classes add up
-- to the school's figures.
create or replace macro receipt_counts_by_class(y, div, statuses) as table
    select
        receipts.roster,
        students.division,
        students.class_name,
        count(*) as listed_count,
        count(*) filter (where receipts.status = '已確認') as confirmed_count,
        count(*) filter (where receipts.status = '回報錯誤') as reported_count,
        count(*) filter (where receipts.status = '未確認') as unconfirmed_count,
        count(*) filter (
            where receipts.status = '回報錯誤'
              and receipts.answered_at <= dispute_answer_due(
                  receipts.confirmed_at, rule_in_force('dispute_answer_max_days', y)
              )
        ) as answered_within_limit_count,
        count(*) filter (where receipts.notice_method = '紙本郵寄') as paper_mail_count
    from receipts
    inner join active_latest_rows_of_year(y, div, statuses) as students
        on students.student_no = receipts.student_no
    where receipts.school_year = y
    group by
        receipts.roster,
        students.division,
        students.class_name;

