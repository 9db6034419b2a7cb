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
with upload_cap as (
    select rule_in_force('outcome_upload_cap_per_semester', $year) as cap
),

per_student as (
    select *
    from outcome_counts_per_student($year, $semester, $division, $active_statuses, $group_by)
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
