-- purpose: data-quality warnings for rows whose 學號 is not in 學生名冊 of their semester (per-year rows, 學期 0 or empty: of either semester of the 學年度), only where that roster was imported at all
-- params: none
-- returns: one row per orphan record (category orphan_student): category, kind, school_year, semester, student_no, staff_code,
--          record_key, file_name, source_row, message

-- The roster a row is checked against: a per-semester row (學期 1 or 2) that of its semester, a
-- per-year row (學期 0 or empty, scope 0) those of either semester of its 學年度.
with roster_scopes as (
    select distinct
        school_year,
        semester as scope_semester,
        student_no
    from students
    union
    select distinct
        school_year,
        0,
        student_no
    from students
),

imported_scopes as (
    select distinct
        school_year,
        scope_semester
    from roster_scopes
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

orphans as (
    select r.*
    from records as r
    where coalesce(r.semester, 0) in (0, 1, 2)
      and exists (
          select 1
          from imported_scopes as t
          where t.school_year = r.school_year
            and t.scope_semester = coalesce(r.semester, 0)
      )
      and not exists (
          select 1
          from roster_scopes as s
          where s.school_year = r.school_year
            and s.scope_semester = coalesce(r.semester, 0)
            and s.student_no = r.student_no
      )
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
