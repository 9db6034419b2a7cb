-- purpose: staff who are 在職 on 教職員名冊, to suggest and choose the working group's members
-- params: none
-- returns: one row per staff member in service, by unit then code: staff_code, name, unit, title
with in_service as (
    select
        staff_code,
        name,
        unit,
        title
    from staff
    where employment_status = '在職'
),

final as (
    select
        staff_code,
        name,
        unit,
        title
    from in_service
    order by
        unit,
        staff_code
)

select * from final
