-- purpose: the working group's meetings (of one 學年度, or all when $year is null) for the
--          meeting list, with attendance and resolution counts
-- params: $year INTEGER
-- returns: one row per meeting, newest first: meeting_id, school_year, semester, sequence_no,
--          session_label, held_on, place, status, version, present_count, item_count,
--          resolution_count
with chosen as (
    select *
    from meetings
    where $year::integer is null
       or school_year = $year::integer
),

present as (
    select
        meeting_id,
        count(*) as present_count
    from meeting_attendance
    where attendance in ('出席', '代理')
    group by meeting_id
),

items as (
    select
        meeting_id,
        count(*) as item_count,
        count(*) filter (
            where section in ('討論事項', '臨時動議')
              and coalesce(trim(decision), '') <> ''
        ) as resolution_count
    from meeting_items
    group by meeting_id
),

final as (
    select
        chosen.meeting_id,
        chosen.school_year,
        chosen.semester,
        chosen.sequence_no,
        chosen.session_label,
        chosen.held_on,
        chosen.place,
        chosen.status,
        chosen.version,
        coalesce(present.present_count, 0) as present_count,
        coalesce(items.item_count, 0) as item_count,
        coalesce(items.resolution_count, 0) as resolution_count
    from chosen
    left join present
        on chosen.meeting_id = present.meeting_id
    left join items
        on chosen.meeting_id = items.meeting_id
    order by
        chosen.held_on desc,
        chosen.sequence_no desc
)

select * from final
