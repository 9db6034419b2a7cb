-- 006: the school's own records around the 作業期程 (Art. 5, 10, 11). Schedule rows entered in
-- the editor live in the 001 schedule table (import_id null) beside imported ones. New here:
-- the self-check (自我檢核) of each phase with the figures at that moment, the deputies each
-- unit designates per 學年度 (代理人, 代理順位), and who entered a training session by form.

create table self_checks (
    school_year integer not null,
    semester integer not null,
    division varchar,                  -- null: the row serves both divisions (like schedule)
    phase varchar not null,
    result varchar not null,           -- 達成 / 未達成
    figures varchar,                   -- JSON: the metrics at the moment of the check
    figures_as_of timestamp,           -- 資料截至 of those figures
    note varchar,
    recorded_by varchar not null,
    recorded_at timestamp not null
);

create table deputies (
    school_year integer not null,
    unit varchar not null,             -- the unit whose head designates (教務處註冊組, 進修部教務組, …)
    rank integer not null,             -- 代理順位: 1 first
    staff_code varchar,
    person_name varchar not null,
    note varchar,
    updated_by varchar not null,
    updated_at timestamp not null
);

alter table trainings add column entered_by varchar;   -- null for imported rows
alter table trainings add column entered_at timestamp;
alter table schedule add column entered_by varchar;    -- null for imported rows
alter table schedule add column entered_at timestamp;
