-- 010: each rule of metrics.md that several queries apply, written once (issue [7/11]).
--
-- Like the A(S) and A(Y) macros of 002 and 009, every value a rule depends on is a macro
-- parameter that the query binds from its own $parameters (db.query_rows); nothing here reads
-- a session setting or a constant of its own. A query reads these macros instead of spelling
-- the rule out again.

-- metrics.md, "On time": per-year rosters (學期 0) use the 作業期程 of semester 2.
create or replace macro phase_semester(s) as
    case when s = 0 then 2 else s end;

-- metrics.md, "On time": the phase is the 作業期程 row of (y, s) for 部別 div, else the row
-- with empty 部別 (a row for one division overrides it, metrics.md §10); 學期 0 reads semester
-- 2's. One row, always: end_date, NULL when there is no such phase (on-time figures are then
-- NULL, never guessed). A caller joins it per row: `cross join lateral phase_end(...)`.
create or replace macro phase_end(y, s, div, phase_name) as table
    select
        coalesce(
            max(end_date) filter (where division = div),
            max(end_date) filter (where division is null)
        ) as end_date
    from schedule
    where school_year = y
      and semester = phase_semester(s)
      and phase = phase_name;

-- metrics.md, "On time": made before the end of the day on which the phase ends (the end
-- date is inclusive); NULL when either is unknown.
create or replace macro on_time(made_at, ends_on) as
    made_at < ends_on + interval 1 day;

-- metrics.md, "Per semester (S)": the 課程學習成果 rows of S by the students in A(S) (every
-- count is restricted to active students; orphans' rows are left out), in 部別 div, each with
-- its student's roster row of S (部別, 科別, 年級, 班級) and deadline_date, the end of the
-- 教師認證 phase for that 部別 ("On time" judges 認證時間 against it; NULL without a phase).
create or replace macro active_outcomes_of_semester(y, s, div, statuses) as table
    select
        outcomes.*,
        active_students.division,
        active_students.department,
        active_students.grade,
        active_students.class_name,
        certification_phase.end_date as deadline_date
    from outcomes
    inner join active_students_of_semester(y, s, div, statuses) as active_students
        on active_students.student_no = outcomes.student_no
    cross join lateral phase_end(y, s, active_students.division, '教師認證') as certification_phase
    where outcomes.school_year = y
      and outcomes.semester = s;

-- metrics.md, "Per semester (S)", the outcomes keys, for one active student's rows of S in one
-- group (group_by 'teacher': per 任課教師; 'department' / 'class': the student's 科別 / 班級 of
-- S; anything else: the whole school, key '全校'): uploaded, submitted (認證中 / 通過 / 未通過),
-- passed, failed, pending; on_time (通過 / 未通過 on time for the 教師認證 phase);
-- unjudgeable (submitted, but no phase: the group's on_time is NULL, never guessed);
-- proxy_certified (認證人代碼 set and not the 任課教師); student_row_count, all the student's
-- rows of S in any group (students_over_cap: the cap is the student's, not the group's).
create or replace macro outcome_counts_per_student(y, s, div, statuses, group_by) as table
    with keyed_outcomes as (
        select
            *,
            cert_status in ('通過', '未通過') as is_decided,
            count(*) over (partition by student_no) as student_row_count,
            case group_by
                when 'teacher' then teacher_code
                when 'department' then department
                when 'class' then class_name
                else '全校'
            end as group_key
        from active_outcomes_of_semester(y, s, div, statuses)
    )
    select
        group_key,
        student_no,
        count(*) as uploaded_count,
        count(*) filter (where cert_status in ('認證中', '通過', '未通過')) as submitted_count,
        count(*) filter (where cert_status = '通過') as passed_count,
        count(*) filter (where cert_status = '未通過') as failed_count,
        count(*) filter (where cert_status = '認證中') as pending_count,
        count(*) filter (
            where cert_status in ('認證中', '通過', '未通過')
              and deadline_date is null
        ) as unjudgeable_count,
        count(*) filter (where is_decided and on_time(certified_at, deadline_date)) as on_time_count,
        count(*) filter (
            where is_decided
              and certifier_code is not null
              and certifier_code <> teacher_code
        ) as proxy_certified_count,
        any_value(student_row_count) as student_row_count
    from keyed_outcomes
    group by
        group_key,
        student_no;

-- The age of an item waiting for certification (the 教師認證 page and its reminders): calendar
-- days from the day it was sent (送出認證時間) to the day of 資料截至; NULL when either is
-- unknown.
create or replace macro days_waited(sent_at, as_of) as
    date_diff('day', cast(sent_at as date), cast(as_of as date));

-- metrics.md, "Rules": rules are data; the value of rule rule_key in 學年度 y is that of its
-- latest row effective on or before y. NULL when no row is in force yet.
create or replace macro rule_in_force(rule_key, y) as (
    select arg_max(value, effective_from_year)
    from rules
    where key = rule_key
      and effective_from_year <= y
);

-- metrics.md, "Per year (Y)", submissions: the 提交紀錄 rows of y, with a division that 部別's
-- (div NULL = 全校); every column, for the figures and for the 提交 page beside them.
create or replace macro submissions_of_year(y, div) as table
    select *
    from submissions
    where school_year = y
      and (div is null or division = div);

-- platform-export.md §9, 收訖確認 名冊別: the four rosters, in the platform's order (the order
-- the figures, the class table and the notices list them in).
create or replace macro receipt_rosters() as table
    select *
    from (
        values
            ('修課紀錄', 1),
            ('課程學習成果', 2),
            ('多元表現', 3),
            ('校內幹部經歷', 4)
    ) as rosters (roster, roster_order);

-- metrics.md §11, 研習場次 類型: the three types, in the regulation's order (Art. 10).
create or replace macro training_kinds() as table
    select *
    from (
        values
            ('宣導說明', 1),
            ('系統操作訓練', 2),
            ('專業研習', 3)
    ) as kinds (training_kind, kind_order);

-- metrics.md, "Per semester (S)", counselling.students_with_record: the active students A(S)
-- in 部別 div (their roster row of S), each with has_record: whether they have at least one
-- 課程諮詢紀錄 in S.
create or replace macro counselling_of_active_students(y, s, div, statuses) as table
    select
        active_students.*,
        semester_counselling.student_no is not null as has_record
    from active_students_of_semester(y, s, div, statuses) as active_students
    left join (
        select distinct student_no
        from counselling
        where school_year = y
          and semester = s
    ) as semester_counselling
        on semester_counselling.student_no = active_students.student_no;
