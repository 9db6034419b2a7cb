-- purpose: a meeting's 列席 guests in the order they were entered
-- params: $meeting_id INTEGER
-- returns: one row per guest, by position: position, guest_name, guest_title
with guests as (
    select
        position,
        guest_name,
        guest_title
    from meeting_guests
    where meeting_id = $meeting_id
),

final as (
    select
        position,
        guest_name,
        guest_title
    from guests
    order by position
)

select * from final
