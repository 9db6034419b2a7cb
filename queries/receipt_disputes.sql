-- purpose: every 回報錯誤 收訖確認 row of a 學年度 by the active students A(Y), with the time since
--          it was reported (確認時間) until 答覆時間, or until $as_of (資料截至) while unanswered,
--          against dispute_answer_max_days (rule in force that year; the limit itself counts as
--          in time, as in metrics_year_receipts); no 確認時間 = the age cannot be judged
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[],
--         $as_of TIMESTAMP (資料截至; NULL = unknown)
-- returns: one row per reported receipt, oldest report first: semester, roster, student_no,
--          student_name, division, class_name, error_type, question, answer, confirmed_at,
--          answered_at, answer_limit_days, answer_due_at, elapsed_hours, dispute_status
with answer_limit as (
    select rule_in_force('dispute_answer_max_days', $year) as max_days
),

reported as (
    select
        receipts.semester,
        receipts.roster,
        receipts.student_no,
        students.name as student_name,
        students.division,
        students.class_name,
        receipts.error_type,
        receipts.question,
        receipts.answer,
        receipts.confirmed_at,
        receipts.answered_at,
        answer_limit.max_days as answer_limit_days,
        dispute_answer_due(receipts.confirmed_at, answer_limit.max_days) as answer_due_at,
        coalesce(receipts.answered_at, cast($as_of as timestamp)) as measured_until
    from receipts
    inner join active_latest_rows_of_year($year, $division, $active_statuses) as students
        on students.student_no = receipts.student_no
    cross join answer_limit
    where receipts.school_year = $year
      and receipts.status = '回報錯誤'
),

final as (
    select
        semester,
        roster,
        student_no,
        student_name,
        division,
        class_name,
        error_type,
        question,
        answer,
        confirmed_at,
        answered_at,
        answer_limit_days,
        answer_due_at,
        round(date_diff('second', confirmed_at, measured_until) / 3600.0, 1) as elapsed_hours,
        case
            when confirmed_at is null then '無法判定'
            when answered_at is not null and answered_at <= answer_due_at then '已於期限內答覆'
            when answered_at is not null then '逾期答覆'
            when measured_until is null then '無法判定'
            when measured_until > answer_due_at then '未答覆（逾期）'
            else '未答覆（期限內）'
        end as dispute_status
    from reported
    order by
        confirmed_at nulls first,
        roster,
        student_no
)

select * from final
