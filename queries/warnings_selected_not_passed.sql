-- purpose: data-quality warnings for 課程學習成果 selected (勾選) by the student although not 通過
-- params: none
-- returns: one row per selected outcome not 通過 (category selected_not_passed): category, kind, school_year, semester, student_no, staff_code,
--          record_key, file_name, source_row, message
with selected as (
    select
        outcome_id,
        school_year,
        semester,
        student_no,
        subject_name,
        cert_status,
        import_id,
        source_row
    from outcomes
    where selected
      and cert_status <> '通過'
),

final as (
    select
        'selected_not_passed' as category,
        'outcomes' as kind,
        s.school_year,
        s.semester,
        s.student_no,
        cast(null as varchar) as staff_code,
        s.outcome_id as record_key,
        i.file_name,
        s.source_row,
        '學號 ' || s.student_no || ' 勾選的課程學習成果 ' || s.outcome_id
        || coalesce('（' || s.subject_name || '）', ' ')
        || '認證狀態為「' || s.cert_status || '」；只有認證通過的成果可以勾選' as message
    from selected as s
    left join imports as i
        on i.import_id = s.import_id
)

select * from final
