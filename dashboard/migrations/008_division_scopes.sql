-- 008: snapshot scopes per division, and an undo for every import (issue [6/11]).
--
-- An import replaces a kind's rows of exactly the (學年度, 學期, 部別) scopes in its file
-- (platform-export.md, "Snapshot replace, per division"). Kinds without a 部別 column take the
-- 部別 of the student's roster row at import time and keep it in scope_division, so a later
-- import of one division finds exactly its own rows. NULL = a row whose 部別 could not be
-- resolved and that came with rows of both divisions: it belongs to every division's scope of
-- its semester (any of them replaces it).
alter table outcomes add column scope_division varchar;
alter table diverse add column scope_division varchar;
alter table cadres add column scope_division varchar;
alter table counselling add column scope_division varchar;
alter table receipts add column scope_division varchar;

-- Rows imported before this migration: the 部別 their student's roster row gives now.
update outcomes
set scope_division = r.division
from students as r
where r.school_year = outcomes.school_year
  and r.semester = outcomes.semester
  and r.student_no = outcomes.student_no;
update cadres
set scope_division = r.division
from students as r
where r.school_year = cadres.school_year
  and r.semester = cadres.semester
  and r.student_no = cadres.student_no;
update counselling
set scope_division = r.division
from students as r
where r.school_year = counselling.school_year
  and r.semester = counselling.semester
  and r.student_no = counselling.student_no;
update receipts
set scope_division = r.division
from students as r
where receipts.semester in (1, 2)
  and r.school_year = receipts.school_year
  and r.semester = receipts.semester
  and r.student_no = receipts.student_no;
update diverse
set scope_division = r.division
from (
    select
        school_year,
        student_no,
        arg_max(division, semester) as division
    from students
    group by school_year, student_no
) as r
where r.school_year = diverse.school_year
  and r.student_no = diverse.student_no;
update receipts
set scope_division = r.division
from (
    select
        school_year,
        student_no,
        arg_max(division, semester) as division
    from students
    group by school_year, student_no
) as r
where r.school_year = receipts.school_year
  and r.student_no = receipts.student_no
  and receipts.semester = 0;

-- One row per import batch: who, when, and whether it can still be undone. The rows a batch
-- replaced are kept in <table>_undo (same columns, plus undo_batch_id) until the batch falls
-- out of the last import_undo_keep_per_scope imports of one of its scopes.
create table import_batches (
    batch_id varchar primary key,
    imported_by varchar not null,
    imported_at timestamp not null,
    rows_in integer,                  -- rows the batch brought
    rows_out integer,                 -- stored rows it replaced (NULL: before this migration)
    undo_kept boolean not null,       -- false: its replaced rows were let go (history bound)
    undone_at timestamp,              -- set when the batch was undone
    undone_by varchar
);

-- Batches before this migration kept nothing to undo with.
insert into import_batches
select
    batch_id,
    min(imported_by),
    min(imported_at),
    sum(row_count),
    null,
    false,
    null,
    null
from imports
group by batch_id;

create table students_undo as select ''::varchar as undo_batch_id, * from students limit 0;
create table staff_undo as select ''::varchar as undo_batch_id, * from staff limit 0;
create table course_offerings_undo as select ''::varchar as undo_batch_id, * from course_offerings limit 0;
create table outcomes_undo as select ''::varchar as undo_batch_id, * from outcomes limit 0;
create table diverse_undo as select ''::varchar as undo_batch_id, * from diverse limit 0;
create table cadres_undo as select ''::varchar as undo_batch_id, * from cadres limit 0;
create table counselling_undo as select ''::varchar as undo_batch_id, * from counselling limit 0;
create table submissions_undo as select ''::varchar as undo_batch_id, * from submissions limit 0;
create table receipts_undo as select ''::varchar as undo_batch_id, * from receipts limit 0;
create table schedule_undo as select ''::varchar as undo_batch_id, * from schedule limit 0;
create table trainings_undo as select ''::varchar as undo_batch_id, * from trainings limit 0;

-- Upload limits and the undo history's bound, as rules (metrics.md: rules are data).
insert into rules values ('import_max_file_mb', 50, 108, '系統設定：每個匯入檔的大小上限（MB）');
insert into rules values ('import_max_bundle_mb', 200, 108, '系統設定：一次匯入的總大小上限（MB）');
insert into rules values ('import_undo_keep_per_scope', 5, 108, '系統設定：每個範圍保留可復原的匯入次數');
