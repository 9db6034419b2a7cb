-- purpose: the pending (認證中) 課程學習成果 of one semester by the active students A(S), one
--          row per item, for the reminder lists: the student's roster row of S (班級, 座號,
--          姓名, 部別), the course, when it was sent, how long it has waited (calendar days from
--          the day of 送出認證時間 to the day of 資料截至; NULL when 送出認證時間 is empty) and
--          the 教師認證 deadline for the student's 部別 (else the row with empty 部別)
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校),
--         $active_statuses VARCHAR[], $as_of TIMESTAMP (資料截至)
-- returns: one row per pending item in class order (部別, 年級, 科別, 甲乙丙 order of the
--          class, 班級), then 學號: outcome_id, teacher_code, teacher_name (NULL when not in
--          教職員名冊), student_no, student_name, division, class_name, seat_no, course_code,
--          subject_name (from 開課資料 when the row has none), submitted_at, waiting_days,
--          deadline_date
with pending_outcomes as (
    select *
    from active_outcomes_of_semester($year, $semester, $division, $active_statuses)
    where cert_status = '認證中'
),

roster as (
    select
        student_no,
        name,
        seat_no
    from students
    where school_year = $year
      and semester = $semester
),

offerings as (
    select
        course_code,
        class_name,
        subject_name
    from course_offerings
    where school_year = $year
      and semester = $semester
),

final as (
    select
        pending_outcomes.outcome_id,
        pending_outcomes.teacher_code,
        staff.name as teacher_name,
        pending_outcomes.student_no,
        roster.name as student_name,
        pending_outcomes.division,
        pending_outcomes.class_name,
        roster.seat_no,
        pending_outcomes.course_code,
        coalesce(pending_outcomes.subject_name, offerings.subject_name) as subject_name,
        pending_outcomes.submitted_at,
        days_waited(pending_outcomes.submitted_at, $as_of) as waiting_days,
        pending_outcomes.deadline_date
    from pending_outcomes
    inner join roster
        on roster.student_no = pending_outcomes.student_no
    left join offerings
        on offerings.course_code = pending_outcomes.course_code
       and offerings.class_name = pending_outcomes.class_name
    left join staff
        on staff.staff_code = pending_outcomes.teacher_code
    order by
        pending_outcomes.division,
        pending_outcomes.grade,
        pending_outcomes.department,
        strpos('甲乙丙丁戊己庚辛壬癸', right(pending_outcomes.class_name, 1)),
        pending_outcomes.class_name,
        pending_outcomes.student_no,
        pending_outcomes.submitted_at,
        pending_outcomes.outcome_id
)

select * from final
