-- purpose: 資料截至, the newest export time among imports not undone (falls back to the import time)
-- params: none
-- returns: one row: as_of (TIMESTAMP, NULL when nothing was imported)
with logged as (
    select coalesce(exported_at, imported_at) as stamp
    from imports
    where batch_id not in (
        select batch_id
        from import_batches
        where undone_at is not null
    )
),

final as (
    select max(stamp) as as_of
    from logged
)

select * from final
