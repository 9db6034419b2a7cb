-- 003: the working group's targets for the headline rates, each with the 學年度 it takes
-- effect from (like the rules), so a new target never rewrites how past semesters were judged.
-- division NULL = the whole-school target, which also applies to each division that has no
-- row of its own (dashboard.targets resolves this). A primary key cannot hold NULL, so the
-- unique index on coalesce(division, '') keeps one row per (metric, division, year).
create table targets (
    metric varchar not null,
    division varchar,
    target double not null check (target > 0 and target <= 1),
    effective_from_year integer not null,
    set_by varchar not null,
    set_at timestamp not null
);

create unique index targets_metric_division_year
    on targets (metric, coalesce(division, ''), effective_from_year);

-- Defaults from 學年度 108, the first year of the learning-portfolio system. upload_rate and
-- on_time_rate are the working group's targets; certification_rate, selection_rate and
-- counselling_rate are the dashboard's suggestions (the regulation sets none).
insert into targets values
    ('upload_rate', null, 0.85, 108, '系統預設', current_localtimestamp()),
    ('certification_rate', null, 0.95, 108, '系統預設', current_localtimestamp()),
    ('on_time_rate', null, 0.95, 108, '系統預設', current_localtimestamp()),
    ('selection_rate', null, 0.90, 108, '系統預設', current_localtimestamp()),
    ('counselling_rate', null, 0.80, 108, '系統預設', current_localtimestamp());
