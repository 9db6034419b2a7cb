-- purpose: the items of one meeting whose follow-up other meetings reported (such an item must
--          keep its 決議, or those meetings' 上次會議決議執行情形 would lose a row)
-- params: $meeting_id INTEGER
-- returns: one row per such item: item_id, reported_in (the first reporting meeting's label)
with own_items as (
    select item_id
    from meeting_items
    where meeting_id = $meeting_id
),

reports as (
    select
        resolution_updates.item_id,
        meetings.session_label,
        meetings.held_on
    from resolution_updates
    inner join own_items
        on resolution_updates.item_id = own_items.item_id
    inner join meetings
        on resolution_updates.meeting_id = meetings.meeting_id
    where resolution_updates.meeting_id <> $meeting_id
),

final as (
    select
        item_id,
        arg_min(session_label, held_on) as reported_in
    from reports
    group by item_id
    order by item_id
)

select * from final
