-- purpose: 多元表現 of a 學年度 by the active students A(Y), per category of the central
--          database's ten lists: items, students with at least one item, selected items
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per category with at least one item, by category: category, item_count,
--          students_with_item, selected_count
with active_diverse as (
    select
        diverse.student_no,
        diverse.category,
        diverse.selected
    from diverse
    inner join active_students_of_year($year, $division, $active_statuses) as active_students
        on active_students.student_no = diverse.student_no
    where diverse.school_year = $year
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
