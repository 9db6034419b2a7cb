-- purpose: 收訖確認 of a 學年度 (any 學期, 0 = per-year roster) by the active students A(Y), per
--          名冊別 and 班級 — the platform's {名冊}_確認人數 / {名冊}_回報人數; a student's 班級
--          (like their 部別 in A(Y)) is the one of their latest semester row in the year, so the
--          classes add up to metrics_year_receipts
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per (名冊別, 部別, 班級) with at least one receipt: roster, division,
--          class_name, listed_count, confirmed_count, reported_count, unconfirmed_count,
--          paper_mail_count
with active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
),

student_classes as (
    select
        student_no,
        arg_max(class_name, semester) as class_name
    from students
    where school_year = $year
    group by student_no
),

year_receipts as (
    select
        roster,
        student_no,
        status,
        notice_method
    from receipts
    where school_year = $year
),

counted_receipts as (
    select
        year_receipts.roster,
        active_students.division,
        student_classes.class_name,
        year_receipts.status,
        year_receipts.notice_method
    from year_receipts
    inner join active_students
        on active_students.student_no = year_receipts.student_no
    left join student_classes
        on student_classes.student_no = year_receipts.student_no
),

per_class as (
    select
        roster,
        division,
        class_name,
        count(*) as listed_count,
        count(*) filter (where status = '已確認') as confirmed_count,
        count(*) filter (where status = '回報錯誤') as reported_count,
        count(*) filter (where status = '未確認') as unconfirmed_count,
        count(*) filter (where notice_method = '紙本郵寄') as paper_mail_count
    from counted_receipts
    group by
        roster,
        division,
        class_name
),

final as (
    select
        per_class.roster,
        per_class.division,
        per_class.class_name,
        per_class.listed_count,
        per_class.confirmed_count,
        per_class.reported_count,
        per_class.unconfirmed_count,
        per_class.paper_mail_count
    from per_class
    left join receipt_rosters() as receipt_rosters
        on receipt_rosters.roster = per_class.roster
    order by
        coalesce(receipt_rosters.roster_order, 99),
        per_class.roster,
        per_class.division,
        per_class.class_name
)

select * from final
