-- purpose: data-quality warnings for students over a cap of the rules in force for the 學年度 (uploads of 課程學習成果 per semester, of 多元表現 per year; selections of each per year)
-- params: none
-- returns: one row per student and capped scope, at the first row past the cap (category over_cap): category, kind, school_year, semester, student_no, staff_code,
--          record_key, file_name, source_row, message
with items as (
    select
        'outcome_upload_cap_per_semester' as rule_key,
        'outcomes' as kind,
        '上傳' as action_label,
        '課程學習成果' as kind_label,
        school_year,
        semester as capped_semester,
        student_no,
        outcome_id as record_key,
        uploaded_at as happened_at,
        import_id,
        source_row
    from outcomes
    union all
    select
        'outcome_selection_cap_per_year',
        'outcomes',
        '勾選',
        '課程學習成果',
        school_year,
        null,
        student_no,
        outcome_id,
        selected_at,
        import_id,
        source_row
    from outcomes
    where selected
    union all
    select
        'diverse_upload_cap_per_year',
        'diverse',
        '上傳',
        '多元表現',
        school_year,
        null,
        student_no,
        item_id,
        uploaded_at,
        import_id,
        source_row
    from diverse
    union all
    select
        'diverse_selection_cap_per_year',
        'diverse',
        '勾選',
        '多元表現',
        school_year,
        null,
        student_no,
        item_id,
        selected_at,
        import_id,
        source_row
    from diverse
    where selected
),

ranked as (
    select
        i.*,
        row_number() over (
            partition by i.rule_key, i.school_year, i.capped_semester, i.student_no
            order by i.happened_at nulls last, i.record_key
        ) as rank_in_scope,
        count(*) over (
            partition by i.rule_key, i.school_year, i.capped_semester, i.student_no
        ) as item_count,
        rule_in_force(i.rule_key, i.school_year) as cap_in_force
    from items as i
),

over_cap as (
    select
        k.*,
        cast(k.cap_in_force as integer) as cap
    from ranked as k
    where k.item_count > k.cap_in_force
      and k.rank_in_scope = cast(k.cap_in_force as integer) + 1
),

final as (
    select
        'over_cap' as category,
        o.kind,
        o.school_year,
        o.capped_semester as semester,
        o.student_no,
        cast(null as varchar) as staff_code,
        o.record_key,
        i.file_name,
        o.source_row,
        '學號 ' || o.student_no || ' 在 ' || o.school_year || ' 學年度'
        || coalesce('第 ' || o.capped_semester || ' 學期', '')
        || o.action_label || ' ' || o.item_count || ' 件' || o.kind_label
        || '，超過上限 ' || o.cap || ' 件' as message
    from over_cap as o
    left join imports as i
        on i.import_id = o.import_id
)

select * from final
