-- purpose: 紙本通知 (補充規定第十一點(四)): the 未確認 收訖確認 rows of students who have left, with
--          where to send the notice and the 收訖確認 end date of the receipt's semester.
--          A student has left when the latest roster row (over all semesters) has 學籍狀態
--          轉出 / 退學 / 休學 / 畢業 (a roster exported after graduation marks the graduates 畢業),
--          or when it is 第2學期 of a 學年度 before the one of $as_of in the final grade
--          (日間部 3; 進修部 4 when that year's 第2學期 has grade 4, else 3): a graduate a roster
--          taken before graduation still lists as 在學. The receipt's deadline is the
--          收訖確認 end of (學年度, 學期), 學期 2's for a per-year roster (學期 0); a row for the
--          student's 部別 overrides one for both (部別 empty).
-- params: $as_of TIMESTAMP (資料截至; NULL = no graduates by grade), $year INTEGER (NULL = every
--          學年度), $semester INTEGER (NULL = the whole 學年度; 2 includes the per-year rosters),
--          $division VARCHAR (NULL = 全校)
-- returns: one row per 未確認 receipt of a student who has left (ordered by 部別, 班級, 學號):
--          student_no, student_name, division, class_name, leave_reason, left_on, address,
--          school_year, semester, roster, phase_end_date
with latest_addresses as (
    select
        student_no,
        arg_max(address, school_year * 10 + semester) as address
    from students
    where address is not null
      and trim(address) <> ''
    group by student_no
),

current_year as (
    select
        case
            when month(cast($as_of as timestamp)) >= 8 then year(cast($as_of as timestamp)) - 1911
            else year(cast($as_of as timestamp)) - 1912
        end as school_year
),

final_grades as (
    select
        school_year,
        division,
        case
            when division = '進修部' and max(grade) >= 4 then 4
            else 3
        end as final_grade
    from students
    where semester = 2
    group by
        school_year,
        division
),

leavers as (
    select
        latest_rows.student_no,
        latest_rows.name as student_name,
        latest_rows.division,
        latest_rows.class_name,
        case
            when latest_rows.status in ('轉出', '退學', '休學', '畢業') then latest_rows.status
            else '畢業'
        end as leave_reason,
        case
            when latest_rows.status in ('轉出', '退學', '休學', '畢業') then latest_rows.status_changed_on
        end as left_on,
        latest_addresses.address
    from latest_roster_rows(null) as latest_rows
    cross join current_year
    left join final_grades
        on final_grades.school_year = latest_rows.school_year
        and final_grades.division = latest_rows.division
    left join latest_addresses
        on latest_addresses.student_no = latest_rows.student_no
    where (
        latest_rows.status in ('轉出', '退學', '休學', '畢業')
        or (
            latest_rows.semester = 2
            and latest_rows.school_year < current_year.school_year
            and latest_rows.grade = final_grades.final_grade
        )
    )
    and ($division is null or latest_rows.division = $division)
),

open_receipts as (
    select
        school_year,
        semester,
        roster,
        student_no,
        phase_semester(semester) as phase_semester,
        coalesce(receipt_rosters.roster_order, 5) as roster_order
    from receipts
    left join receipt_rosters() as receipt_rosters
        using (roster)
    where status = '未確認'
      and ($year is null or school_year = $year)
      and (
          $semester is null
          or semester = $semester
          or ($semester = 2 and semester = 0)
      )
),

final as (
    select
        leavers.student_no,
        leavers.student_name,
        leavers.division,
        leavers.class_name,
        leavers.leave_reason,
        leavers.left_on,
        leavers.address,
        open_receipts.school_year,
        open_receipts.semester,
        open_receipts.roster,
        receipt_phase.end_date as phase_end_date
    from leavers
    inner join open_receipts
        on open_receipts.student_no = leavers.student_no
    cross join lateral phase_end(open_receipts.school_year, open_receipts.semester, leavers.division, '收訖確認')
        as receipt_phase
    order by
        leavers.division,
        leavers.class_name,
        leavers.student_no,
        open_receipts.school_year,
        open_receipts.phase_semester,
        open_receipts.semester,
        open_receipts.roster_order
)

select * from final
