-- purpose: the selected (勾選) 課程學習成果 of a 學年度 (both semesters) whose 認證狀態 is not
--          通過, by the active students A(Y), as metrics_year_selection counts them; 部別, 科別,
--          班級, 姓名 and 座號 come from the student's latest roster row of the year (the row
--          A(Y) takes the 部別 from), and optionally narrow the list to one 科別 or 班級
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $department VARCHAR (NULL = every 科別),
--         $class_name VARCHAR (NULL = every 班級), $active_statuses VARCHAR[]
-- returns: one row per selected outcome not 通過, ordered by division, department, class_name,
--          seat_no, student_no, semester, outcome_id: outcome_id, student_no, name, division,
--          department, class_name, seat_no, semester, subject_name, teacher_code, teacher_name,
--          cert_status
with active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
),

latest_rows as (
    select
        student_no,
        arg_max(name, semester) as name,
        arg_max(department, semester) as department,
        arg_max(class_name, semester) as class_name,
        arg_max_null(seat_no, semester) as seat_no
    from students
    where school_year = $year
    group by student_no
),

selected_not_passed as (
    select
        outcome_id,
        student_no,
        semester,
        subject_name,
        teacher_code,
        cert_status
    from outcomes
    where school_year = $year
      and selected
      and cert_status <> '通過'
),

scoped as (
    select
        selected_not_passed.outcome_id,
        selected_not_passed.student_no,
        latest_rows.name,
        active_students.division,
        latest_rows.department,
        latest_rows.class_name,
        latest_rows.seat_no,
        selected_not_passed.semester,
        selected_not_passed.subject_name,
        selected_not_passed.teacher_code,
        staff.name as teacher_name,
        selected_not_passed.cert_status
    from selected_not_passed
    inner join active_students
        on active_students.student_no = selected_not_passed.student_no
    inner join latest_rows
        on latest_rows.student_no = selected_not_passed.student_no
    left join staff
        on staff.staff_code = selected_not_passed.teacher_code
    where ($department is null or latest_rows.department = $department)
      and ($class_name is null or latest_rows.class_name = $class_name)
),

final as (
    select *
    from scoped
    order by
        division,
        department,
        class_name,
        seat_no nulls last,
        student_no,
        semester,
        outcome_id
)

select * from final
