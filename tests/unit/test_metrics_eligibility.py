"""Teacher commendation check: thresholds exactly at 10 items and 0.95, over both semesters.

Students: D1 日間部 active in 113-1 and 113-2; D2 日間部 active in 113-1, 休學 in 113-2;
N1 進修部 active in both. 教師認證 ends 2025-02-07 in 113-1 (empty 部別) and 2025-08-07 in
113-2 for 日間部 only, so a decided 113-2 row of an 進修部 student has no phase.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from dashboard.measures import metrics
from tests import school_fixture as f

ON_TIME_1 = datetime(2025, 2, 7, 23, 59, 59)
LATE_1 = datetime(2025, 2, 8, 0, 0, 0)
ON_TIME_2 = datetime(2025, 8, 7, 12, 0)


def certify(
    con: duckdb.DuckDBPyConnection,
    teacher: str,
    n: int,
    when: datetime,
    semester: int = 1,
    student: str = "D1",
) -> None:
    for _ in range(n):
        f.outcome(con, student, teacher, "通過", when, semester=semester)


@pytest.fixture
def school(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    for sem in (1, 2):
        f.student(con, "D1", 113, sem)
        f.student(con, "N1", 113, sem, division="進修部")
    f.student(con, "D2", 113, 1)
    f.student(con, "D2", 113, 2, status="休學")
    f.schedule(con, "教師認證", date(2025, 2, 7))
    f.schedule(con, "教師認證", date(2025, 8, 7), semester=2, division="日間部")
    f.staff(con, "E10", "陳十件")
    # E10: exactly 10 items, all on time, over both semesters -> eligible.
    certify(con, "E10", 6, ON_TIME_1)
    certify(con, "E10", 4, ON_TIME_2, 2)
    # E09: 9 on time; its rows of an inactive student, an orphan and 未送出 rows do not count.
    certify(con, "E09", 9, ON_TIME_1)
    f.outcome(con, "D2", "E09", "通過", ON_TIME_2, semester=2)  # D2 休學 in 113-2
    f.outcome(con, "X99", "E09", "通過", ON_TIME_1)  # orphan
    f.outcome(con, "D1", "E09", "未送出")
    # E20: 20 items, 19 on time -> exactly 0.95 -> eligible.
    certify(con, "E20", 19, ON_TIME_1)
    certify(con, "E20", 1, LATE_1)
    # E21: 20 submitted, 18 on time, 1 late, 1 pending -> 0.9 -> not eligible.
    certify(con, "E21", 18, ON_TIME_1)
    certify(con, "E21", 1, LATE_1)
    f.outcome(con, "D1", "E21", "認證中")
    # E12: 12 on time plus one 進修部 decision of 113-2, which has no phase -> unknown.
    certify(con, "E12", 12, ON_TIME_1)
    certify(con, "E12", 1, ON_TIME_2, 2, student="N1")
    # E00: only 未送出 rows -> not listed.
    f.outcome(con, "D1", "E00", "未送出")
    return con


def test_thresholds(school: duckdb.DuckDBPyConnection) -> None:
    assert metrics.eligibility(school, 113) == [
        {
            "教師代碼": "E09",
            "教師姓名": None,
            "submitted": 9,
            "on_time": 9,
            "on_time_rate": 1.0,
            "eligible": False,
        },
        {
            "教師代碼": "E10",
            "教師姓名": "陳十件",
            "submitted": 10,
            "on_time": 10,
            "on_time_rate": 1.0,
            "eligible": True,
        },
        {
            "教師代碼": "E12",
            "教師姓名": None,
            "submitted": 13,
            "on_time": None,
            "on_time_rate": None,
            "eligible": False,
        },
        {
            "教師代碼": "E20",
            "教師姓名": None,
            "submitted": 20,
            "on_time": 19,
            "on_time_rate": 0.95,
            "eligible": True,
        },
        {
            "教師代碼": "E21",
            "教師姓名": None,
            "submitted": 20,
            "on_time": 18,
            "on_time_rate": 0.9,
            "eligible": False,
        },
    ]


def test_a_rate_that_only_rounds_to_the_threshold_is_not_enough(con: duckdb.DuckDBPyConnection) -> None:
    """968 / 1019 = 0.949951 shows as 0.95, but the rule is ≥ 95 %: compared exactly."""
    f.student(con, "D1", 113, 1)
    f.schedule(con, "教師認證", date(2025, 2, 7))
    con.execute(
        "insert into outcomes (outcome_id, school_year, semester, student_no, course_code, teacher_code,"
        " uploaded_at, cert_status, certified_at, certifier_code, outcome_type, selected)"
        " select 'B' || i, 113, 1, 'D1', 'C001', 'E99', $up, '通過',"
        " case when i < 968 then $on_time else $late end, 'E99', '學期', false from range(1019) as t(i)",
        {"up": datetime(2024, 12, 1), "on_time": ON_TIME_1, "late": LATE_1},
    )
    [row] = metrics.eligibility(con, 113)
    assert (row["submitted"], row["on_time"], row["on_time_rate"], row["eligible"]) == (
        1019,
        968,
        0.95,
        False,
    )


def test_rules_are_read_for_the_year(school: duckdb.DuckDBPyConnection) -> None:
    f.rule(school, "commendation_min_items", 9, 113)
    f.rule(school, "commendation_on_time_rate", 0.9, 113)
    eligible = {r["教師代碼"] for r in metrics.eligibility(school, 113) if r["eligible"]}
    assert eligible == {"E09", "E10", "E20", "E21"}
    f.rule(school, "commendation_min_items", 11, 114)  # a later amendment leaves 113 alone
    assert {r["教師代碼"] for r in metrics.eligibility(school, 113) if r["eligible"]} == eligible


def test_eligibility_agrees_with_the_semester_breakdowns(school: duckdb.DuckDBPyConnection) -> None:
    per_teacher: dict[str, int] = {}
    for sem in (1, 2):
        for row in metrics.semester_breakdown(school, 113, sem, "teacher"):
            per_teacher[row["教師代碼"]] = per_teacher.get(row["教師代碼"], 0) + row["submitted"]
    assert {r["教師代碼"]: r["submitted"] for r in metrics.eligibility(school, 113)} == {
        k: v for k, v in per_teacher.items() if v
    }


def test_no_teachers(con: duckdb.DuckDBPyConnection) -> None:
    assert metrics.eligibility(con, 113) == []
