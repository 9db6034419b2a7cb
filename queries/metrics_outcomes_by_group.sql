-- purpose: 課程學習成果 figures of one semester over the active students A(S), for the whole
--          school or per 任課教師 / 科別 / 班級 (科別 and 班級 from the student's roster row of S).
--          On time = 認證時間 < end of the 教師認證 phase's last day, the phase being the
--          schedule row of S for the student's 部別, else the row with empty 部別; when any
--          row sent for certification in a group has no phase, its on_time_count is NULL.
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校),
--         $active_statuses VARCHAR[], $group_by VARCHAR (one of 'school', 'teacher',
--         'department', 'class'; chosen from an allow-list in dashboard/metrics.py)
-- returns: one row per group with at least one row: group_key, group_label (教師姓名 when
--          grouped by teacher, else NULL), uploaded_count, students_with_upload,
--          submitted_count, passed_count, failed_count, pending_count, on_time_count,
--          proxy_certified_count, students_over_cap
with semester_outcomes as (
    select
        student_no,
        teacher_code,
        cert_status,
        certified_at,
        certifier_code
    from outcomes
    where school_year = $year
      and semester = $semester
),

upload_cap as (
    select arg_max(value, effective_from_year) as cap
    from rules
    where key = 'outcome_upload_cap_per_semester'
      and effective_from_year <= $year
),

active_students as (
    select
        student_no,
        division,
        department,
        class_name
    from active_students_of_semester($year, $semester, $division, $active_statuses)
),

rows_per_student as (
    select
        student_no,
        count(*) as student_row_count
    from semester_outcomes
    group by student_no
),

judged_outcomes as (
    select
        semester_outcomes.student_no,
        semester_outcomes.teacher_code,
        semester_outcomes.cert_status,
        semester_outcomes.cert_status in ('通過', '未通過') as is_decided,
        semester_outcomes.certified_at,
        semester_outcomes.certifier_code,
        active_students.department,
        active_students.class_name,
        certification_phase.end_date as deadline_date,
        rows_per_student.student_row_count
    from semester_outcomes
    inner join active_students
        on active_students.student_no = semester_outcomes.student_no
    inner join rows_per_student
        on rows_per_student.student_no = semester_outcomes.student_no
    cross join lateral phase_end($year, $semester, active_students.division, '教師認證')
        as certification_phase
),

keyed_outcomes as (
    select
        *,
        case $group_by
            when 'teacher' then teacher_code
            when 'department' then department
            when 'class' then class_name
            else '全校'
        end as group_key
    from judged_outcomes
),

per_student as (
    select
        group_key,
        student_no,
        count(*) as uploaded_count,
        count(*) filter (where cert_status in ('認證中', '通過', '未通過')) as submitted_count,
        count(*) filter (where cert_status = '通過') as passed_count,
        count(*) filter (where cert_status = '未通過') as failed_count,
        count(*) filter (where cert_status = '認證中') as pending_count,
        count(*) filter (where cert_status in ('認證中', '通過', '未通過') and deadline_date is null) as unjudgeable_count,
        count(*) filter (
            where is_decided
              and on_time(certified_at, deadline_date)
        ) as on_time_count,
        count(*) filter (
            where is_decided
              and certifier_code is not null
              and certifier_code <> teacher_code
        ) as proxy_certified_count,
        any_value(student_row_count) as student_row_count
    from keyed_outcomes
    group by
        group_key,
        student_no
),

grouped as (
    select
        per_student.group_key,
        sum(per_student.uploaded_count)::bigint as uploaded_count,
        count(*) as students_with_upload,
        sum(per_student.submitted_count)::bigint as submitted_count,
        sum(per_student.passed_count)::bigint as passed_count,
        sum(per_student.failed_count)::bigint as failed_count,
        sum(per_student.pending_count)::bigint as pending_count,
        case
            when sum(per_student.unjudgeable_count) > 0 then null
            else sum(per_student.on_time_count)::bigint
        end as on_time_count,
        sum(per_student.proxy_certified_count)::bigint as proxy_certified_count,
        count(*) filter (where per_student.student_row_count > upload_cap.cap) as students_over_cap
    from per_student
    cross join upload_cap
    group by per_student.group_key
),

final as (
    select
        grouped.group_key,
        case when $group_by = 'teacher' then staff.name end as group_label,
        grouped.uploaded_count,
        grouped.students_with_upload,
        grouped.submitted_count,
        grouped.passed_count,
        grouped.failed_count,
        grouped.pending_count,
        grouped.on_time_count,
        grouped.proxy_certified_count,
        grouped.students_over_cap
    from grouped
    left join staff
        on staff.staff_code = grouped.group_key
    order by grouped.group_key
)

select * from final
