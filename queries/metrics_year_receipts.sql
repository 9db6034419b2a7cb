-- purpose: 收訖確認 of a 學年度 (any 學期, 0 = per-year roster) by the active students A(Y),
--          per 名冊別; a reported error counts as answered within the limit when 答覆時間 −
--          確認時間 ≤ dispute_answer_max_days (rule in force that year) × 24 h
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per 名冊別, all four always (修課紀錄, 課程學習成果, 多元表現, 校內幹部經歷):
--          roster, listed_count, confirmed_count, reported_count, unconfirmed_count,
--          answered_within_limit_count, paper_mail_count
with year_receipts as (
    select
        roster,
        student_no,
        status,
        confirmed_at,
        answered_at,
        notice_method
    from receipts
    where school_year = $year
),

answer_limit as (
    select rule_in_force('dispute_answer_max_days', $year) as max_days
),

active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
),

counted_receipts as (
    select
        year_receipts.roster,
        year_receipts.status,
        year_receipts.notice_method,
        year_receipts.status = '回報錯誤'
        and year_receipts.answered_at <= year_receipts.confirmed_at + answer_limit.max_days * interval 1 day
            as answered_within_limit
    from year_receipts
    inner join active_students
        on active_students.student_no = year_receipts.student_no
    cross join answer_limit
),

per_roster as (
    select
        roster,
        count(*) as listed_count,
        count(*) filter (where status = '已確認') as confirmed_count,
        count(*) filter (where status = '回報錯誤') as reported_count,
        count(*) filter (where status = '未確認') as unconfirmed_count,
        count(*) filter (where answered_within_limit) as answered_within_limit_count,
        count(*) filter (where notice_method = '紙本郵寄') as paper_mail_count
    from counted_receipts
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
