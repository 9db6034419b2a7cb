-- purpose: 多元表現 uploads of a 學年度 by the active students A(Y), and who exceeds the
--          diverse_upload_cap_per_year rule in force that year
-- params: $year INTEGER, $division VARCHAR (NULL = 全校), $active_statuses VARCHAR[]
-- returns: one row: uploaded_count, students_with_upload, students_over_cap
with upload_cap as (
    select rule_in_force('diverse_upload_cap_per_year', $year) as cap
),

final as (
    select
        coalesce(sum(uploads_per_student.uploaded_count), 0)::bigint as uploaded_count,
        count(uploads_per_student.student_no) as students_with_upload,
        count(*) filter (where uploads_per_student.uploaded_count > upload_cap.cap) as students_over_cap
    from upload_cap
    left join diverse_counts_per_student($year, $division, $active_statuses) as uploads_per_student
        on true
)

select * from final
