-- purpose: active students of a 學年度 (A(Y)) with more 多元表現 than diverse_upload_cap_per_year,
--          or more selected 多元表現 than diverse_selection_cap_per_year (the rules in force that
--          year), with the name and class of their latest roster row in the year
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per student over either cap, by class then 學號: student_no, student_name,
--          class_name, uploaded_count, upload_cap, selected_count, selection_cap
with year_diverse as (
    select
        student_no,
        selected
    from diverse
    where school_year = $year
),

caps as (
    select
        rule_in_force('diverse_upload_cap_per_year', $year) as upload_cap,
        rule_in_force('diverse_selection_cap_per_year', $year) as selection_cap
),

active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
),

roster as (
    select
        student_no,
        arg_max(name, semester) as student_name,
        arg_max(class_name, semester) as class_name
    from students
    where school_year = $year
    group by student_no
),

per_student as (
    select
        year_diverse.student_no,
        count(*) as uploaded_count,
        count(*) filter (where year_diverse.selected) as selected_count
    from year_diverse
    inner join active_students
        on active_students.student_no = year_diverse.student_no
    group by year_diverse.student_no
),

final as (
    select
        per_student.student_no,
        roster.student_name,
        roster.class_name,
        per_student.uploaded_count,
        caps.upload_cap,
        per_student.selected_count,
        caps.selection_cap
    from per_student
    cross join caps
    left join roster
        on roster.student_no = per_student.student_no
    where per_student.uploaded_count > caps.upload_cap
       or per_student.selected_count > caps.selection_cap
    order by
        roster.class_name,
        per_student.student_no
)

select * from final
