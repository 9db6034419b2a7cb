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
with scoped as (
    select
        outcomes.outcome_id,
        outcomes.student_no,
        students.name,
        students.division,
        students.department,
        students.class_name,
        students.seat_no,
        outcomes.semester,
        outcomes.subject_name,
        outcomes.teacher_code,
        staff.name as teacher_name,
        outcomes.cert_status
    from outcomes
    inner join active_latest_rows_of_year($year, $division, $active_statuses) as students
        on students.student_no = outcomes.student_no
    left join staff
        on staff.staff_code = outcomes.teacher_code
    where outcomes.school_year = $year
      and outcomes.selected
      and outcomes.cert_status <> '通過'
      and ($department is null or students.department = $department)
      and ($class_name is null or students.class_name = $class_name)
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
