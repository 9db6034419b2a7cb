-- purpose: the failed sign-ins that count toward a lock-out (issue [8/11]: 5 in 15 minutes
--          per account and per address): an account's failures in the window since its last
--          successful sign-in, and an address's failures in the window
-- params: $username VARCHAR, $address VARCHAR (NULL: no address known), $since TIMESTAMP
--         (the window's start), $failed VARCHAR, $succeeded VARCHAR (the audit_log actions)
-- returns: one row: account_failures, address_failures (0 when $address is NULL)
with last_success as (
    select max(happened_at) as happened_at
    from audit_log
    where action = $succeeded
      and username = $username
),

final as (
    select
        count(*) filter (
            where audit_log.username = $username
              and audit_log.happened_at > coalesce(last_success.happened_at, $since)
        ) as account_failures,
        count(*) filter (
            where $address is not null
              and audit_log.address = $address
        ) as address_failures
    from audit_log
    cross join last_success
    where audit_log.action = $failed
      and audit_log.happened_at >= $since
)

select * from final
