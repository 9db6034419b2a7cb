"""Graduates count in their last semester (metrics.md, "Active students A(S)").

A roster exported after graduation marks the seniors 畢業 with 畢業學年度 set. A 畢業 row of
學年度 y whose 畢業學年度 is y counts as active in y; one of a later 學年度, or without a
畢業學年度, does not. The tiny school, counted by hand:

| 學號 | 113-1 | 113-2 | 114-1 | active 113-1 / 113-2 / A(113) / 114-1 |
|---|---|---|---|---|
| G01 | 在學 | 畢業 (113) | | yes / yes / yes / – |
| G02 | | 畢業 (112) | | – / no / no / – |
| G03 | | 畢業 (none) | | – / no / no / – |
| G04 | | | 畢業 (113) | – / – / – / no |
| G05 | 在學 | 在學 | 在學 | yes / yes / yes / yes |
| G06 | | 轉出 | | – / no / no / – |
| G07 | | 畢業 (113), 進修部 | | – / yes / yes / – |
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dashboard import db
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import enrolment, metrics
from tests import school_fixture as f
from tests.school_fixture import student

Con = duckdb.DuckDBPyConnection
ACTIVE = list(ACTIVE_STATUSES)


def _school(con: Con) -> None:
    student(con, "G01", 113, 1, grade=3)
    student(con, "G01", 113, 2, grade=3, status="畢業", graduation_year=113)
    student(con, "G02", 113, 2, grade=3, status="畢業", graduation_year=112)
    student(con, "G03", 113, 2, grade=3, status="畢業")
    student(con, "G04", 114, 1, grade=3, status="畢業", graduation_year=113)
    for year, semester in ((113, 1), (113, 2), (114, 1)):
        student(con, "G05", year, semester)
    student(con, "G06", 113, 2, status="轉出")
    student(con, "G07", 113, 2, grade=3, division="進修部", status="畢業", graduation_year=113)


def _semester(con: Con, year: int, semester: int, division: str | None = None) -> list[str]:
    rows = con.execute(
        "select student_no from active_students_of_semester($y, $s, $d, $a) order by student_no",
        {"y": year, "s": semester, "d": division, "a": ACTIVE},
    ).fetchall()
    return [r[0] for r in rows]


def _year(con: Con, year: int, division: str | None = None) -> list[str]:
    rows = con.execute(
        "select student_no from active_students_of_year($y, $d, $a) order by student_no",
        {"y": year, "d": division, "a": ACTIVE},
    ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize(
    ("status", "graduation_year", "expected"),
    [
        ("在學", None, True),
        ("借讀", 113, True),
        ("畢業", 113, True),
        ("畢業", 112, False),
        ("畢業", 114, False),
        ("畢業", None, False),
        ("轉出", 113, False),
        ("休學", None, False),
    ],
)
def test_counts_as_active(con: Con, status: str, graduation_year: int | None, expected: bool) -> None:
    got = con.execute(
        "select counts_as_active($st, $gy, 113, $a)", {"st": status, "gy": graduation_year, "a": ACTIVE}
    ).fetchone()
    assert got == (expected,)


def test_graduates_are_active_in_their_last_semester(con: Con) -> None:
    _school(con)
    assert _semester(con, 113, 1) == ["G01", "G05"]
    assert _semester(con, 113, 2) == ["G01", "G05", "G07"]
    assert _semester(con, 113, 2, "日間部") == ["G01", "G05"]
    assert _semester(con, 113, 2, "進修部") == ["G07"]
    assert _semester(con, 114, 1) == ["G05"]
    assert _year(con, 113) == ["G01", "G05", "G07"]
    assert _year(con, 113, "進修部") == ["G07"]
    assert _year(con, 114) == ["G05"]


def test_metrics_count_graduates(con: Con) -> None:
    _school(con)
    assert metrics.semester_metrics(con, 113, 2)["students_active"] == 3
    assert metrics.semester_metrics(con, 113, 2, "日間部")["students_active"] == 2
    assert metrics.year_metrics(con, 113)["students_active"] == 3
    assert metrics.year_metrics(con, 114)["students_active"] == 1


def test_a_database_migrated_before_009_gets_the_rule(tmp_path: Path) -> None:
    """An install that already applied 001 … 008 applies 009 when it is next opened."""
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("create table schema_migrations (name varchar primary key, applied_at timestamp)")
    earlier = [m for m in sorted(db.MIGRATIONS_DIR.glob("*.sql")) if m.name < "009"]
    assert [m.name[:3] for m in earlier][-1] == "008"
    for m in earlier:
        old.execute(m.read_text(encoding="utf-8"))
        if m.name == "001_init.sql":
            db.seed_rules(old)
        old.execute("insert into schema_migrations values ($n, now())", {"n": m.name})
    _school(old)
    assert _semester(old, 113, 2) == ["G05"]  # 002's rule: the status list only
    old.close()

    con = db.connect(path)
    try:
        applied = {r[0] for r in con.execute("select name from schema_migrations").fetchall()}
        assert "009_graduates_active.sql" in applied
        assert _semester(con, 113, 2) == ["G01", "G05", "G07"]
        assert _year(con, 113) == ["G01", "G05", "G07"]
    finally:
        con.close()


def test_eligibility_counts_graduates_certified_items(con: Con) -> None:
    """A teacher's items of a senior's last semester count when the roster says 畢業 (113)."""
    _school(con)
    f.schedule(con, "教師認證", date(2025, 8, 7), semester=2)
    for no in ("G01", "G07"):  # active graduates
        f.outcome(con, no, "T01", "通過", datetime(2025, 8, 1, 10, 0), semester=2)
    for no in ("G02", "G03", "G06"):  # 畢業 of 112, 畢業 without a year, 轉出
        f.outcome(con, no, "T01", "通過", datetime(2025, 8, 1, 10, 0), semester=2)
    (row,) = metrics.eligibility(con, 113)
    assert (row["教師代碼"], row["submitted"], row["on_time"]) == ("T01", 2, 2)


def test_enrolment_changes_count_this_years_graduates(con: Con) -> None:
    _school(con)
    f.outcome(con, "G01", semester=2)
    f.outcome(con, "G02", semester=2)
    items = {c.student_no: c for c in enrolment.changes(con, 113, 2)}
    assert sorted(items) == ["G01", "G02", "G03", "G06", "G07"]
    assert {no for no, c in items.items() if c.counted} == {"G01", "G07"}
    assert items["G01"].graduation_year == 113 and "113學年度畢業" in items["G01"].reason
    assert "計入各項比率" in items["G01"].reason
    assert "不計入" in items["G02"].reason and "不計入" in items["G03"].reason
    assert (items["G01"].outcomes_counted, items["G01"].outcomes_left_out) == (1, 0)
    assert (items["G02"].outcomes_counted, items["G02"].outcomes_left_out) == (0, 1)
    summary = enrolment.summary_table(list(items.values()))
    graduated = summary[summary["學籍狀態"] == "畢業"]
    assert graduated[["計入", "人數"]].values.tolist() == [
        [enrolment.COUNTED, 2],
        [enrolment.NOT_COUNTED, 2],
    ]
    # 114-1 lists G04's stale 畢業 row of 113 and does not count it.
    later = {c.student_no: c for c in enrolment.changes(con, 114, 1)}
    assert list(later) == ["G04"] and not later["G04"].counted
