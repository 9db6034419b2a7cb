-- purpose: 勾選 of a 學年度 by the active students A(Y): selected 課程學習成果 (both semesters)
--          and 多元表現, who selected anything, who exceeds the selection caps in force that
--          year, and selected outcomes that are not 通過
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: outcomes_selected_count, diverse_selected_count, students_with_selection,
--          students_over_outcome_cap, students_over_diverse_cap, selected_not_passed_count
with selection_caps as (
    select
        rule_in_force('outcome_selection_cap_per_year', $year) as outcome_cap,
        rule_in_force('diverse_selection_cap_per_year', $year) as diverse_cap
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
    left join selection_counts_per_student($year, $division, $active_statuses) as per_student
        on true
)

select * from final
