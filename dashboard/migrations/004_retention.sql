-- 004: Art. 8 — a graduated cohort's personal data is kept (封存) for retention_years_after_graduation
-- years after the end of its 畢業學年度, then may be deleted. A purge keeps only anonymous
-- counts (archived_aggregates, one row per 部別, no 學號 or name) and an audit row (purge_log).

create sequence purge_id_seq start 1;

create table purge_log (
    purge_id integer primary key default nextval('purge_id_seq'),
    graduation_year integer not null,    -- the cohort: 畢業學年度
    sealed_until date not null,          -- the date the cohort was sealed until
    decided_on date not null,            -- the 'today' the eligibility was judged on (資料截至)
    purged_at timestamp not null,        -- wall-clock time of the deletion (audit)
    purged_by varchar not null,          -- username
    confirmation varchar not null,       -- the text the user typed, e.g. 108學年度畢業
    rows_removed json not null,          -- {"students": n, "outcomes": n, ...}
    aggregates json not null             -- the archived_aggregates rows kept, as a list
);

create table archived_aggregates (
    purge_id integer not null,
    graduation_year integer not null,
    division varchar not null,
    students_count integer not null,
    outcomes_uploaded integer not null,
    outcomes_passed integer not null,
    outcomes_selected integer not null,
    diverse_uploaded integer not null,
    diverse_selected integer not null,
    cadres_count integer not null,
    counselling_count integer not null,
    receipts_count integer not null,
    primary key (purge_id, division)
);
