-- purpose: data-quality warnings for teacher codes (任課教師代碼, 認證人代碼, 諮詢教師代碼) not in 教職員名冊, only once 教職員名冊 has rows
-- params: none
-- returns: one row per record and unknown code (category orphan_teacher): category, kind, school_year, semester, student_no, staff_code,
--          record_key, file_name, source_row, message
with staff_loaded as (
    select count(*) > 0 as loaded
    from staff
),

codes as (
    select
        'offerings' as kind,
        '開課資料' as kind_label,
        '任課教師代碼' as column_label,
        school_year,
        semester,
        cast(null as varchar) as student_no,
        teacher_code as staff_code,
        course_code || '／' || class_name as record_key,
        import_id,
        source_row
    from course_offerings
    union all
    select
        'outcomes',
        '課程學習成果',
        '任課教師代碼',
        school_year,
        semester,
        student_no,
        teacher_code,
        outcome_id,
        import_id,
        source_row
    from outcomes
    union all
    select
        'outcomes',
        '課程學習成果',
        '認證人代碼',
        school_year,
        semester,
        student_no,
        certifier_code,
        outcome_id,
        import_id,
        source_row
    from outcomes
    where certifier_code is not null
    union all
    select
        'counselling',
        '課程諮詢紀錄',
        '諮詢教師代碼',
        school_year,
        semester,
        student_no,
        counsellor_code,
        student_no || '／' || strftime(counselled_on, '%Y-%m-%d'),
        import_id,
        source_row
    from counselling
),

orphans as (
    select c.*
    from codes as c
    where (select loaded from staff_loaded)
      and not exists (
          select 1
          from staff as s
          where s.staff_code = c.staff_code
      )
),

final as (
    select
        'orphan_teacher' as category,
        o.kind,
        o.school_year,
        o.semester,
        o.student_no,
        o.staff_code,
        o.record_key,
        i.file_name,
        o.source_row,
        o.kind_label || '的' || o.column_label || ' ' || o.staff_code || ' 不在教職員名冊中' as message
    from orphans as o
    left join imports as i
        on i.import_id = o.import_id
)

select * from final
