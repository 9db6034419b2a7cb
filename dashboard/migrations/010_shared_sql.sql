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
