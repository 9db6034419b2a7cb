-- purpose: the 提交紀錄 rows of a 學年度 with what metrics_year_submissions leaves out (提交單位,
--          提交人代碼, 筆數), keyed like it, so the 提交 page can add them to metrics.year_metrics
-- params: $year INTEGER, $division VARCHAR (NULL = 全校)
-- returns: one row per submission, in order of 提交時間: roster, division, semester, batch,
--          submitted_at, unit, submitted_by, row_count
with final as (
    select
        roster,
        division,
        semester,
        batch,
        submitted_at,
        unit,
        submitted_by,
        row_count
    from submissions_of_year($year, $division)
    order by
        submitted_at,
        semester,
        division,
        roster,
        batch
)

select * from final
