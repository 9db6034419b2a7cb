-- purpose: teacher commendation check for a 學年度: per 任課教師, the 課程學習成果 of both
--          semesters sent for certification (認證中 / 通過 / 未通過) by students active in that
--          row's semester, how many were decided on time (the 教師認證 phase of that semester for
--          the student's 部別, else the row with empty 部別; any decided row without a phase
--          makes on_time_count NULL), and whether the commendation rules in force that year are
--          met: submitted ≥ commendation_min_items and on_time / submitted ≥
--          commendation_on_time_rate, compared exactly in decimals (NULL on time = not eligible)
-- params: $year INTEGER, $active_statuses VARCHAR[]
-- returns: one row per teacher with at least one submitted item, ordered by teacher_code:
--          teacher_code, teacher_name (NULL when not in 教職員名冊), submitted_count,
--          on_time_count, eligible
with commendation_rules as (
    select
        rule_in_force('commendation_min_items', $year) as min_items,
        rule_in_force('commendation_on_time_rate', $year) as min_on_time_rate
),

-- the 課程學習成果 of both semesters, each by the active students A(S) of its own semester
year_outcomes as (
    select *
    from active_outcomes_of_semester($year, 1, null, $active_statuses)
    union all
    select *
    from active_outcomes_of_semester($year, 2, null, $active_statuses)
),

judged_outcomes as (
    select
        teacher_code,
        cert_status in ('通過', '未通過') as is_decided,
        certified_at,
        deadline_date
    from year_outcomes
    where cert_status in ('認證中', '通過', '未通過')
),

per_teacher as (
    select
        teacher_code,
        count(*) as submitted_count,
        case
            when bool_or(deadline_date is null) then null
            else count(*) filter (
                where is_decided
                  and on_time(certified_at, deadline_date)
            )
        end as on_time_count
    from judged_outcomes
    group by teacher_code
),

final as (
    select
        per_teacher.teacher_code,
        staff.name as teacher_name,
        per_teacher.submitted_count,
        per_teacher.on_time_count,
        coalesce(
            per_teacher.submitted_count >= commendation_rules.min_items
            and cast(per_teacher.on_time_count as decimal(18, 4))
                >= per_teacher.submitted_count * cast(commendation_rules.min_on_time_rate as decimal(18, 4)),
            false
        ) as eligible
    from per_teacher
    cross join commendation_rules
    left join staff
        on staff.staff_code = per_teacher.teacher_code
    order by per_teacher.teacher_code
)

select * from final
