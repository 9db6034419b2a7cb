-- purpose: the stored non-blocking import findings, for the data-quality page
-- params: none
-- returns: one row per warning: category, kind, school_year, semester, student_no, staff_code,
--          record_key, file_name, source_row, message
with warnings as (
    select
        category,
        kind,
        school_year,
        semester,
        student_no,
        staff_code,
        record_key,
        file_name,
        source_row,
        message
    from data_warnings
),

final as (
    select *
    from warnings
    order by
        school_year desc nulls last,
        semester desc nulls last,
        category,
        kind,
        student_no,
        record_key
)

select * from final
