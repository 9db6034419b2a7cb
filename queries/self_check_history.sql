-- purpose: every recorded 自我檢核 of one 作業期程 row (Art. 5), newest first: a 未達成 check
--          is followed by a re-check, and the page shows the whole trail
-- params: $year INTEGER, $semester INTEGER, $division VARCHAR (NULL = the row for both
--         divisions), $phase VARCHAR
-- returns: one row per recorded check, newest first: result, note, figures (JSON text),
--          figures_as_of, recorded_by, recorded_at
with final as (
    select
        result,
        note,
        figures,
        figures_as_of,
        recorded_by,
        recorded_at
    from self_checks
    where school_year = $year
      and semester = $semester
      and division is not distinct from $division
      and phase = $phase
    order by recorded_at desc
)

select * from final
