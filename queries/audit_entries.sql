-- purpose: the audit log for the 稽核紀錄 page (issue [8/11] build 4): the entries of a period,
--          optionally of one account and of chosen actions, newest first, at most $max_rows of
--          them, each carrying how many entries match in all
-- params: $first_day DATE, $last_day DATE (both days included, school time), $account VARCHAR
--         (NULL: every account), $actions VARCHAR[] (NULL: every action), $max_rows INTEGER
-- returns: one row per entry: entry_id, happened_at, username, action, detail, page, address,
--          matching (entries matching the filter, before $max_rows cuts them)
with chosen as (
    select
        entry_id,
        happened_at,
        username,
        action,
        detail,
        page,
        address
    from audit_log
    where happened_at >= $first_day
      and happened_at < $last_day + interval 1 day
      and ($account is null or username = $account)
      and ($actions is null or list_contains($actions, action))
),

final as (
    select
        *,
        count(*) over () as matching
    from chosen
    order by happened_at desc, entry_id desc
    limit $max_rows
)

select * from final
