-- 005: the working group's own records (Art. 3, 4). The 21 seats per 學年度 and who holds
-- them; meeting records (the 001 table grows the fields of the 會議紀錄, a status that locks
-- confirmed minutes, and a version that refuses a stale second save); attendance per seat;
-- 列席 guests; agenda items with their Art. 4 topic tags and the follow-up fields of a 決議;
-- the follow-up history of each resolution; and a log of creating, confirming and unlocking.
-- Child rows carry no primary key: a save replaces a meeting's attendance and guests in one
-- transaction, and items keep their item_id across edits so a follow-up never loses its 決議.

create table committee_members (
    school_year integer not null,
    seat_no integer not null,          -- 1..21 in the order of Art. 3 (dashboard.committee.SEATS)
    person_name varchar not null,
    staff_code varchar,                -- from 教職員名冊; empty for 家長代表 and 學生代表
    start_date date not null,
    end_date date not null,            -- inclusive
    updated_by varchar not null,
    updated_at timestamp not null
);

alter table meetings add column sequence_no integer;
alter table meetings add column start_time varchar;       -- HH:MM
alter table meetings add column end_time varchar;         -- 散會 HH:MM
alter table meetings add column chair varchar;
alter table meetings add column recorder varchar;
alter table meetings add column status varchar not null default '草稿';   -- 草稿 / 已確認
alter table meetings add column version integer not null default 1;
alter table meetings add column created_by varchar;
alter table meetings add column updated_at timestamp;
alter table meetings add column updated_by varchar;
alter table meetings add column confirmed_at timestamp;
alter table meetings add column confirmed_by varchar;

create table meeting_attendance (
    meeting_id integer not null,
    seat_no integer not null,
    person_name varchar not null,
    attendance varchar not null,       -- 出席 / 請假 / 缺席 / 代理
    deputy_name varchar
);

create table meeting_guests (
    meeting_id integer not null,
    position integer not null,
    guest_name varchar not null,
    guest_title varchar
);

create sequence meeting_item_id_seq start 1;

create table meeting_items (
    item_id integer not null default nextval('meeting_item_id_seq'),
    meeting_id integer not null,
    section varchar not null,          -- 報告事項 / 討論事項 / 臨時動議
    position integer not null,
    title varchar not null,            -- 報告主題 or 案由
    explanation varchar,               -- 說明
    decision varchar,                  -- 決定 (報告事項) or 決議
    topics varchar[] not null,         -- one or more of the six Art. 4 topics
    votes_for integer,
    votes_against integer,
    votes_abstain integer,
    owner_unit varchar,                -- the unit that carries out the 決議
    due_date date,
    metric_key varchar,                -- a dashboard.targets.METRICS key the 決議 is about
    metric_year integer,
    metric_semester integer,           -- null for a per-year metric
    metric_target double
);

create sequence resolution_update_id_seq start 1;

create table resolution_updates (
    update_id integer not null default nextval('resolution_update_id_seq'),
    item_id integer not null,
    meeting_id integer,                -- the meeting whose 上次會議決議執行情形 reported it; null between meetings
    status varchar not null,           -- 未執行 / 執行中 / 已完成
    note varchar,
    updated_by varchar not null,
    updated_at timestamp not null
);

create table meeting_events (
    meeting_id integer not null,
    action varchar not null,           -- 建立 / 修改 / 確認 / 解除鎖定
    version integer not null,          -- the version the action produced
    reason varchar,
    done_by varchar not null,
    done_at timestamp not null
);

-- 會議規範: a meeting may decide when more than half of its members are present (出席 or 代理).
insert into rules values ('meeting_quorum_share', 0.5, 108, '會議規範：過半數出席');
