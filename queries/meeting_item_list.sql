-- purpose: a meeting's agenda items (報告事項, 討論事項, 臨時動議) with topic tags and the
--          follow-up fields of each 決議
-- params: $meeting_id INTEGER
-- returns: one row per item, by section order then position: item_id, section, position, title,
--          explanation, decision, topics, votes_for, votes_against, votes_abstain, owner_unit,
--          due_date, metric_key, metric_year, metric_semester, metric_target
with items as (
    select
        item_id,
        section,
        position,
        title,
        explanation,
        decision,
        topics,
        votes_for,
        votes_against,
        votes_abstain,
        owner_unit,
        due_date,
        metric_key,
        metric_year,
        metric_semester,
        metric_target
    from meeting_items
    where meeting_id = $meeting_id
),

final as (
    select *
    from items
    order by position
)

select * from final
