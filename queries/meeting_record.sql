-- purpose: one working-group meeting's header fields (the 會議紀錄 without its lists)
-- params: $meeting_id INTEGER
-- returns: zero or one row: meeting_id, school_year, semester, sequence_no, session_label,
--          held_on, start_time, end_time, place, chair, recorder, status, version, created_by,
--          created_at, updated_by, updated_at, confirmed_by, confirmed_at, updated_by_name,
--          confirmed_by_name (the accounts' display names, or the username when gone)
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
    select
        meeting.*,
        coalesce(editor.display_name, meeting.updated_by, meeting.created_by) as updated_by_name,
        coalesce(confirmer.display_name, meeting.confirmed_by) as confirmed_by_name
    from meeting
    left join users as editor
        on coalesce(meeting.updated_by, meeting.created_by) = editor.username
    left join users as confirmer
        on meeting.confirmed_by = confirmer.username
)

select * from final
