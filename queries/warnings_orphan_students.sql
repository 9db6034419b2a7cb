-- purpose: data-quality warnings for rows whose 學號 is not in 學生名冊 of their semester (per-year rows, 學期 0 or empty: of either semester of the 學年度), only where that roster was imported at all
-- params: none
-- returns: one row per orphan record (category orphan_student): category, kind, school_year, semester, student_no, staff_code,
--          record_key, file_name, source_row, message
with roster as (
    select distinct
        school_year,
        semester,
        student_no
    from students
),

roster_terms as (
    select distinct
        school_year,
        semester
    from students
),

records as (
    select
        'outcomes' as kind,
        '課程學習成果' as kind_label,
        school_year,
        semester,
        student_no,
        outcome_id as record_key,
        import_id,
        source_row
    from outcomes
    union all
    select
        'diverse',
        '多元表現',
        school_year,
        semester,
        student_no,
        item_id,
        import_id,
        source_row
    from diverse
    union all
    select
        'cadres',
        '幹部經歷',
        school_year,
        semester,
        student_no,
        unit_name || '／' || position,
        import_id,
        source_row
    from cadres
    union all
    select
        'counselling',
        '課程諮詢紀錄',
        school_year,
        semester,
        student_no,
        counsellor_code || '／' || strftime(counselled_on, '%Y-%m-%d'),
        import_id,
        source_row
    from counselling
    union all
    select
        'receipts',
        '收訖確認',
        school_year,
        semester,
        student_no,
        roster,
        import_id,
        source_row
    from receipts
),

per_semester as (
    select r.*
    from records as r
    where r.semester in (1, 2)
      and exists (
          select 1
          from roster_terms as t
          where t.school_year = r.school_year
            and t.semester = r.semester
      )
      and not exists (
          select 1
          from roster as s
          where s.school_year = r.school_year
            and s.semester = r.semester
            and s.student_no = r.student_no
      )
),

per_year as (
    select r.*
    from records as r
    where coalesce(r.semester, 0) = 0
      and exists (
          select 1
          from roster_terms as t
          where t.school_year = r.school_year
      )
      and not exists (
          select 1
          from roster as s
          where s.school_year = r.school_year
            and s.student_no = r.student_no
      )
),

orphans as (
    select * from per_semester
    union all
    select * from per_year
),

final as (
    select
        'orphan_student' as category,
        o.kind,
        o.school_year,
        o.semester,
        o.student_no,
        cast(null as varchar) as staff_code,
        o.record_key,
        i.file_name,
        o.source_row,
        o.kind_label || '的學號 ' || o.student_no || ' 不在 ' || o.school_year || ' 學年度'
        || case when coalesce(o.semester, 0) = 0 then '' else '第 ' || o.semester || ' 學期' end
        || '的學生名冊中' as message
    from orphans as o
    left join imports as i
        on i.import_id = o.import_id
)

select * from final
