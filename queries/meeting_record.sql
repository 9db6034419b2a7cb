-- purpose: one working-group meeting's header fields (the 會議紀錄 without its lists)
-- params: $meeting_id INTEGER
-- returns: zero or one row: meeting_id, school_year, semester, sequence_no, session_label,
--          held_on, start_time, end_time, place, chair, recorder, status, version, created_by,
--          created_at, updated_by, updated_at, confirmed_by, confirmed_at
with meeting as (
    select
        meeting_id,
        school_year,
        semester,
        sequence_no,
        session_label,
        held_on,
        start_time,
        end_time,
        place,
        chair,
        recorder,
        status,
        version,
        created_by,
        created_at,
        updated_by,
        updated_at,
        confirmed_by,
        confirmed_at
    from meetings
    where meeting_id = $meeting_id
),

final as (
    select *
    from meeting
)

select * from final
