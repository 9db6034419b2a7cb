-- purpose: 課程諮詢 coverage of one semester: the active students A(S) and those with at least
--          one 課程諮詢紀錄 in it, per 部別, 科別 and 年級 of their roster row
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per 部別, 科別 and 年級 with active students, in that order: division,
--          department, grade, students_active, students_with_record
with final as (
    select
        division,
        department,
        grade,
        count(*) as students_active,
        count(*) filter (where has_record) as students_with_record
    from counselling_of_active_students($year, $semester, $division, $active_statuses)
    group by
        division,
        department,
        grade
    order by
        division,
        department,
        grade
)

select * from final
