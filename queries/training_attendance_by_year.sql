-- purpose: 研習場次 and their attendance per 學年度 and 類型 over every year on record (Art. 10),
--          for the trend chart; every 類型 appears for every year that has any session
-- params: none
-- returns: one row per (學年度, 類型), by year then the regulation's order of types:
--          school_year, training_kind, session_count, attendance_total (sum of the stated
--          參加人數, NULL when none is stated), attendance_missing_count (sessions without 參加人數)
with years as (
    select distinct school_year
    from trainings
),

per_kind as (
    select
        school_year,
        kind,
        count(*) as session_count,
        sum(attendance) as attendance_total,
        count(*) filter (where attendance is null) as attendance_missing_count
    from trainings
    group by
        school_year,
        kind
),

final as (
    select
        years.school_year,
        training_kinds.training_kind,
        coalesce(per_kind.session_count, 0) as session_count,
        per_kind.attendance_total,
        coalesce(per_kind.attendance_missing_count, 0) as attendance_missing_count
    from years
    cross join training_kinds() as training_kinds
    left join per_kind
        on per_kind.school_year = years.school_year
        and per_kind.kind = training_kinds.training_kind
    order by
        years.school_year,
        training_kinds.kind_order
)

select * from final
