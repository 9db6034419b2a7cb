-- 009: graduates count in their last semester (metrics.md, "Active students A(S)"; issue [6/11]).
--
-- A roster exported after graduation marks the seniors 畢業 in their last semester, with
-- 畢業學年度 set. They were active in that semester (they uploaded, were certified, and count in
-- its rates), so a 畢業 row whose 畢業學年度 is the row's own 學年度 y counts as active in y; a
-- 畢業 row of a later 學年度 does not. The rule lives here once: counts_as_active decides for
-- one roster row, and the two table macros of 002 are redefined through it. Every query that
-- needs A(S) or A(Y) reads those macros, never a status list of its own.

-- One roster row of 學年度 y: its 學籍狀態 is 在籍 (statuses = dashboard.kinds.ACTIVE_STATUSES,
-- bound by the caller as $active_statuses), or it is 畢業 with 畢業學年度 = y. Never NULL.
create or replace macro counts_as_active(row_status, row_graduation_year, y, statuses) as
    coalesce(list_contains(statuses, row_status), false)
    or (row_status = '畢業' and coalesce(row_graduation_year = y, false));

-- A(S): the roster rows of semester (y, s) that count as active, in division div (NULL = 全校).
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
      and counts_as_active(status, graduation_year, y, statuses)
      and (div is null or division = div);

-- A(Y): the distinct students active in either semester of y; a student's 部別 is the one of
-- their latest semester row in y (whatever its status).
create or replace macro active_students_of_year(y, div, statuses) as table
    with year_students as (
        select
            student_no,
            arg_max(division, semester) as division,
            bool_or(counts_as_active(status, graduation_year, y, statuses)) as was_active
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

-- The graduates (Art. 8 資料保存 reads them): every 學號 with a roster row whose 學籍狀態 is 畢業 or
-- whose 畢業學年度 is set, with their 畢業學年度 (else the 學年度 of the 畢業 row; the latest
-- when rows differ). A post-graduation roster gives them directly; a roster taken before
-- graduation still lists the seniors 在學 and names no graduate.
create or replace macro graduated_students() as table
    select
        student_no,
        max(coalesce(graduation_year, school_year)) as graduation_year
    from students
    where status = '畢業'
       or graduation_year is not null
    group by student_no;
