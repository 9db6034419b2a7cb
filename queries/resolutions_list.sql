-- purpose: every resolution (a 決議 of a 討論事項 or 臨時動議) with its meeting and its current
--          status: the newest follow-up entry, not counting what meeting $exclude_meeting
--          reported (null counts every entry); 未執行 when nothing was reported yet
-- params: $exclude_meeting INTEGER
-- returns: one row per resolution, oldest meeting first: item_id, meeting_id, session_label,
--          held_on, school_year, semester, section, title, decision, topics, owner_unit,
--          due_date, metric_key, metric_year, metric_semester, metric_target, status, note,
--          status_by, status_at
with resolution_items as (
    select
        meeting_items.item_id,
        meeting_items.meeting_id,
        meetings.session_label,
        meetings.held_on,
        meetings.school_year,
        meetings.semester,
        meeting_items.section,
        meeting_items.position,
        meeting_items.title,
        meeting_items.decision,
        meeting_items.topics,
        meeting_items.owner_unit,
        meeting_items.due_date,
        meeting_items.metric_key,
        meeting_items.metric_year,
        meeting_items.metric_semester,
        meeting_items.metric_target
    from meeting_items
    inner join meetings
        on meeting_items.meeting_id = meetings.meeting_id
    where meeting_items.section in ('討論事項', '臨時動議')
      and coalesce(trim(meeting_items.decision), '') <> ''
),

counted_updates as (
    select
        item_id,
        status,
        note,
        updated_by,
        updated_at,
        row_number() over (
            partition by item_id
            order by
                updated_at desc,
                update_id desc
        ) as newest_first
    from resolution_updates
    where meeting_id is distinct from $exclude_meeting::integer
),

latest as (
    select
        item_id,
        status,
        note,
        updated_by,
        updated_at
    from counted_updates
    where newest_first = 1
),

final as (
    select
        resolution_items.item_id,
        resolution_items.meeting_id,
        resolution_items.session_label,
        resolution_items.held_on,
        resolution_items.school_year,
        resolution_items.semester,
        resolution_items.section,
        resolution_items.title,
        resolution_items.decision,
        resolution_items.topics,
        resolution_items.owner_unit,
        resolution_items.due_date,
        resolution_items.metric_key,
        resolution_items.metric_year,
        resolution_items.metric_semester,
        resolution_items.metric_target,
        coalesce(latest.status, '未執行') as status,
        latest.note,
        latest.updated_by as status_by,
        latest.updated_at as status_at
    from resolution_items
    left join latest
        on resolution_items.item_id = latest.item_id
    order by
        resolution_items.held_on,
        resolution_items.meeting_id,
        resolution_items.position
)

select * from final
