-- purpose: the deputies (代理人, 代理順位) each unit designated for one 學年度 (Art. 11), with the
--          person's 在職狀態 on 教職員名冊 today (a deputy who has left since cannot act)
-- params: $year INTEGER
-- returns: one row per designated deputy, by unit then rank: unit, rank, staff_code,
--          person_name, note, employment_status (NULL when the code is not on 教職員名冊),
--          updated_by, updated_at
with year_deputies as (
    select
        unit,
        rank,
        staff_code,
        person_name,
        note,
        updated_by,
        updated_at
    from deputies
    where school_year = $year
),

final as (
    select
        year_deputies.unit,
        year_deputies.rank,
        year_deputies.staff_code,
        year_deputies.person_name,
        year_deputies.note,
        staff.employment_status,
        year_deputies.updated_by,
        year_deputies.updated_at
    from year_deputies
    left join staff
        on staff.staff_code = year_deputies.staff_code
    order by
        year_deputies.unit,
        year_deputies.rank
)

select * from final
