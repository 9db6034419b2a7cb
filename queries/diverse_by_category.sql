-- purpose: 多元表現 of a 學年度 by the active students A(Y), per category of the central
--          database's ten lists: items, students with at least one item, selected items
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per category with at least one item, by category: category, item_count,
--          students_with_item, selected_count
with year_diverse as (
    select
        student_no,
        category,
        selected
    from diverse
    where school_year = $year
),

active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
),

active_diverse as (
    select
        year_diverse.student_no,
        year_diverse.category,
        year_diverse.selected
    from year_diverse
    inner join active_students
        on active_students.student_no = year_diverse.student_no
),

final as (
    select
        category,
        count(*) as item_count,
        count(distinct student_no) as students_with_item,
        count(*) filter (where selected) as selected_count
    from active_diverse
    group by category
    order by category
)

select * from final
