-- purpose: the 自我檢核 of the 作業期程 (Art. 5): every stored schedule row that has a
--          自我檢核日期, with its latest recorded check; division NULL = the row for both
--          divisions, and overriding_divisions names the divisions that have a row of their own
--          for the same 項目 (the general row does not serve them)
-- params: $year INTEGER (NULL = every 學年度), $semester INTEGER (NULL = both semesters)
-- returns: one row per schedule row with a self-check date, by self_check_date: school_year,
--          semester, division, phase, start_date, end_date, self_check_date, unit,
--          overriding_divisions (VARCHAR[], empty unless division is NULL), record_count, result,
--          note, figures (JSON text), figures_as_of, recorded_by, recorded_at (NULL when never
--          checked)
with checked_rows as (
    select
        school_year,
        semester,
        division,
        phase,
        start_date,
        end_date,
        self_check_date,
        unit
    from schedule
    where self_check_date is not null
      and ($year is null or school_year = $year)
      and ($semester is null or semester = $semester)
),

division_rows as (
    select
        school_year,
        semester,
        phase,
        list(distinct division order by division) as divisions
    from schedule
    where division is not null
    group by
        school_year,
        semester,
        phase
),

latest_checks as (
    select
        school_year,
        semester,
        division,
        phase,
        result,
        note,
        figures,
        figures_as_of,
        recorded_by,
        recorded_at,
        count(*) over (partition by school_year, semester, division, phase) as record_count
    from self_checks
    qualify row_number() over (
        partition by school_year, semester, division, phase
        order by recorded_at desc
    ) = 1
),

final as (
    select
        checked_rows.school_year,
        checked_rows.semester,
        checked_rows.division,
        checked_rows.phase,
        checked_rows.start_date,
        checked_rows.end_date,
        checked_rows.self_check_date,
        checked_rows.unit,
        case
            when checked_rows.division is null then coalesce(division_rows.divisions, [])
            else []
        end::varchar[] as overriding_divisions,
        coalesce(latest_checks.record_count, 0) as record_count,
        latest_checks.result,
        latest_checks.note,
        latest_checks.figures,
        latest_checks.figures_as_of,
        latest_checks.recorded_by,
        latest_checks.recorded_at
    from checked_rows
    left join division_rows
        on division_rows.school_year = checked_rows.school_year
        and division_rows.semester = checked_rows.semester
        and division_rows.phase = checked_rows.phase
    left join latest_checks
        on latest_checks.school_year = checked_rows.school_year
        and latest_checks.semester = checked_rows.semester
        and latest_checks.division is not distinct from checked_rows.division
        and latest_checks.phase = checked_rows.phase
    order by
        checked_rows.self_check_date,
        checked_rows.school_year,
        checked_rows.semester,
        checked_rows.start_date,
        checked_rows.phase,
        checked_rows.division nulls first
)

select * from final
