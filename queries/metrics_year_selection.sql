-- purpose: 勾選 of a 學年度 by the active students A(Y): selected 課程學習成果 (both semesters)
--          and 多元表現, who selected anything, who exceeds the selection caps in force that
--          year, and selected outcomes that are not 通過
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: outcomes_selected_count, diverse_selected_count, students_with_selection,
--          students_over_outcome_cap, students_over_diverse_cap, selected_not_passed_count
with selected_outcomes as (
    select
        student_no,
        cert_status
    from outcomes
    where school_year = $year
      and selected
),

selected_diverse as (
    select student_no
    from diverse
    where school_year = $year
      and selected
),

selection_caps as (
    select
        rule_in_force('outcome_selection_cap_per_year', $year) as outcome_cap,
        rule_in_force('diverse_selection_cap_per_year', $year) as diverse_cap
),

active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
),

outcomes_per_student as (
    select
        selected_outcomes.student_no,
        count(*) as selected_count,
        count(*) filter (where selected_outcomes.cert_status <> '通過') as not_passed_count
    from selected_outcomes
    inner join active_students
        on active_students.student_no = selected_outcomes.student_no
    group by selected_outcomes.student_no
),

diverse_per_student as (
    select
        selected_diverse.student_no,
        count(*) as selected_count
    from selected_diverse
    inner join active_students
        on active_students.student_no = selected_diverse.student_no
    group by selected_diverse.student_no
),

per_student as (
    select
        coalesce(outcomes_per_student.student_no, diverse_per_student.student_no) as student_no,
        coalesce(outcomes_per_student.selected_count, 0) as outcomes_selected_count,
        coalesce(outcomes_per_student.not_passed_count, 0) as selected_not_passed_count,
        coalesce(diverse_per_student.selected_count, 0) as diverse_selected_count
    from outcomes_per_student
    full outer join diverse_per_student
        on diverse_per_student.student_no = outcomes_per_student.student_no
),

final as (
    select
        coalesce(sum(per_student.outcomes_selected_count), 0)::bigint as outcomes_selected_count,
        coalesce(sum(per_student.diverse_selected_count), 0)::bigint as diverse_selected_count,
        count(per_student.student_no) as students_with_selection,
        count(*) filter (
            where per_student.outcomes_selected_count > selection_caps.outcome_cap
        ) as students_over_outcome_cap,
        count(*) filter (
            where per_student.diverse_selected_count > selection_caps.diverse_cap
        ) as students_over_diverse_cap,
        coalesce(sum(per_student.selected_not_passed_count), 0)::bigint as selected_not_passed_count
    from selection_caps
    left join per_student
        on true
)

select * from final
