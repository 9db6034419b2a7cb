-- purpose: 收訖確認 of a 學年度 (any 學期, 0 = per-year roster) by the active students A(Y),
--          per 名冊別; a reported error counts as answered within the limit when 答覆時間 −
--          確認時間 ≤ dispute_answer_max_days (rule in force that year) × 24 h
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per 名冊別, all four always (修課紀錄, 課程學習成果, 多元表現, 校內幹部經歷):
--          roster, listed_count, confirmed_count, reported_count, unconfirmed_count,
--          answered_within_limit_count, paper_mail_count
with per_roster as (
    select
        roster,
        sum(listed_count)::bigint as listed_count,
        sum(confirmed_count)::bigint as confirmed_count,
        sum(reported_count)::bigint as reported_count,
        sum(unconfirmed_count)::bigint as unconfirmed_count,
        sum(answered_within_limit_count)::bigint as answered_within_limit_count,
        sum(paper_mail_count)::bigint as paper_mail_count
    from receipt_counts_by_class($year, $division, $active_statuses)
    group by roster
),

final as (
    select
        receipt_rosters.roster,
        coalesce(per_roster.listed_count, 0) as listed_count,
        coalesce(per_roster.confirmed_count, 0) as confirmed_count,
        coalesce(per_roster.reported_count, 0) as reported_count,
        coalesce(per_roster.unconfirmed_count, 0) as unconfirmed_count,
        coalesce(per_roster.answered_within_limit_count, 0) as answered_within_limit_count,
        coalesce(per_roster.paper_mail_count, 0) as paper_mail_count
    from receipt_rosters() as receipt_rosters
    left join per_roster
        on per_roster.roster = receipt_rosters.roster
    order by receipt_rosters.roster_order
)

select * from final
