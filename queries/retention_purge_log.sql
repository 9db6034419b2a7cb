-- purpose: the purges done under Art. 8, newest first, with the anonymous counts each kept
-- params: none
-- returns: one row per purge: purge_id, graduation_year, sealed_until, decided_on, purged_at,
--          purged_by, confirmation, rows_removed, aggregates
with log as (
    select
        purge_id,
        graduation_year,
        sealed_until,
        decided_on,
        purged_at,
        purged_by,
        confirmation,
        cast(rows_removed as varchar) as rows_removed,
        cast(aggregates as varchar) as aggregates
    from purge_log
),

final as (
    select *
    from log
    order by
        purged_at desc,
        purge_id desc
)

select * from final
