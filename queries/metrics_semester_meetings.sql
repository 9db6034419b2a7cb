-- purpose: working-group meetings held inside one semester (semester 1 = Aug 1 – Jan 31,
--          semester 2 = Feb 1 – Jul 31 of the ROC year); the group serves both 部別
-- params: $year INTEGER, $semester INTEGER
-- returns: one row: meeting_count
with held as (
    select meetings.meeting_id
    from meetings
    cross join semester_days($year, $semester) as semester_window
    where meetings.held_on between semester_window.first_day and semester_window.last_day
),

final as (
    select count(*) as meeting_count
    from held
)

select * from final
