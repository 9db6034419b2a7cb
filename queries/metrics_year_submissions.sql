-- purpose: the school's 提交紀錄 of a 學年度, each judged against its 學校提交 phase: the
--          schedule row for (學年度, 學期 — semester 2 for per-year rosters of 學期 0, the
--          submission's 部別), else the row with empty 部別; no phase = on_time NULL
-- params: $year INTEGER, $division VARCHAR (NULL = 全校)
-- returns: one row per submission, in order of 提交時間: roster, division, semester, batch,
--          submitted_at, result, deadline_date, on_time
with final as (
    select
        year_submissions.roster,
        year_submissions.division,
        year_submissions.semester,
        year_submissions.batch,
        year_submissions.submitted_at,
        year_submissions.result,
        submission_phase.end_date as deadline_date,
        on_time(year_submissions.submitted_at, submission_phase.end_date) as on_time
    from submissions_of_year($year, $division) as year_submissions
    cross join lateral phase_end($year, year_submissions.semester, year_submissions.division, '學校提交')
        as submission_phase
    order by
        year_submissions.submitted_at,
        year_submissions.semester,
        year_submissions.division,
        year_submissions.roster,
        year_submissions.batch
)

select * from final
