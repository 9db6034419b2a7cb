-- purpose: what the 教師認證 page adds, per 任課教師 of one semester, to the teacher breakdown of
--          metrics_outcomes_by_group (same rows: outcomes of S by the active students A(S),
--          grouped by outcomes.teacher_code): the teacher's 教職員名冊 row, and the pending
--          (認證中) items by age, by the student's 部別 and by deadline. Age = calendar days from
--          the day of 送出認證時間 to the day of 資料截至 (NULL when 送出認證時間 is empty); the
--          deadline is the end of the 教師認證 phase of S for the student's 部別, else the row
--          with empty 部別 (NULL when there is none)
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校),
--         $active_statuses VARCHAR[], $as_of TIMESTAMP (資料截至)
-- returns: one row per teacher with at least one row by an active student, ordered by
--          teacher_code: teacher_code, teacher_name, unit, employment_status,
--          account_disabled_on, in_staff (false when the code is not in 教職員名冊),
--          pending_count, pending_within_7_count (age ≤ 7), pending_8_to_14_count,
--          pending_over_14_count (age > 14), pending_unknown_age_count, oldest_pending_days,
--          pending_day_count (日間部 students' items), pending_continuing_count (進修部),
--          deadline_date (the earliest deadline among the pending items)
with teacher_outcomes as (
    select
        teacher_code,
        cert_status = '認證中' as is_pending,
        division,
        days_waited(submitted_at, $as_of) as waiting_days,
        deadline_date
    from active_outcomes_of_semester($year, $semester, $division, $active_statuses)
),

per_teacher as (
    select
        teacher_code,
        count(*) filter (where is_pending) as pending_count,
        count(*) filter (where is_pending and waiting_days <= 7) as pending_within_7_count,
        count(*) filter (where is_pending and waiting_days between 8 and 14) as pending_8_to_14_count,
        count(*) filter (where is_pending and waiting_days > 14) as pending_over_14_count,
        count(*) filter (where is_pending and waiting_days is null) as pending_unknown_age_count,
        max(waiting_days) filter (where is_pending) as oldest_pending_days,
        count(*) filter (where is_pending and division = '日間部') as pending_day_count,
        count(*) filter (where is_pending and division = '進修部') as pending_continuing_count,
        min(deadline_date) filter (where is_pending) as deadline_date
    from teacher_outcomes
    group by teacher_code
),

final as (
    select
        per_teacher.teacher_code,
        staff.name as teacher_name,
        staff.unit,
        staff.employment_status,
        staff.account_disabled_on,
        staff.staff_code is not null as in_staff,
        per_teacher.pending_count,
        per_teacher.pending_within_7_count,
        per_teacher.pending_8_to_14_count,
        per_teacher.pending_over_14_count,
        per_teacher.pending_unknown_age_count,
        per_teacher.oldest_pending_days,
        per_teacher.pending_day_count,
        per_teacher.pending_continuing_count,
        per_teacher.deadline_date
    from per_teacher
    left join staff
        on staff.staff_code = per_teacher.teacher_code
    order by per_teacher.teacher_code
)

select * from final
