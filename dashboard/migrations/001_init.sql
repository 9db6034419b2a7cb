-- 001: the platform's nine kinds, the two school-entered kinds, provenance, warnings, rules,
-- users and the minimal meeting table the meetings.count metric needs.
-- Every imported row keeps import_id and source_row (the Excel row number the user sees), so a
-- warning can point back to the file and row it came from.

create sequence import_id_seq start 1;

create table imports (
    import_id integer primary key default nextval('import_id_seq'),
    batch_id varchar not null,
    file_name varchar not null,
    sheet_name varchar,
    sha256 varchar not null,
    kind varchar not null,
    scopes varchar not null,          -- JSON list of [學年度, 學期] pairs ("all" for staff)
    row_count integer not null,
    imported_by varchar not null,
    imported_at timestamp not null,
    exported_at timestamp,            -- 資料截至: when the platform produced the export
    exported_at_source varchar        -- 指定 / 檔案時間 / 未知
);

create table students (
    school_year integer not null,
    semester integer not null,
    division varchar not null,
    student_no varchar not null,
    id_hash varchar,                  -- HMAC-SHA256 of 身分證號 with the install's secret
    id_masked varchar,                -- A12****789
    name varchar not null,
    gender varchar,
    department varchar not null,
    grade integer not null,
    class_name varchar not null,
    seat_no integer,
    status varchar not null,
    status_changed_on date,
    graduation_year integer,
    address varchar,
    import_id integer,
    source_row integer,
    primary key (school_year, semester, student_no)
);

create table staff (
    staff_code varchar primary key,
    name varchar not null,
    unit varchar not null,
    title varchar,
    employment_status varchar not null,
    changed_on date,
    account_disabled_on date,
    import_id integer,
    source_row integer
);

create table course_offerings (
    school_year integer not null,
    semester integer not null,
    division varchar not null,
    course_code varchar not null,
    subject_name varchar not null,
    class_name varchar not null,
    teacher_code varchar not null,
    import_id integer,
    source_row integer,
    primary key (school_year, semester, course_code, class_name)
);

create table outcomes (
    outcome_id varchar primary key,
    school_year integer not null,
    semester integer not null,
    student_no varchar not null,
    course_code varchar not null,
    subject_name varchar,
    teacher_code varchar not null,
    uploaded_at timestamp not null,
    submitted_at timestamp,
    cert_status varchar not null,
    certified_at timestamp,
    certifier_code varchar,
    fail_reason varchar,
    outcome_type varchar not null,
    selected boolean not null,
    selected_at timestamp,
    import_id integer,
    source_row integer
);

create table diverse (
    item_id varchar primary key,
    school_year integer not null,
    semester integer,
    student_no varchar not null,
    category varchar not null,
    title varchar,
    uploaded_at timestamp not null,
    selected boolean not null,
    selected_at timestamp,
    import_id integer,
    source_row integer
);

create table cadres (
    school_year integer not null,
    semester integer not null,
    student_no varchar not null,
    cadre_level varchar not null,
    unit_name varchar not null,
    position varchar not null,
    entry_unit varchar,
    entered_by varchar,
    entered_at timestamp,
    import_id integer,
    source_row integer,
    primary key (school_year, semester, student_no, unit_name, position)
);

create table counselling (
    school_year integer not null,
    semester integer not null,
    student_no varchar not null,
    counsellor_code varchar not null,
    counselled_on date not null,
    method varchar,
    import_id integer,
    source_row integer,
    primary key (school_year, semester, student_no, counsellor_code, counselled_on)
);

create table submissions (
    school_year integer not null,
    semester integer not null,        -- 0 = per-year roster
    division varchar not null,
    roster varchar not null,
    batch integer not null,
    unit varchar not null,
    submitted_by varchar,
    submitted_at timestamp not null,
    row_count integer,
    result varchar not null,
    import_id integer,
    source_row integer,
    primary key (school_year, semester, division, roster, batch, submitted_at)
);

create table receipts (
    school_year integer not null,
    semester integer not null,        -- 0 = per-year roster
    roster varchar not null,
    student_no varchar not null,
    status varchar not null,
    confirmed_at timestamp,
    error_type varchar,
    question varchar,
    answer varchar,
    answered_at timestamp,
    notice_method varchar not null,
    import_id integer,
    source_row integer,
    primary key (school_year, semester, roster, student_no)
);

-- division NULL = applies to both divisions; uniqueness of (year, semester, division, phase)
-- is checked by the importer and the forms because a primary key cannot hold NULL.
create table schedule (
    school_year integer not null,
    semester integer not null,
    division varchar,
    phase varchar not null,
    start_date date not null,
    end_date date not null,           -- inclusive
    self_check_date date,
    unit varchar,
    import_id integer,
    source_row integer
);

create table trainings (
    school_year integer not null,
    held_on date not null,
    kind varchar not null,
    title varchar,
    audience varchar,
    division varchar,
    organiser varchar,
    attendance integer,
    import_id integer,
    source_row integer
);

-- Non-blocking findings, recomputed from the live tables after every import (so a roster
-- imported after its outcomes clears the orphans it explains).
create table data_warnings (
    category varchar not null,        -- orphan_student / orphan_teacher / over_cap / selected_not_passed
    kind varchar not null,
    school_year integer,
    semester integer,
    student_no varchar,
    staff_code varchar,
    record_key varchar,
    file_name varchar,
    source_row integer,
    message varchar not null
);

create table rules (
    key varchar not null,
    value double not null,
    effective_from_year integer not null,
    source varchar,
    primary key (key, effective_from_year)
);

create table users (
    username varchar primary key,
    display_name varchar not null,
    role varchar not null,
    password_hash varchar not null,
    created_at timestamp not null,
    disabled boolean not null default false
);

create sequence meeting_id_seq start 1;

create table meetings (
    meeting_id integer primary key default nextval('meeting_id_seq'),
    school_year integer not null,
    semester integer not null,
    session_label varchar not null,   -- 113學年度第1學期第1次
    held_on date not null,
    place varchar,
    created_at timestamp not null
);
