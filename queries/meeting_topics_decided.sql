-- purpose: the Art. 4 topics on which the meetings held between two dates decided something
--          (an item of any section with a 決定 or 決議 tagged with the topic)
-- params: $first_day DATE, $last_day DATE
-- returns: one row per topic decided: topic, item_count
with decided_items as (
    select meeting_items.topics
    from meeting_items
    inner join meetings
        on meeting_items.meeting_id = meetings.meeting_id
    where meetings.held_on between $first_day and $last_day
      and coalesce(trim(meeting_items.decision), '') <> ''
),

tags as (
    select unnest(topics) as topic
    from decided_items
),

final as (
    select
        topic,
        count(*) as item_count
    from tags
    group by topic
    order by topic
)

select * from final
