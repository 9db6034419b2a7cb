-- purpose: what a meeting reported as 上次會議決議執行情形 (its own follow-up entries)
-- params: $meeting_id INTEGER
-- returns: one row per reported resolution, by the resolution's meeting date then item:
--          item_id, status, note
with reported as (
    select
        resolution_updates.item_id,
        resolution_updates.status,
        resolution_updates.note,
        meetings.held_on,
        meeting_items.position
    from resolution_updates
    inner join meeting_items
        on resolution_updates.item_id = meeting_items.item_id
    inner join meetings
        on meeting_items.meeting_id = meetings.meeting_id
    where resolution_updates.meeting_id = $meeting_id
),

final as (
    select
        item_id,
        status,
        note
    from reported
    order by
        held_on,
        position
)

select * from final
