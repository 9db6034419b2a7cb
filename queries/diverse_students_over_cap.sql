-- purpose: active students of a 學年度 (A(Y)) with more 多元表現 than diverse_upload_cap_per_year,
--          or more selected 多元表現 than diverse_selection_cap_per_year (the rules in force that
--          year), with the name and class of their latest roster row in the year
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per student over either cap, by class then 學號: student_no, student_name,
--          class_name, uploaded_count, upload_cap, selected_count, selection_cap
with caps as (
    select
        rule_in_force('diverse_upload_cap_per_year', $year) as upload_cap,
        rule_in_force('diverse_selection_cap_per_year', $year) as selection_cap
),

final as (
    select
        per_student.student_no,
        roster.name as student_name,
        roster.class_name,
        per_student.uploaded_count,
        caps.upload_cap,
        per_student.selected_count,
        caps.selection_cap
    from diverse_counts_per_student($year, $division, $active_statuses) as per_student
    cross join caps
    left join latest_roster_rows($year) as roster
        on roster.student_no = per_student.student_no
    where per_student.uploaded_count > caps.upload_cap
       or per_student.selected_count > caps.selection_cap
    order by
        roster.class_name,
        per_student.student_no
)

select * from final
