-- purpose: the semesters the database holds data for (學生名冊, 課程學習成果 or 課程諮詢紀錄),
--          for the semester pickers and the command line
-- params: none
-- returns: one row per semester, oldest first: school_year, semester
with roster_semesters as (
    select distinct
        school_year,
        semester
    from students
),

outcome_semesters as (
    select distinct
        school_year,
        semester
    from outcomes
),

counselling_semesters as (
    select distinct
        school_year,
        semester
    from counselling
),

all_semesters as (
    select * from roster_semesters
    union
    select * from outcome_semesters
    union
    select * from counselling_semesters
),

final as (
    select
        school_year,
        semester
    from all_semesters
    where semester in (1, 2)
    order by
        school_year,
        semester
)

select * from final
