-- purpose: the 研習場次 of one 學年度 (Art. 10) as stored, imported or entered by form, for the
--          sessions table of the 研習場次 page; division NULL = held for both divisions
-- params: $year INTEGER
-- returns: one row per session, by date then type and title: school_year, held_on, kind, title,
--          audience (joined by 、), division, organiser, attendance, source (表單 / 匯入),
--          file_name (the imported file, NULL for a form row), entered_by, entered_at
with year_sessions as (
    select
        school_year,
        held_on,
        kind,
        title,
        audience,
        division,
        organiser,
        attendance,
        import_id,
        entered_by,
        entered_at
    from trainings
    where school_year = $year
),

final as (
    select
        year_sessions.school_year,
        year_sessions.held_on,
        year_sessions.kind,
        year_sessions.title,
        year_sessions.audience,
        year_sessions.division,
        year_sessions.organiser,
        year_sessions.attendance,
        case when year_sessions.import_id is null then '表單' else '匯入' end as source,
        imports.file_name,
        year_sessions.entered_by,
        year_sessions.entered_at
    from year_sessions
    left join imports
        on imports.import_id = year_sessions.import_id
    order by
        year_sessions.held_on,
        year_sessions.kind,
        year_sessions.title
)

select * from final
