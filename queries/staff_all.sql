-- purpose: everyone on 教職員名冊 whatever their status, to check a code typed into a form
-- params: none
-- returns: one row per staff member, by code: staff_code, name, unit, title, employment_status
with final as (
    select
        staff_code,
        name,
        unit,
        title,
        employment_status
    from staff
    order by staff_code
)

select * from final
