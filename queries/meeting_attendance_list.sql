-- purpose: a meeting's attendance, one row per seat of the working group
-- params: $meeting_id INTEGER
-- returns: one row per seat, by seat_no: seat_no, person_name, attendance, deputy_name
with attendance as (
    select
        seat_no,
        person_name,
        attendance,
        deputy_name
    from meeting_attendance
    where meeting_id = $meeting_id
),

final as (
    select
        seat_no,
        person_name,
        attendance,
        deputy_name
    from attendance
    order by seat_no
)

select * from final
