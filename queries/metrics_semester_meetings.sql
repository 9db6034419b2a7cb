-- purpose: working-group meetings held inside one semester (semester 1 = Aug 1 – Jan 31,
--          semester 2 = Feb 1 – Jul 31 of the ROC year); the group serves both 部別
-- params: $year INTEGER, $semester INTEGER
-- returns: one row: meeting_count
with semester_bounds as (
    select
        case
            when $semester = 1 then make_date($year + 1911, 8, 1)
            else make_date($year + 1912, 2, 1)
        end as first_day,
        case
            when $semester = 1 then make_date($year + 1912, 2, 1)
            else make_date($year + 1912, 8, 1)
        end as day_after_last
),

held as (
    select meetings.meeting_id
    from meetings
    cross join semester_bounds
    where meetings.held_on >= semester_bounds.first_day
      and meetings.held_on < semester_bounds.day_after_last
),

final as (
    select count(*) as meeting_count
    from held
)

select * from final
