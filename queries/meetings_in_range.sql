-- purpose: the meetings held between two dates (a semester's), for the compliance panel
-- params: $first_day DATE, $last_day DATE
-- returns: one row per meeting, oldest first: meeting_id, session_label, held_on, status
with held as (
    select
        meeting_id,
        session_label,
        held_on,
        status
    from meetings
    where held_on between $first_day and $last_day
),

final as (
    select
        meeting_id,
        session_label,
        held_on,
        status
    from held
    order by held_on
)

select * from final
