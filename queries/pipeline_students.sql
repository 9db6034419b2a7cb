-- purpose: the active students A(S) of one semester, optionally only one 部別, 科別 or 班級
--          (from the student's roster row of S), with their 課程學習成果 of S counted as
--          metrics_outcomes_by_group counts them, whether they upload more than the
--          outcome_upload_cap_per_semester rule in force that year, and their 勾選 of the
--          學年度 (selected 課程學習成果 of both semesters plus selected 多元表現, and the selected
--          課程學習成果 that are not 通過, as metrics_year_selection counts them)
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校),
--         $department VARCHAR (NULL = every 科別), $class_name VARCHAR (NULL = every 班級),
--         $active_statuses VARCHAR[]
-- returns: one row per active student in scope, ordered by division, department, class_name,
--          seat_no, student_no: student_no, name, division, department, class_name, seat_no,
--          status, uploaded_count, submitted_count, passed_count, failed_count, pending_count,
--          over_cap, selected_count, selected_not_passed_count

-- A(S), each student as their whole roster row of S (姓名, 座號 and 學籍狀態 beside the 部別, 科別
-- and 班級 of A(S))
with active_students as (
    select students.*
    from students
    semi join active_students_of_semester($year, $semester, $division, $active_statuses) as active
        on active.student_no = students.student_no
    where students.school_year = $year
      and students.semester = $semester
      and ($department is null or students.department = $department)
      and ($class_name is null or students.class_name = $class_name)
),

upload_cap as (
    select rule_in_force('outcome_upload_cap_per_semester', $year) as cap
),

semester_outcomes as (
    select *
    from outcome_counts_per_student($year, $semester, $division, $active_statuses, 'school')
),

selections as (
    select *
    from selection_counts_per_student($year, null, $active_statuses)
),

final as (
    select
        active_students.student_no,
        active_students.name,
        active_students.division,
        active_students.department,
        active_students.class_name,
        active_students.seat_no,
        active_students.status,
        coalesce(semester_outcomes.uploaded_count, 0) as uploaded_count,
        coalesce(semester_outcomes.submitted_count, 0) as submitted_count,
        coalesce(semester_outcomes.passed_count, 0) as passed_count,
        coalesce(semester_outcomes.failed_count, 0) as failed_count,
        coalesce(semester_outcomes.pending_count, 0) as pending_count,
        coalesce(semester_outcomes.uploaded_count, 0) > upload_cap.cap as over_cap,
        coalesce(selections.outcomes_selected_count, 0)
        + coalesce(selections.diverse_selected_count, 0) as selected_count,
        coalesce(selections.selected_not_passed_count, 0) as selected_not_passed_count
    from active_students
    cross join upload_cap
    left join semester_outcomes
        on semester_outcomes.student_no = active_students.student_no
    left join selections
        on selections.student_no = active_students.student_no
    order by
        active_students.division,
        active_students.department,
        active_students.class_name,
        active_students.seat_no nulls last,
        active_students.student_no
)

select * from final
