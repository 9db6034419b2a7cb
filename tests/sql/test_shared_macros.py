"""The macros of migration 010 (one rule each, shared by the queries) return what the SQL they
replaced returned.

Each REFERENCE below is the explicit SQL a query in queries/ spelled out before 010, copied as it
stood (only its $parameters renamed to the ones given here), beside the macro call that replaces
it. On the demo school both give the same rows for each parameter set. The 作業期程 lookup is also
checked on a hand-made school, where the rows are chosen so that each branch of the rule (a
division's own row, the row with empty 部別, none) decides one case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dashboard.kinds import ACTIVE_STATUSES
from tests import school_fixture

Con = duckdb.DuckDBPyConnection
STATUSES = list(ACTIVE_STATUSES)
DIVISIONS = (None, "日間部", "進修部")


@pytest.fixture(scope="module")
def demo(demo_db_template: Path) -> Iterator[Con]:
    """The demo school, read only (every reference here is a select)."""
    c = duckdb.connect(str(demo_db_template), read_only=True)
    try:
        yield c
    finally:
        c.close()


def rows(con: Con, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(con.execute(sql, params).fetchall(), key=repr)


# --- the 作業期程 lookup (metrics.md, "On time") -------------------------------------------

# teacher_board, teacher_pending_items, metrics_outcomes_by_group (教師認證 of one semester)
OLD_CERTIFICATION_PHASE = """
with certification_phases as (
    select
        division,
        max(end_date) as end_date
    from schedule
    where school_year = $year
      and semester = $semester
      and phase = '教師認證'
    group by division
),

active_students as (
    select
        student_no,
        division
    from active_students_of_semester($year, $semester, null, $active_statuses)
)

select
    active_students.student_no,
    coalesce(own_phase.end_date, general_phase.end_date) as deadline_date
from active_students
left join certification_phases as own_phase
    on own_phase.division = active_students.division
left join certification_phases as general_phase
    on general_phase.division is null
"""

NEW_CERTIFICATION_PHASE = """
select
    active_students.student_no,
    certification_phase.end_date as deadline_date
from active_students_of_semester($year, $semester, null, $active_statuses) as active_students
cross join lateral phase_end($year, $semester, active_students.division, '教師認證') as certification_phase
"""

# metrics_year_submissions (學校提交, per-year rosters of 學期 0 read semester 2)
OLD_SUBMISSION_PHASE = """
with year_submissions as (
    select
        roster,
        division,
        semester,
        batch,
        submitted_at
    from submissions
    where school_year = $year
),

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
    coalesce(own_phase.end_date, general_phase.end_date) as deadline_date
from year_submissions
left join submission_phases as own_phase
    on own_phase.semester = if(year_submissions.semester = 0, 2, year_submissions.semester)
   and own_phase.division = year_submissions.division
left join submission_phases as general_phase
    on general_phase.semester = if(year_submissions.semester = 0, 2, year_submissions.semester)
   and general_phase.division is null
"""

NEW_SUBMISSION_PHASE = """
select
    submissions.roster,
    submissions.division,
    submissions.semester,
    submissions.batch,
    submissions.submitted_at,
    submission_phase.end_date as deadline_date
from submissions
cross join lateral phase_end($year, submissions.semester, submissions.division, '學校提交')
    as submission_phase
where submissions.school_year = $year
"""


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
    assert con.execute("select phase_semester(0), phase_semester(1), phase_semester(2)").fetchall() == [
        (2, 1, 2)
    ]


@pytest.mark.parametrize(("year", "semester"), [(113, 1), (113, 2), (114, 1), (114, 2), (115, 1), (116, 1)])
def test_phase_end_gives_the_certification_deadlines_the_old_joins_gave(
    demo: Con, year: int, semester: int
) -> None:
    params = {"year": year, "semester": semester, "active_statuses": STATUSES}
    old = rows(demo, OLD_CERTIFICATION_PHASE, params)
    assert old == rows(demo, NEW_CERTIFICATION_PHASE, params)
    assert year == 116 or any(deadline is not None for _, deadline in old)


@pytest.mark.parametrize("year", [113, 114, 115])
def test_phase_end_gives_the_submission_deadlines_the_old_joins_gave(demo: Con, year: int) -> None:
    old = rows(demo, OLD_SUBMISSION_PHASE, {"year": year})
    assert old == rows(demo, NEW_SUBMISSION_PHASE, {"year": year})
    assert old


def test_on_time_counts_the_whole_end_day(con: Con) -> None:
    got = con.execute(
        "select on_time(timestamp '2025-02-07 23:59:59', date '2025-02-07'),"
        " on_time(timestamp '2025-02-08 00:00:00', date '2025-02-07'),"
        " on_time(null, date '2025-02-07'),"
        " on_time(timestamp '2025-02-01 00:00:00', cast(null as date))"
    ).fetchall()
    assert got == [(True, False, None, None)]
