-- purpose: 收訖確認 of a 學年度 (any 學期, 0 = per-year roster) by the active students A(Y), per
--          名冊別 and 班級 — the platform's {名冊}_確認人數 / {名冊}_回報人數; a student's 班級
--          (like their 部別 in A(Y)) is the one of their latest semester row in the year, so the
--          classes add up to metrics_year_receipts
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row per (名冊別, 部別, 班級) with at least one receipt: roster, division,
--          class_name, listed_count, confirmed_count, reported_count, unconfirmed_count,
--          paper_mail_count
with final as (
    select
        per_class.roster,
        per_class.division,
        per_class.class_name,
        per_class.listed_count,
        per_class.confirmed_count,
        per_class.reported_count,
        per_class.unconfirmed_count,
        per_class.paper_mail_count
    from receipt_counts_by_class($year, $division, $active_statuses) as per_class
    left join receipt_rosters() as receipt_rosters
        on receipt_rosters.roster = per_class.roster
    order by
        coalesce(receipt_rosters.roster_order, 99),
        per_class.roster,
        per_class.division,
        per_class.class_name
)

select * from final
