-- purpose: every resolution (a 決議 of a 討論事項 or 臨時動議) with its meeting and its current
--          status: the newest follow-up entry (null $exclude_meeting counts every entry); 未執行
--          when nothing was reported yet
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

-- With $exclude_meeting set, the status is as that meeting found it: its own reports and those
-- of meetings held after it do not count (entries made between meetings always do).
excluded as (
    select held_on
    from meetings
    where meeting_id = $exclude_meeting::integer
),

counted_updates as (
    select
        resolution_updates.item_id,
        resolution_updates.status,
        resolution_updates.note,
        resolution_updates.updated_by,
        resolution_updates.updated_at,
        row_number() over (
            partition by resolution_updates.item_id
            order by
                resolution_updates.updated_at desc,
                resolution_updates.update_id desc
        ) as newest_first
    from resolution_updates
    left join meetings as reporting
        on resolution_updates.meeting_id = reporting.meeting_id
    where $exclude_meeting::integer is null
       or resolution_updates.meeting_id is null
       or (
           resolution_updates.meeting_id <> $exclude_meeting::integer
           and reporting.held_on < coalesce((select held_on from excluded), date '9999-12-31')
       )
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
