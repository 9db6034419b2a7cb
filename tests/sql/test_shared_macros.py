"""The macros of migrations 010 to 013 (one rule each, shared by the queries) return what the SQL
they replaced returned.

Each OLD_* text below is SQL that queries in queries/ spelled out before 010, copied as it stood
(CTEs a query no longer has, and a final select naming what the macro now gives; what two of them
spelled out alike is written once, with the columns each read); beside it, the macro call that
replaces it. On the demo school both give the same rows for every parameter set
of REFERENCES, and at least one set gives rows. The 作業期程 lookup is also checked on hand-made
schedules, where each branch of the rule (a division's own row, the row with empty 部別, none)
decides one case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dashboard.ingest.kinds import ACTIVE_STATUSES
from tests import school_fixture

Con = duckdb.DuckDBPyConnection
STATUSES = list(ACTIVE_STATUSES)
DIVISIONS = (None, "日間部", "進修部")
SEMESTERS = ((113, 1), (113, 2), (114, 1), (114, 2), (115, 1))
YEARS = (113, 114, 115)


@pytest.fixture(scope="module")
def demo(demo_db_template: Path) -> Iterator[Con]:
    """The demo school, read only (every reference here is a select)."""
    with duckdb.connect(str(demo_db_template), read_only=True) as c:
        yield c


def rows(con: Con, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(con.execute(sql, params).fetchall(), key=repr)


def semester_params(**more: list[Any]) -> list[dict[str, Any]]:
    """Every demo semester and division, times each value of `more`."""
    sets = [
        {"year": y, "semester": s, "division": d, "active_statuses": STATUSES}
        for y, s in SEMESTERS
        for d in DIVISIONS
    ]
    for name, values in more.items():
        sets = [{**p, name: v} for p in sets for v in values]
    return sets


# --- the old SQL ------------------------------------------------------------------------

# teacher_board, teacher_pending_items, metrics_outcomes_by_group: the 教師認證 phases of S
OLD_CERTIFICATION_PHASES = """
certification_phases as (
    select
        division,
        max(end_date) as end_date
    from schedule
    where school_year = $year
      and semester = $semester
      and phase = '教師認證'
    group by division
)
"""


def old_semester_ctes(outcome_columns: str, student_columns: str) -> str:
    """The CTEs metrics_outcomes_by_group and teacher_board both spelled out, each with the
    columns it read: the outcomes of S, the 教師認證 phases of S and A(S)."""
    return f"""
with semester_outcomes as (
    select {outcome_columns}
    from outcomes
    where school_year = $year
      and semester = $semester
),
{OLD_CERTIFICATION_PHASES},
active_students as (
    select {student_columns}
    from active_students_of_semester($year, $semester, $division, $active_statuses)
)"""


# how both joined the phases to a row: its student's 部別's own row, else the one with empty 部別
OLD_DEADLINE_JOINS = """
left join certification_phases as own_phase
    on own_phase.division = active_students.division
left join certification_phases as general_phase
    on general_phase.division is null
"""

# metrics_outcomes_by_group up to its rows per item (OLD_JUDGED_OUTCOMES), then on to its
# counts per student (+ OLD_OUTCOMES_PER_STUDENT)
OLD_JUDGED_OUTCOMES = (
    old_semester_ctes(
        "student_no, teacher_code, cert_status, certified_at, certifier_code",
        "student_no, division, department, class_name",
    )
    + """,

rows_per_student as (
    select
        student_no,
        count(*) as student_row_count
    from semester_outcomes
    group by student_no
),

judged_outcomes as (
    select
        semester_outcomes.student_no,
        semester_outcomes.teacher_code,
        semester_outcomes.cert_status,
        semester_outcomes.cert_status in ('通過', '未通過') as is_decided,
        semester_outcomes.certified_at,
        semester_outcomes.certifier_code,
        active_students.department,
        active_students.class_name,
        coalesce(own_phase.end_date, general_phase.end_date) as deadline_date,
        rows_per_student.student_row_count
    from semester_outcomes
    inner join active_students
        on active_students.student_no = semester_outcomes.student_no
    inner join rows_per_student
        on rows_per_student.student_no = semester_outcomes.student_no"""
    + OLD_DEADLINE_JOINS
    + """)
"""
)

OLD_OUTCOMES_PER_STUDENT = """,
keyed_outcomes as (
    select
        *,
        case $group_by
            when 'teacher' then teacher_code
            when 'department' then department
            when 'class' then class_name
            else '全校'
        end as group_key
    from judged_outcomes
),

per_student as (
    select
        group_key,
        student_no,
        count(*) as uploaded_count,
        count(*) filter (where cert_status in ('認證中', '通過', '未通過')) as submitted_count,
        count(*) filter (where cert_status = '通過') as passed_count,
        count(*) filter (where cert_status = '未通過') as failed_count,
        count(*) filter (where cert_status = '認證中') as pending_count,
        count(*) filter (where cert_status in ('認證中', '通過', '未通過')
            and deadline_date is null) as unjudgeable_count,
        count(*) filter (
            where is_decided
              and certified_at < deadline_date + interval 1 day
        ) as on_time_count,
        count(*) filter (
            where is_decided
              and certifier_code is not null
              and certifier_code <> teacher_code
        ) as proxy_certified_count,
        any_value(student_row_count) as student_row_count
    from keyed_outcomes
    group by
        group_key,
        student_no
)
"""

# teacher_board up to its rows per item (the age of a pending item, its deadline)
OLD_TEACHER_OUTCOMES = (
    old_semester_ctes("student_no, teacher_code, cert_status, submitted_at", "student_no, division")
    + """

select
    semester_outcomes.teacher_code,
    semester_outcomes.cert_status = '認證中' as is_pending,
    active_students.division,
    date_diff(
        'day',
        cast(semester_outcomes.submitted_at as date),
        cast($as_of as date)
    ) as waiting_days,
    coalesce(own_phase.end_date, general_phase.end_date) as deadline_date
from semester_outcomes
inner join active_students
    on active_students.student_no = semester_outcomes.student_no"""
    + OLD_DEADLINE_JOINS
)


def old_year_submissions(columns: str) -> str:
    """The 提交紀錄 rows of Y in $division, as metrics_year_submissions and submission_attempts
    both read them, each with the columns it read."""
    return f"""
select {columns}
from submissions
where school_year = $year
  and ($division is null or division = $division)
"""


# metrics_year_submissions (學校提交; per-year rosters of 學期 0 read semester 2)
OLD_SUBMISSION_PHASES = (
    "with year_submissions as ("
    + old_year_submissions("roster, division, semester, batch, submitted_at, result")
    + """),

submission_phases as (
    select
        semester,
        division,
        max(end_date) as end_date
    from schedule
    where school_year = $year
      and phase = '學校提交'
    group by
        semester,
        division
)

select
    year_submissions.*,
    coalesce(own_phase.end_date, general_phase.end_date) as deadline_date,
    submitted_at < deadline_date + interval 1 day as on_time
from year_submissions
left join submission_phases as own_phase
    on own_phase.semester = if(year_submissions.semester = 0, 2, year_submissions.semester)
   and own_phase.division = year_submissions.division
left join submission_phases as general_phase
    on general_phase.semester = if(year_submissions.semester = 0, 2, year_submissions.semester)
   and general_phase.division is null
"""
)

# rule_value; the caps of diverse_students_over_cap (the same form read two keys in
# eligibility_teachers and metrics_year_selection, one in five more queries)
OLD_RULE_VALUE = """
with candidates as (
    select
        value,
        effective_from_year
    from rules
    where key = $key
      and effective_from_year <= $year
)

select value
from candidates
order by effective_from_year desc
limit 1
"""

OLD_CAPS = """
select
    arg_max(value, effective_from_year) filter (
        where key = 'diverse_upload_cap_per_year'
    ) as upload_cap,
    arg_max(value, effective_from_year) filter (
        where key = 'diverse_selection_cap_per_year'
    ) as selection_cap
from rules
where effective_from_year <= $year
"""

# warnings_over_cap: every rule in force in each 學年度 that has items
OLD_RULES_IN_FORCE = """
with years as (
    select distinct school_year
    from outcomes
)

select
    y.school_year,
    r.key as rule_key,
    arg_max(r.value, r.effective_from_year) as cap
from years as y
inner join rules as r
    on r.effective_from_year <= y.school_year
group by
    y.school_year,
    r.key
"""

# submission_attempts (metrics_year_submissions read the same rows)
OLD_YEAR_SUBMISSIONS = old_year_submissions(
    "roster, division, semester, batch, submitted_at, unit, submitted_by, row_count"
)

# metrics_year_receipts and receipts_by_class; notice_recipients ordered by a case of its own
OLD_RECEIPT_ROSTERS = """
select
    roster,
    roster_order
from (
    values
        ('修課紀錄', 1),
        ('課程學習成果', 2),
        ('多元表現', 3),
        ('校內幹部經歷', 4)
) as rosters (roster, roster_order)
"""

OLD_ROSTER_ORDER = """
select
    roster,
    student_no,
    case roster
        when '修課紀錄' then 1
        when '課程學習成果' then 2
        when '多元表現' then 3
        when '校內幹部經歷' then 4
        else 5
    end as roster_order
from receipts
where school_year = $year
"""

# metrics_year_trainings and training_attendance_by_year
OLD_TRAINING_KINDS = """
select
    training_kind,
    kind_order
from (
    values
        ('宣導說明', 1),
        ('系統操作訓練', 2),
        ('專業研習', 3)
) as kinds (training_kind, kind_order)
"""

# counselling_coverage (metrics_semester_counselling counted the same join)
OLD_COUNSELLING = """
with semester_counselling as (
    select distinct student_no
    from counselling
    where school_year = $year
      and semester = $semester
),

active_students as (
    select
        student_no,
        division,
        department,
        grade
    from active_students_of_semester($year, $semester, $division, $active_statuses)
)

select
    active_students.division,
    active_students.department,
    active_students.grade,
    semester_counselling.student_no is not null as has_record
from active_students
left join semester_counselling
    on semester_counselling.student_no = active_students.student_no
"""

# A(Y), as every per-year query joined it
OLD_ACTIVE_STUDENTS_OF_YEAR = """
active_students as (
    select
        student_no,
        division
    from active_students_of_year($year, $division, $active_statuses)
)
"""

# pipeline_selected_not_passed: the latest roster row of the year (diverse_students_over_cap,
# receipt_disputes and receipts_by_class took some of these columns the same way)
OLD_LATEST_ROWS = """
select
    student_no,
    arg_max(name, semester) as name,
    arg_max(department, semester) as department,
    arg_max(class_name, semester) as class_name,
    arg_max_null(seat_no, semester) as seat_no
from students
where school_year = $year
group by student_no
"""

# retention_cohort_students and retention_cohort_aggregates: the latest row over every year
OLD_LATEST_DIVISION = """
select
    student_no,
    arg_max(division, school_year * 10 + semester) as division
from students
group by student_no
"""

# receipt_disputes: A(Y) with the name and class of the latest row of the year
OLD_ACTIVE_YEAR_ROWS = (
    "with"
    + OLD_ACTIVE_STUDENTS_OF_YEAR
    + """,
student_rows as (
    select
        student_no,
        arg_max(class_name, semester) as class_name,
        arg_max(name, semester) as student_name
    from students
    where school_year = $year
    group by student_no
)

select
    active_students.student_no,
    active_students.division,
    student_rows.class_name,
    student_rows.student_name
from active_students
left join student_rows
    on student_rows.student_no = active_students.student_no
"""
)

# diverse_students_over_cap (metrics_year_diverse counted the uploads alone the same way)
OLD_DIVERSE_PER_STUDENT = (
    """
with year_diverse as (
    select
        student_no,
        selected
    from diverse
    where school_year = $year
),
"""
    + OLD_ACTIVE_STUDENTS_OF_YEAR
    + """
select
    year_diverse.student_no,
    count(*) as uploaded_count,
    count(*) filter (where year_diverse.selected) as selected_count
from year_diverse
inner join active_students
    on active_students.student_no = year_diverse.student_no
group by year_diverse.student_no
"""
)

# metrics_year_selection up to its counts per student (pipeline_students counted them too)
OLD_SELECTION_PER_STUDENT = (
    """
with selected_outcomes as (
    select
        student_no,
        cert_status
    from outcomes
    where school_year = $year
      and selected
),

selected_diverse as (
    select student_no
    from diverse
    where school_year = $year
      and selected
),
"""
    + OLD_ACTIVE_STUDENTS_OF_YEAR
    + """,
outcomes_per_student as (
    select
        selected_outcomes.student_no,
        count(*) as selected_count,
        count(*) filter (where selected_outcomes.cert_status <> '通過') as not_passed_count
    from selected_outcomes
    inner join active_students
        on active_students.student_no = selected_outcomes.student_no
    group by selected_outcomes.student_no
),

diverse_per_student as (
    select
        selected_diverse.student_no,
        count(*) as selected_count
    from selected_diverse
    inner join active_students
        on active_students.student_no = selected_diverse.student_no
    group by selected_diverse.student_no
)

select
    coalesce(outcomes_per_student.student_no, diverse_per_student.student_no) as student_no,
    coalesce(outcomes_per_student.selected_count, 0) as outcomes_selected_count,
    coalesce(outcomes_per_student.not_passed_count, 0) as selected_not_passed_count,
    coalesce(diverse_per_student.selected_count, 0) as diverse_selected_count
from outcomes_per_student
full outer join diverse_per_student
    on diverse_per_student.student_no = outcomes_per_student.student_no
"""
)

# receipts_by_class up to its counts per class
OLD_RECEIPTS_PER_CLASS = (
    "with"
    + OLD_ACTIVE_STUDENTS_OF_YEAR
    + """,
student_classes as (
    select
        student_no,
        arg_max(class_name, semester) as class_name
    from students
    where school_year = $year
    group by student_no
),

counted_receipts as (
    select
        receipts.roster,
        active_students.division,
        student_classes.class_name,
        receipts.status,
        receipts.notice_method
    from receipts
    inner join active_students
        on active_students.student_no = receipts.student_no
    left join student_classes
        on student_classes.student_no = receipts.student_no
    where receipts.school_year = $year
)

select
    roster,
    division,
    class_name,
    count(*) as listed_count,
    count(*) filter (where status = '已確認') as confirmed_count,
    count(*) filter (where status = '回報錯誤') as reported_count,
    count(*) filter (where status = '未確認') as unconfirmed_count,
    count(*) filter (where notice_method = '紙本郵寄') as paper_mail_count
from counted_receipts
group by
    roster,
    division,
    class_name
"""
)

# metrics_year_receipts up to its counts per 名冊別
OLD_RECEIPTS_PER_ROSTER = (
    """
with answer_limit as (
    select arg_max(value, effective_from_year) as max_days
    from rules
    where key = 'dispute_answer_max_days'
      and effective_from_year <= $year
),
"""
    + OLD_ACTIVE_STUDENTS_OF_YEAR
    + """,
counted_receipts as (
    select
        receipts.roster,
        receipts.status,
        receipts.notice_method,
        receipts.status = '回報錯誤'
        and receipts.answered_at <= receipts.confirmed_at + answer_limit.max_days * interval 1 day
            as answered_within_limit
    from receipts
    inner join active_students
        on active_students.student_no = receipts.student_no
    cross join answer_limit
    where receipts.school_year = $year
)

select
    roster,
    count(*) as listed_count,
    count(*) filter (where status = '已確認') as confirmed_count,
    count(*) filter (where status = '回報錯誤') as reported_count,
    count(*) filter (where status = '未確認') as unconfirmed_count,
    count(*) filter (where answered_within_limit) as answered_within_limit_count,
    count(*) filter (where notice_method = '紙本郵寄') as paper_mail_count
from counted_receipts
group by roster
"""
)

# enrolment_changes: the days of a semester (metrics_semester_meetings bounded it the same way,
# with the day after the last)
OLD_SEMESTER_WINDOW = """
select
    case when $semester = 1
        then make_date($year + 1911, 8, 1)
        else make_date($year + 1912, 2, 1)
    end as starts_on,
    case when $semester = 1
        then make_date($year + 1912, 1, 31)
        else make_date($year + 1912, 7, 31)
    end as ends_on
"""

OLD_SEMESTER_MEETINGS = """
with semester_bounds as (
    select
        case
            when $semester = 1 then make_date($year + 1911, 8, 1)
            else make_date($year + 1912, 2, 1)
        end as first_day,
        case
            when $semester = 1 then make_date($year + 1912, 2, 1)
            else make_date($year + 1912, 8, 1)
        end as day_after_last
)

select meetings.meeting_id
from meetings
cross join semester_bounds
where meetings.held_on >= semester_bounds.first_day
  and meetings.held_on < semester_bounds.day_after_last
"""

# retention_cohort_aggregates (retention_cohort_students joined the same two)
OLD_COHORT_STUDENTS = """
with cohort as (
    select student_no
    from graduated_students()
    where graduation_year = $year
)

select
    students.student_no,
    arg_max(students.division, students.school_year * 10 + students.semester) as division
from students
inner join cohort
    on cohort.student_no = students.student_no
group by students.student_no
"""

# --- what replaces it --------------------------------------------------------------------

NEW_OUTCOMES = """
select
    student_no,
    teacher_code,
    cert_status,
    certified_at,
    certifier_code,
    department,
    class_name,
    deadline_date,
    count(*) over (partition by student_no) as student_row_count
from active_outcomes_of_semester($year, $semester, $division, $active_statuses)
"""

NEW_TEACHER_OUTCOMES = """
select
    teacher_code,
    cert_status = '認證中' as is_pending,
    division,
    days_waited(submitted_at, $as_of) as waiting_days,
    deadline_date
from active_outcomes_of_semester($year, $semester, $division, $active_statuses)
"""

NEW_SUBMISSION_PHASES = """
select
    submissions.roster,
    submissions.division,
    submissions.semester,
    submissions.batch,
    submissions.submitted_at,
    submissions.result,
    submission_phase.end_date as deadline_date,
    on_time(submissions.submitted_at, submission_phase.end_date) as on_time
from submissions
cross join lateral phase_end($year, submissions.semester, submissions.division, '學校提交')
    as submission_phase
where submissions.school_year = $year
  and ($division is null or submissions.division = $division)
"""

NEW_RULE_VALUE = "select value from (select rule_in_force($key, $year) as value) where value is not null"

NEW_CAPS = """
select
    rule_in_force('diverse_upload_cap_per_year', $year) as upload_cap,
    rule_in_force('diverse_selection_cap_per_year', $year) as selection_cap
"""

NEW_RULES_IN_FORCE = """
select
    years.school_year,
    keys.key as rule_key,
    rule_in_force(keys.key, years.school_year) as cap
from (select distinct school_year from outcomes) as years
cross join (select distinct key from rules) as keys
where rule_in_force(keys.key, years.school_year) is not null
"""

YEAR_PARAMS = [{"year": y, "division": d, "active_statuses": STATUSES} for y in YEARS for d in DIVISIONS]
RULE_KEYS = ("outcome_upload_cap_per_semester", "diverse_selection_cap_per_year", "commendation_on_time_rate")
RULE_YEARS = (107, 108, 112, 113, 114, 115)

REFERENCES = [
    pytest.param(
        OLD_JUDGED_OUTCOMES
        + """
select student_no, teacher_code, cert_status, certified_at, certifier_code, department, class_name,
    deadline_date, student_row_count
from judged_outcomes
""",
        NEW_OUTCOMES,
        semester_params(),
        id="phase_end+active_outcomes_of_semester",
    ),
    pytest.param(
        OLD_JUDGED_OUTCOMES + OLD_OUTCOMES_PER_STUDENT + "select * from per_student",
        "select * from outcome_counts_per_student($year, $semester, $division, $active_statuses, $group_by)",
        semester_params(group_by=["school", "teacher", "department", "class"]),
        id="outcome_counts_per_student",
    ),
    pytest.param(
        OLD_TEACHER_OUTCOMES,
        NEW_TEACHER_OUTCOMES,
        semester_params(as_of=[datetime(2025, 1, 20, 8, 0), None]),
        id="days_waited",
    ),
    pytest.param(
        OLD_SUBMISSION_PHASES,
        NEW_SUBMISSION_PHASES,
        [{"year": y, "division": d} for y in YEARS for d in DIVISIONS],
        id="phase_end+on_time(submissions)",
    ),
    pytest.param(
        OLD_RULE_VALUE,
        NEW_RULE_VALUE,
        [{"key": k, "year": y} for k in RULE_KEYS for y in RULE_YEARS],
        id="rule_in_force(rule_value)",
    ),
    pytest.param(OLD_CAPS, NEW_CAPS, [{"year": y} for y in RULE_YEARS], id="rule_in_force(caps)"),
    pytest.param(OLD_RULES_IN_FORCE, NEW_RULES_IN_FORCE, [{}], id="rule_in_force(per year)"),
    pytest.param(
        OLD_YEAR_SUBMISSIONS,
        "select roster, division, semester, batch, submitted_at, unit, submitted_by, row_count"
        " from submissions_of_year($year, $division)",
        [{"year": y, "division": d} for y in YEARS for d in DIVISIONS],
        id="submissions_of_year",
    ),
    pytest.param(OLD_RECEIPT_ROSTERS, "select * from receipt_rosters()", [{}], id="receipt_rosters"),
    pytest.param(
        OLD_ROSTER_ORDER,
        "select roster, student_no, coalesce(receipt_rosters.roster_order, 5) as roster_order"
        " from receipts left join receipt_rosters() as receipt_rosters using (roster)"
        " where school_year = $year",
        [{"year": y} for y in YEARS],
        id="receipt_rosters(order)",
    ),
    pytest.param(OLD_TRAINING_KINDS, "select * from training_kinds()", [{}], id="training_kinds"),
    pytest.param(
        OLD_COUNSELLING,
        "select division, department, grade, has_record"
        " from counselling_of_active_students($year, $semester, $division, $active_statuses)",
        semester_params(),
        id="counselling_of_active_students",
    ),
    pytest.param(
        OLD_LATEST_ROWS,
        "select student_no, name, department, class_name, seat_no from latest_roster_rows($year)",
        [{"year": y} for y in YEARS],
        id="latest_roster_rows(year)",
    ),
    pytest.param(
        OLD_LATEST_DIVISION,
        "select student_no, division from latest_roster_rows(null)",
        [{}],
        id="latest_roster_rows",
    ),
    pytest.param(
        OLD_ACTIVE_YEAR_ROWS,
        "select student_no, division, class_name, name"
        " from active_latest_rows_of_year($year, $division, $active_statuses)",
        YEAR_PARAMS,
        id="active_latest_rows_of_year",
    ),
    pytest.param(
        OLD_DIVERSE_PER_STUDENT,
        "select * from diverse_counts_per_student($year, $division, $active_statuses)",
        YEAR_PARAMS,
        id="diverse_counts_per_student",
    ),
    pytest.param(
        OLD_SELECTION_PER_STUDENT,
        "select * from selection_counts_per_student($year, $division, $active_statuses)",
        YEAR_PARAMS,
        id="selection_counts_per_student",
    ),
    pytest.param(
        OLD_RECEIPTS_PER_CLASS,
        "select * exclude (answered_within_limit_count)"
        " from receipt_counts_by_class($year, $division, $active_statuses)",
        YEAR_PARAMS,
        id="receipt_counts_by_class",
    ),
    pytest.param(
        OLD_RECEIPTS_PER_ROSTER,
        "select roster, sum(columns(* exclude (roster, division, class_name)))::bigint"
        " from receipt_counts_by_class($year, $division, $active_statuses) group by roster",
        YEAR_PARAMS,
        id="receipt_counts_by_class+dispute_answer_due(per roster)",
    ),
    pytest.param(
        OLD_SEMESTER_WINDOW,
        "select first_day, last_day from semester_days($year, $semester)",
        [{"year": y, "semester": s} for y in (112, 113, 114) for s in (1, 2)],
        id="semester_days",
    ),
    pytest.param(
        OLD_SEMESTER_MEETINGS,
        "select meetings.meeting_id from meetings cross join semester_days($year, $semester) as d"
        " where meetings.held_on between d.first_day and d.last_day",
        [{"year": y, "semester": s} for y in (113, 114, 115) for s in (1, 2)],
        id="semester_days(meetings)",
    ),
    pytest.param(
        OLD_COHORT_STUDENTS,
        "select student_no, division from graduate_cohort($year)",
        [{"year": y} for y in (112, *YEARS)],
        id="graduate_cohort",
    ),
]


@pytest.mark.parametrize(("old", "new", "param_sets"), REFERENCES)
def test_the_macro_returns_the_rows_of_the_sql_it_replaced(
    demo: Con, old: str, new: str, param_sets: list[dict[str, Any]]
) -> None:
    with_rows = 0
    for params in param_sets:
        before = rows(demo, old, params)
        assert rows(demo, new, params) == before, params
        with_rows += bool(before)
    assert with_rows, "the demo gives no rows for any parameter set: nothing was compared"


# --- the 作業期程 lookup on hand-made schedules ---------------------------------------------


def phase_end(con: Con, year: int, semester: int, division: str | None, phase: str) -> list[tuple[Any, ...]]:
    return con.execute(
        "select end_date from phase_end($y, $s, $d, $p)",
        {"y": year, "s": semester, "d": division, "p": phase},
    ).fetchall()


def test_phase_end_takes_the_divisions_own_row_over_the_row_for_both(con: Con) -> None:
    school_fixture.schedule(con, "教師認證", date(2025, 2, 7))  # both divisions
    school_fixture.schedule(con, "教師認證", date(2025, 2, 14), division="進修部")  # later
    school_fixture.schedule(con, "教師認證", date(2025, 1, 31), division="日間部")  # earlier
    assert phase_end(con, 113, 1, "進修部", "教師認證") == [(date(2025, 2, 14),)]
    assert phase_end(con, 113, 1, "日間部", "教師認證") == [(date(2025, 1, 31),)]
    # no 部別 (or one with no row of its own): the row for both
    assert phase_end(con, 113, 1, None, "教師認證") == [(date(2025, 2, 7),)]
    assert phase_end(con, 113, 1, "其他部", "教師認證") == [(date(2025, 2, 7),)]


def test_phase_end_falls_back_to_the_row_for_both_then_to_null(con: Con) -> None:
    school_fixture.schedule(con, "學校提交", date(2025, 8, 20), semester=2)  # both divisions
    school_fixture.schedule(con, "收訖確認", date(2025, 9, 5), semester=2, division="日間部")
    school_fixture.schedule(con, "教師認證", date(2025, 2, 7), year=114)  # another year
    school_fixture.schedule(con, "教師認證", date(2025, 2, 7), semester=2)  # another semester
    assert phase_end(con, 113, 2, "進修部", "學校提交") == [(date(2025, 8, 20),)]
    # only 日間部 has a 收訖確認 row: 進修部 has no phase, and the answer is one NULL row
    assert phase_end(con, 113, 2, "日間部", "收訖確認") == [(date(2025, 9, 5),)]
    assert phase_end(con, 113, 2, "進修部", "收訖確認") == [(None,)]
    # 113-1 has no 教師認證 row: the rows of 114-1 and of 113-2 do not serve it
    assert phase_end(con, 113, 1, "日間部", "教師認證") == [(None,)]
    assert phase_end(con, 113, 1, "日間部", "學校提交") == [(None,)]


def test_phase_end_reads_semester_2_for_per_year_rosters_and_the_latest_of_repeated_rows(con: Con) -> None:
    school_fixture.schedule(con, "收訖確認", date(2025, 9, 5), semester=2)
    school_fixture.schedule(con, "收訖確認", date(2025, 9, 12), semester=2)  # a repeated row
    school_fixture.schedule(con, "收訖確認", date(2025, 1, 20), semester=1)
    assert phase_end(con, 113, 0, "日間部", "收訖確認") == [(date(2025, 9, 12),)]
    assert phase_end(con, 113, 2, "日間部", "收訖確認") == [(date(2025, 9, 12),)]
    assert phase_end(con, 113, 1, "日間部", "收訖確認") == [(date(2025, 1, 20),)]
    got = con.execute("select phase_semester(0), phase_semester(1), phase_semester(2)").fetchall()
    assert got == [(2, 1, 2)]


def test_on_time_counts_the_whole_end_day(con: Con) -> None:
    got = con.execute(
        "select on_time(timestamp '2025-02-07 23:59:59', date '2025-02-07'),"
        " on_time(timestamp '2025-02-08 00:00:00', date '2025-02-07'),"
        " on_time(null, date '2025-02-07'),"
        " on_time(timestamp '2025-02-01 00:00:00', cast(null as date))"
    ).fetchall()
    assert got == [(True, False, None, None)]


def test_days_waited_counts_calendar_days(con: Con) -> None:
    got = con.execute(
        "select days_waited(timestamp '2025-01-13 23:59:00', timestamp '2025-01-20 08:00:00'),"
        " days_waited(timestamp '2025-01-20 07:00:00', timestamp '2025-01-20 08:00:00'),"
        " days_waited(null, timestamp '2025-01-20 08:00:00'),"
        " days_waited(timestamp '2025-01-13 23:59:00', null)"
    ).fetchall()
    assert got == [(7, 0, None, None)]


def test_rule_in_force_is_the_latest_row_effective_by_the_year(con: Con) -> None:
    """An amendment from 113 (and one from 115) changes the rule from that year on, not before;
    no row is in force before the first. The old SQL agrees on every year."""
    school_fixture.rule(con, "outcome_upload_cap_per_semester", 3, 113)
    school_fixture.rule(con, "outcome_upload_cap_per_semester", 4, 115)
    got = {
        y: con.execute("select rule_in_force('outcome_upload_cap_per_semester', $y)", {"y": y}).fetchall()
        for y in (107, 108, 112, 113, 114, 115, 116)
    }
    assert got == {
        107: [(None,)],
        108: [(6,)],
        112: [(6,)],
        113: [(3,)],
        114: [(3,)],
        115: [(4,)],
        116: [(4,)],
    }
    for y in RULE_YEARS:
        for key in RULE_KEYS:
            params = {"key": key, "year": y}
            assert rows(con, NEW_RULE_VALUE, params) == rows(con, OLD_RULE_VALUE, params)


def test_latest_roster_rows_follow_the_last_semester_even_into_a_missing_seat(con: Con) -> None:
    """A student who moves to another 部別 and 班級 in semester 2 and has no 座號 there is that
    row in the year; over every year, the row of the last 學年度."""
    school_fixture.student(con, "S01", 113, 1, class_name="機一甲", seat_no=5)
    school_fixture.student(con, "S01", 113, 2, division="進修部", class_name="進機一")
    school_fixture.student(con, "S01", 114, 1, class_name="機二甲", seat_no=7, grade=2)
    school_fixture.student(con, "S02", 113, 1, class_name="機一乙", seat_no=3)
    sql = (
        "select student_no, school_year, semester, division, class_name, seat_no from latest_roster_rows($y)"
    )
    assert rows(con, sql, {"y": 113}) == [
        ("S01", 113, 2, "進修部", "進機一", None),
        ("S02", 113, 1, "日間部", "機一乙", 3),
    ]
    assert rows(con, sql, {"y": None}) == [
        ("S01", 114, 1, "日間部", "機二甲", 7),
        ("S02", 113, 1, "日間部", "機一乙", 3),
    ]
    for params in ({"year": 113}, {"year": 114}):
        assert rows(con, OLD_LATEST_ROWS, params) == rows(
            con,
            "select student_no, name, department, class_name, seat_no from latest_roster_rows($year)",
            params,
        )


def test_dispute_answer_due_is_the_limit_in_days_after_the_report(con: Con) -> None:
    got = con.execute(
        "select dispute_answer_due(timestamp '2025-09-01 10:00:00', 3),"
        " dispute_answer_due(cast(null as timestamp), 3)"
    ).fetchall()
    assert got == [(datetime(2025, 9, 4, 10, 0), None)]


def test_semester_days_run_from_august_and_from_february(con: Con) -> None:
    got = con.execute(
        "select * from semester_days(113, 1) union all select * from semester_days(113, 2)"
    ).fetchall()
    assert got == [(date(2024, 8, 1), date(2025, 1, 31)), (date(2025, 2, 1), date(2025, 7, 31))]
