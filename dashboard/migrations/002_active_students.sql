-- 002: A(S) and A(Y) of metrics.md, defined once so no query can drift from the rule.
-- statuses is the list of 學籍狀態 that count as 在籍 (dashboard.kinds.ACTIVE_STATUSES, bound by
-- the caller as $active_statuses); div NULL = 全校.

-- A(S): the roster rows of semester (y, s) whose 學籍狀態 is 在籍, in division div.
create or replace macro active_students_of_semester(y, s, div, statuses) as table
    select
        student_no,
        division,
        department,
        grade,
        class_name
    from students
    where school_year = y
      and semester = s
      and list_contains(statuses, status)
      and (div is null or division = div);

-- A(Y): the distinct students active in either semester of y; a student's 部別 is the one of
-- their latest semester row in y (whatever its status).
create or replace macro active_students_of_year(y, div, statuses) as table
    with year_students as (
        select
            student_no,
            arg_max(division, semester) as division,
            bool_or(list_contains(statuses, status)) as was_active
        from students
        where school_year = y
        group by student_no
    )
    select
        student_no,
        division
    from year_students
    where was_active
      and (div is null or division = div);
