-- 015: accounts down to the classroom (issue [8/11]).
--
-- users.staff_code ties an account to its row of 教職員名冊 (staff), so a 教師 sees the items sent
-- to that code and a 導師 the classes the registry gave them. must_change_password is set for an
-- account made or reset with a one-time password: the first sign-in asks for a new one.
-- password_changed_at says when the password was last set (NULL: at creation, before 015).
--
-- homerooms is the registry's own mapping of a class to its 導師 for a semester: the platform's
-- exports carry no 導師 column (教職員名冊's 職稱 says only that a person is a 導師, not of which
-- class), so the registry keeps it here. One 導師 per class and semester; a 導師 may have two.
alter table users add column staff_code varchar;
alter table users add column must_change_password boolean default false;
alter table users add column password_changed_at timestamp;

create table homerooms (
    school_year integer not null,
    semester integer not null,
    division varchar not null,
    class_name varchar not null,
    staff_code varchar not null,
    set_by varchar not null,
    set_at timestamp not null,
    primary key (school_year, semester, class_name)
);
