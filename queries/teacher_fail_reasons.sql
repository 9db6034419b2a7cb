-- purpose: the 未通過原因 distribution per 任課教師 of one semester: the 未通過 課程學習成果 of S
--          by the active students A(S), counted by reason code (the two digits the platform
--          gives: 01 非本課程相關主題成果, 02 無法查證成果可信度, 03 請加強成果內容正確性,
--          04 請增加成果內容豐富度)
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = 全校),
--         $active_statuses VARCHAR[]
-- returns: one row per teacher and reason with at least one 未通過 row, ordered by
--          teacher_code and reason_code: teacher_code, reason_code (NULL when no reason was
--          recorded), failed_count
with coded as (
    select
        teacher_code,
        nullif(split_part(fail_reason, ' ', 1), '') as reason_code
    from active_outcomes_of_semester($year, $semester, $division, $active_statuses)
    where cert_status = '未通過'
),

final as (
    select
        teacher_code,
        reason_code,
        count(*) as failed_count
    from coded
    group by
        teacher_code,
        reason_code
    order by
        teacher_code,
        reason_code nulls last
)

select * from final
