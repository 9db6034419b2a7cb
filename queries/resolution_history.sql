-- purpose: the follow-up history of one resolution, with the meeting that reported each entry
-- params: $item_id INTEGER
-- returns: one row per entry, oldest first: status, note, updated_by, updated_at, reported_in
with entries as (
    select
        resolution_updates.update_id,
        resolution_updates.status,
        resolution_updates.note,
        resolution_updates.updated_by,
        resolution_updates.updated_at,
        meetings.session_label as reported_in
    from resolution_updates
    left join meetings
        on resolution_updates.meeting_id = meetings.meeting_id
    where resolution_updates.item_id = $item_id
),

final as (
    select
        status,
        note,
        updated_by,
        updated_at,
        reported_in
    from entries
    order by
        updated_at,
        update_id
)

select * from final
