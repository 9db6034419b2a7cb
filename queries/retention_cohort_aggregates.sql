-- purpose: the anonymous counts a purged cohort keeps (Art. 8), per 部別: its students and
--          every row of theirs in the personal tables, no 學號 or name
-- params: $year INTEGER (畢業學年度)
-- returns: one row per 部別 with students: division, students_count, outcomes_uploaded,
--          outcomes_passed, outcomes_selected, diverse_uploaded, diverse_selected,
--          cadres_count, counselling_count, receipts_count
with cohort_students as (
    select
        student_no,
        division
    from graduate_cohort($year)
),

outcome_counts as (
    select
        student_no,
        count(*) as uploaded,
        count(*) filter (where cert_status = '通過') as passed,
        count(*) filter (where selected) as selected
    from outcomes
    group by student_no
),

diverse_counts as (
    select
        student_no,
        count(*) as uploaded,
        count(*) filter (where selected) as selected
    from diverse
    group by student_no
),

cadre_counts as (
    select
        student_no,
        count(*) as row_count
    from cadres
    group by student_no
),

counselling_counts as (
    select
        student_no,
        count(*) as row_count
    from counselling
    group by student_no
),

receipt_counts as (
    select
        student_no,
        count(*) as row_count
    from receipts
    group by student_no
),

final as (
    select
        cohort_students.division,
        cast(count(*) as integer) as students_count,
        cast(coalesce(sum(outcome_counts.uploaded), 0) as integer) as outcomes_uploaded,
        cast(coalesce(sum(outcome_counts.passed), 0) as integer) as outcomes_passed,
        cast(coalesce(sum(outcome_counts.selected), 0) as integer) as outcomes_selected,
        cast(coalesce(sum(diverse_counts.uploaded), 0) as integer) as diverse_uploaded,
        cast(coalesce(sum(diverse_counts.selected), 0) as integer) as diverse_selected,
        cast(coalesce(sum(cadre_counts.row_count), 0) as integer) as cadres_count,
        cast(coalesce(sum(counselling_counts.row_count), 0) as integer) as counselling_count,
        cast(coalesce(sum(receipt_counts.row_count), 0) as integer) as receipts_count
    from cohort_students
    left join outcome_counts
        on outcome_counts.student_no = cohort_students.student_no
    left join diverse_counts
        on diverse_counts.student_no = cohort_students.student_no
    left join cadre_counts
        on cadre_counts.student_no = cohort_students.student_no
    left join counselling_counts
        on counselling_counts.student_no = cohort_students.student_no
    left join receipt_counts
        on receipt_counts.student_no = cohort_students.student_no
    group by cohort_students.division
    order by cohort_students.division
)

select * from final
