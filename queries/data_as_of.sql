-- purpose: 資料截至, the newest export time among imports (falls back to the import time)
-- params: none
-- returns: one row: as_of (TIMESTAMP, NULL when nothing was imported)
with logged as (
    select coalesce(exported_at, imported_at) as stamp
    from imports
),

final as (
    select max(stamp) as as_of
    from logged
)

select * from final
