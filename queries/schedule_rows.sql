-- purpose: every stored 作業期程 row of one semester, for the schedule editor and its published
--          page / calendar / workbook; division NULL = the general row for both divisions (a row
--          for one division overrides it); end_date is inclusive; import_id NULL = entered by form
-- params: $year INTEGER, $semester INTEGER
-- returns: one row per stored schedule row, general rows first, then by start date (the
--          callers put phases in the regulation's order): division, phase, start_date, end_date,
--          self_check_date, unit, entered_by, entered_at, import_id
with final as (
    select
        division,
        phase,
        start_date,
        end_date,
        self_check_date,
        unit,
        entered_by,
        entered_at,
        import_id
    from schedule
    where school_year = $year
      and semester = $semester
    order by
        division nulls first,
        start_date,
        phase
)

select * from final
