"""Per-semester metrics on the hand-made 113-1 school (tests/school_fixture.semester_school).

Every figure below was counted by hand from the table in that function's docstring.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pytest

from dashboard.measures import metrics
from tests import school_fixture as f


@pytest.fixture
def school(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    f.semester_school(con)
    return con


def test_whole_school(school: duckdb.DuckDBPyConnection) -> None:
    m = metrics.semester_metrics(school, 113, 1)
    assert m == {
        "semester": "113-1",
        "division": "全校",
        "students_active": 4,  # S01 S02 S04 S07
        "outcomes": {
            "uploaded": 6,  # o1..o6
            "students_with_upload": 3,  # S01 S02 S04
            "upload_rate": 0.75,  # 3 / 4
            "submitted": 5,  # o1 o2 o3 o5 o6
            "passed": 3,  # o1 o5 o6
            "failed": 1,  # o2
            "pending": 1,  # o3
            "certification_rate": 0.8,  # 4 / 5
            "on_time": 3,  # o1 o5 o6
            "on_time_rate": 0.6,  # 3 / 5
            "proxy_certified": 1,  # o5
            "students_over_cap": 1,  # S01: 4 rows > 3
        },
        "counselling": {"students_with_record": 2, "rate": 0.5},  # S01 S04 of 4
        "meetings": {"count": 2},  # 2024-08-01 and 2025-01-31
    }
    assert json.loads(json.dumps(m, allow_nan=False)) == m


def test_day_division(school: duckdb.DuckDBPyConnection) -> None:
    m = metrics.semester_metrics(school, 113, 1, "日間部")
    assert m["division"] == "日間部"
    assert m["students_active"] == 2  # S01 S02
    assert m["outcomes"] == {
        "uploaded": 5,  # o1..o5
        "students_with_upload": 2,
        "upload_rate": 1.0,
        "submitted": 4,  # o1 o2 o3 o5
        "passed": 2,
        "failed": 1,
        "pending": 1,
        "certification_rate": 0.75,  # 3 / 4
        "on_time": 2,  # o1 o5; o2 is one second late
        "on_time_rate": 0.5,
        "proxy_certified": 1,
        "students_over_cap": 1,
    }
    assert m["counselling"] == {"students_with_record": 1, "rate": 0.5}
    assert m["meetings"] == {"count": 2}  # meetings serve both divisions


def test_evening_division_uses_its_own_schedule_row(school: duckdb.DuckDBPyConnection) -> None:
    m = metrics.semester_metrics(school, 113, 1, "進修部")
    assert m["students_active"] == 2  # S04 S07 (復學 counts)
    o = m["outcomes"]
    assert (o["uploaded"], o["students_with_upload"], o["upload_rate"]) == (1, 1, 0.5)
    # o6 at 02-10 is late for the general row (02-07) but on time for 進修部's (02-14).
    assert (o["submitted"], o["passed"], o["on_time"], o["on_time_rate"]) == (1, 1, 1, 1.0)
    assert (o["proxy_certified"], o["students_over_cap"]) == (0, 0)  # 認證人 not set is no proxy
    assert m["counselling"] == {"students_with_record": 1, "rate": 0.5}


def test_without_the_division_row_the_general_row_applies(school: duckdb.DuckDBPyConnection) -> None:
    school.execute("delete from schedule where division = '進修部'")
    assert metrics.semester_metrics(school, 113, 1, "進修部")["outcomes"]["on_time"] == 0
    assert metrics.semester_metrics(school, 113, 1)["outcomes"]["on_time"] == 2  # o1 o5


def test_division_figures_add_up_to_the_whole_school(school: duckdb.DuckDBPyConnection) -> None:
    whole = metrics.semester_metrics(school, 113, 1)
    parts = [metrics.semester_metrics(school, 113, 1, d) for d in ("日間部", "進修部")]
    assert whole["students_active"] == sum(p["students_active"] for p in parts)
    for key in ("uploaded", "submitted", "passed", "failed", "pending", "on_time", "proxy_certified"):
        assert whole["outcomes"][key] == sum(p["outcomes"][key] for p in parts), key


def test_no_phase_for_one_division_makes_on_time_null_not_partial(school: duckdb.DuckDBPyConnection) -> None:
    school.execute("delete from schedule where phase = '教師認證'")
    f.schedule(school, "教師認證", date(2025, 2, 7), division="日間部")  # nothing for 進修部
    whole = metrics.semester_metrics(school, 113, 1)["outcomes"]
    assert (whole["on_time"], whole["on_time_rate"]) == (None, None)  # o6 cannot be judged
    assert whole["certification_rate"] == 0.8  # the other figures stay
    assert metrics.semester_metrics(school, 113, 1, "日間部")["outcomes"]["on_time"] == 2
    assert metrics.semester_metrics(school, 113, 1, "進修部")["outcomes"]["on_time_rate"] is None


def test_no_schedule_at_all(con: duckdb.DuckDBPyConnection) -> None:
    f.student(con, "S01", 113, 2)
    f.outcome(con, "S01", "T01", "通過", datetime(2025, 7, 1), semester=2)
    o = metrics.semester_metrics(con, 113, 2)["outcomes"]
    assert (o["passed"], o["on_time"], o["on_time_rate"]) == (1, None, None)


def test_pending_rows_without_a_phase_make_on_time_unknown(con: duckdb.DuckDBPyConnection) -> None:
    """A pending item can only be judged against a deadline: without one the rate is unknown."""
    f.student(con, "S01", 113, 2)
    f.outcome(con, "S01", "T01", "認證中", semester=2)
    o = metrics.semester_metrics(con, 113, 2)["outcomes"]
    assert (o["submitted"], o["on_time"], o["on_time_rate"]) == (1, None, None)
    f.schedule(con, "教師認證", date(2025, 8, 7), semester=2)
    o = metrics.semester_metrics(con, 113, 2)["outcomes"]
    assert (o["submitted"], o["on_time"], o["on_time_rate"]) == (1, 0, 0.0)


def test_empty_semester_has_null_rates(con: duckdb.DuckDBPyConnection) -> None:
    m = metrics.semester_metrics(con, 115, 1)
    assert m["students_active"] == 0
    assert m["outcomes"]["uploaded"] == 0
    for key in ("upload_rate", "certification_rate", "on_time_rate"):
        assert m["outcomes"][key] is None, key
    assert m["counselling"] == {"students_with_record": 0, "rate": None}
    assert m["meetings"] == {"count": 0}


def test_active_students_without_uploads_give_zero_not_null(con: duckdb.DuckDBPyConnection) -> None:
    f.student(con, "S01")
    o = metrics.semester_metrics(con, 113, 1)["outcomes"]
    assert (o["upload_rate"], o["submitted"], o["certification_rate"], o["on_time"]) == (0.0, 0, None, 0)


def test_second_semester_meetings(school: duckdb.DuckDBPyConnection) -> None:
    f.meeting(school, date(2025, 7, 31), semester=2)  # last day of 113-2
    f.meeting(school, date(2025, 8, 1), year=114)  # 114-1
    assert metrics.semester_metrics(school, 113, 2)["meetings"] == {"count": 2}


def test_cap_rule_changes_only_from_its_effective_year(con: duckdb.DuckDBPyConnection) -> None:
    f.rule(con, "outcome_upload_cap_per_semester", 3, 114)
    for year in (113, 114):
        f.student(con, "S01", year)
        for _ in range(4):
            f.outcome(con, "S01", year=year)
    # 113 still has the default 6 (effective from 108); from 114 the cap is 3.
    assert metrics.semester_metrics(con, 113, 1)["outcomes"]["students_over_cap"] == 0
    assert metrics.semester_metrics(con, 114, 1)["outcomes"]["students_over_cap"] == 1


def test_the_cap_itself_is_allowed(con: duckdb.DuckDBPyConnection) -> None:
    f.student(con, "S01")
    for _ in range(6):
        f.outcome(con, "S01")
    assert metrics.semester_metrics(con, 113, 1)["outcomes"]["students_over_cap"] == 0
    f.outcome(con, "S01")
    assert metrics.semester_metrics(con, 113, 1)["outcomes"]["students_over_cap"] == 1


def test_semesters_available(school: duckdb.DuckDBPyConnection) -> None:
    f.student(school, "S01", 112, 2)
    assert metrics.semesters_available(school) == [(112, 2), (113, 1), (113, 2)]  # 113-2: counselling


def test_bad_division_is_a_chinese_error(school: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="部別"):
        metrics.semester_metrics(school, 113, 1, "夜校")
    assert metrics.semester_metrics(school, 113, 1, "全校")["division"] == "全校"
