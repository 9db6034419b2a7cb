-- purpose: active students of one semester with at least one 課程諮詢紀錄 in it
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: students_with_record
with final as (
    select count(*) filter (where has_record) as students_with_record
    from counselling_of_active_students($year, $semester, $division, $active_statuses)
)

select * from final
