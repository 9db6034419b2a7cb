-- purpose: the working group's seat holders of one 學年度 (Art. 3), as stored by the roster form
-- params: $year INTEGER
-- returns: one row per filled seat, by seat_no: seat_no, person_name, staff_code, start_date,
--          end_date, updated_by, updated_at
with final as (
    select
        seat_no,
        person_name,
        staff_code,
        start_date,
        end_date,
        updated_by,
        updated_at
    from committee_members
    where school_year = $year
    order by seat_no
)

select * from final
