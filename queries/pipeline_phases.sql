-- purpose: the 作業期程 rows of a 學年度 (both semesters), for the semester pipeline: one row
--          per (學期, 部別, 項目); division NULL = the row for both divisions (a row for one
--          division overrides it); end_date is inclusive
-- params: $year INTEGER
-- returns: one row per phase row, ordered by semester, start_date, phase, division:
--          semester, division, phase, start_date, end_date
with per_phase as (
    select
        semester,
        division,
        phase,
        min(start_date) as start_date,
        max(end_date) as end_date
    from schedule
    where school_year = $year
    group by
        semester,
        division,
        phase
),

final as (
    select *
    from per_phase
    order by
        semester,
        start_date,
        phase,
        division nulls first
)

select * from final
