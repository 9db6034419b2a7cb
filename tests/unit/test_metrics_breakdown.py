"""Outcomes per 任課教師 / 科別 / 班級 on the hand-made 113-1 school (school_fixture.semester_school).

By teacher: T01 has o1 o2 o3 (S01) and o6 (S04); T02 has o4 (S01, 未送出) and o5 (S02, proxy).
S01 has 4 rows in S in all (> cap 3), so S01 is over the cap in both T01's and T02's group.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from dashboard.measures import metrics
from tests import school_fixture as f


@pytest.fixture
def school(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    f.semester_school(con)
    return con


def test_by_teacher(school: duckdb.DuckDBPyConnection) -> None:
    assert metrics.semester_breakdown(school, 113, 1, "teacher") == [
        {
            "教師代碼": "T01",
            "教師姓名": "王大明",
            "uploaded": 4,  # o1 o2 o3 o6
            "students_with_upload": 2,  # S01 S04
            "submitted": 4,
            "passed": 2,  # o1 o6
            "failed": 1,  # o2
            "pending": 1,  # o3
            "certification_rate": 0.75,  # 3 / 4
            "on_time": 2,  # o1 o6
            "on_time_rate": 0.5,
            "proxy_certified": 0,
            "students_over_cap": 1,  # S01
        },
        {
            "教師代碼": "T02",
            "教師姓名": None,  # not in 教職員名冊
            "uploaded": 2,  # o4 o5
            "students_with_upload": 2,  # S01 S02
            "submitted": 1,  # o5
            "passed": 1,
            "failed": 0,
            "pending": 0,
            "certification_rate": 1.0,
            "on_time": 1,
            "on_time_rate": 1.0,
            "proxy_certified": 1,  # o5 certified by R01
            "students_over_cap": 1,  # S01: 1 row here, 4 in S
        },
    ]


def test_by_department(school: duckdb.DuckDBPyConnection) -> None:
    rows = metrics.semester_breakdown(school, 113, 1, "department")
    assert [r["科別"] for r in rows] == ["機械科", "電機科"]
    mech, elec = rows
    assert list(mech) == [
        "科別",
        *(k for k in metrics.semester_metrics(school, 113, 1)["outcomes"] if k != "upload_rate"),
    ]
    assert (mech["uploaded"], mech["students_with_upload"], mech["submitted"]) == (5, 2, 4)
    assert (mech["on_time"], mech["on_time_rate"], mech["proxy_certified"], mech["students_over_cap"]) == (
        2,
        0.5,
        1,
        1,
    )
    assert (elec["uploaded"], elec["on_time"], elec["on_time_rate"], elec["students_over_cap"]) == (
        1,
        1,
        1.0,
        0,
    )


def test_by_class_uses_the_roster_row_of_the_semester(school: duckdb.DuckDBPyConnection) -> None:
    f.student(school, "S01", 113, 2, class_name="機一乙")  # moved class in 113-2
    f.outcome(school, "S01", "T01", semester=2)
    rows = {r["班級"]: r for r in metrics.semester_breakdown(school, 113, 1, "class")}
    assert list(rows) == ["機一乙", "機一甲", "進電一"]
    a = rows["機一甲"]  # S01: o1 o2 o3 o4
    assert (a["uploaded"], a["submitted"], a["passed"], a["failed"], a["pending"]) == (4, 3, 1, 1, 1)
    assert (a["certification_rate"], a["on_time"], a["on_time_rate"]) == (0.6667, 1, 0.3333)  # 2/3, 1/3
    assert a["students_over_cap"] == 1
    b = rows["機一乙"]  # S02: o5
    assert (b["uploaded"], b["on_time_rate"], b["proxy_certified"], b["students_over_cap"]) == (1, 1.0, 1, 0)
    later = metrics.semester_breakdown(school, 113, 2, "class")
    assert [(r["班級"], r["uploaded"]) for r in later] == [("機一乙", 1)]


def test_division_restricts_the_groups(school: duckdb.DuckDBPyConnection) -> None:
    rows = metrics.semester_breakdown(school, 113, 1, "teacher", "進修部")
    assert [(r["教師代碼"], r["uploaded"], r["on_time"]) for r in rows] == [("T01", 1, 1)]


@pytest.mark.parametrize("by", ["teacher", "department", "class"])
def test_groups_add_up_to_the_whole_school(school: duckdb.DuckDBPyConnection, by: str) -> None:
    whole = metrics.semester_metrics(school, 113, 1)["outcomes"]
    rows = metrics.semester_breakdown(school, 113, 1, by)  # type: ignore[arg-type]
    for key in ("uploaded", "submitted", "passed", "failed", "pending", "on_time", "proxy_certified"):
        assert sum(r[key] for r in rows) == whole[key], key


def test_missing_phase_nulls_only_the_groups_it_touches(school: duckdb.DuckDBPyConnection) -> None:
    school.execute("delete from schedule where phase = '教師認證' and division is null")
    f.outcome(school, "S02", "T03", "通過", datetime(2025, 1, 5))  # 日間部 now has no phase
    rows = {r["教師代碼"]: r for r in metrics.semester_breakdown(school, 113, 1, "teacher")}
    assert rows["T01"]["on_time"] is None  # o1 o2 are 日間部
    assert rows["T03"]["on_time"] is None
    only_evening = metrics.semester_breakdown(school, 113, 1, "teacher", "進修部")
    assert only_evening[0]["on_time"] == 1


def test_unknown_grouping_is_refused(school: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="分組方式"):
        metrics.semester_breakdown(school, 113, 1, "student_no; drop table outcomes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="分組方式"):
        metrics.semester_breakdown(school, 113, 1, "school")  # type: ignore[arg-type]
