-- purpose: who created, changed, confirmed and unlocked a meeting's minutes, and why
-- params: $meeting_id INTEGER
-- returns: one row per action, oldest first: action, version, reason, done_by, done_at
with final as (
    select
        action,
        version,
        reason,
        done_by,
        done_at
    from meeting_events
    where meeting_id = $meeting_id
    order by
        done_at,
        version
)

select * from final
