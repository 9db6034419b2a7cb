-- purpose: the graduated cohorts still in the database (Art. 8), by 畢業學年度: every 學號 with a
--          roster row whose 學籍狀態 is 畢業 or whose 畢業學年度 is set (the macro
--          graduated_students, migration 009), with the cohorts already purged (purge_log)
--          beside them
-- params: none
-- returns: one row per 畢業學年度, newest last: graduation_year, students_count,
--          purged_students_count, last_purged_at
with live as (
    select
        graduation_year,
        count(*) as students_count
    from graduated_students()
    group by graduation_year
),

purged as (
    select
        purge_log.graduation_year,
        sum(archived_aggregates.students_count) as purged_students_count,
        max(purge_log.purged_at) as last_purged_at
    from purge_log
    left join archived_aggregates
        on archived_aggregates.purge_id = purge_log.purge_id
    group by purge_log.graduation_year
),

final as (
    select
        coalesce(live.graduation_year, purged.graduation_year) as graduation_year,
        coalesce(live.students_count, 0) as students_count,
        coalesce(purged.purged_students_count, 0) as purged_students_count,
        purged.last_purged_at
    from live
    full outer join purged
        on purged.graduation_year = live.graduation_year
    order by graduation_year
)

select * from final
