"""教師認證 per teacher on the hand-made school (school_fixture.teacher_school), counted by hand,
and on the demo school, where every shared figure must equal metrics.semester_breakdown."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard.measures import metrics, teachers
from dashboard.measures.teachers import TeacherStatus
from tests import school_fixture as f
from tests.school_fixture import TEACHER_AS_OF


@pytest.fixture
def school(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    f.teacher_school(con)
    return con


def _board(con: duckdb.DuckDBPyConnection, division: str | None = None) -> dict[str, TeacherStatus]:
    return {t.code: t for t in teachers.board(con, 113, 1, division, as_of=TEACHER_AS_OF)}


def test_teacher_in_post_counted_by_hand(school: duckdb.DuckDBPyConnection) -> None:
    t01 = _board(school)["T01"]
    assert (t01.name, t01.unit, t01.employment_status, t01.in_staff) == ("王大明", "機械科", "在職", True)
    # S01: 4 認證中, 1 通過, 3 未通過; S03: 1 認證中; S02: 1 通過 (proxy). S04 and X99 left out.
    assert (t01.submitted, t01.passed, t01.failed, t01.pending) == (10, 2, 3, 5)
    assert (t01.on_time, t01.on_time_rate, t01.certification_rate) == (5, 0.5, 0.5)
    assert t01.proxy_certified == 1
    # Ages 7 | 8, 14 | 15 | one without 送出認證時間.
    assert (t01.pending_within_7, t01.pending_8_to_14, t01.pending_over_14) == (1, 2, 1)
    assert t01.pending_unknown_age == 1
    assert t01.oldest_pending_days == 15
    assert t01.pending_by_division == {"日間部": 4, "進修部": 1}
    assert t01.fail_reasons == {"01": 1, "02": 0, "03": 1, "04": 0, "未填": 1}
    # The earliest deadline among the pending items: 日間部 2025-02-07, 18 days after 2025-01-20.
    assert (t01.deadline_date, t01.days_left) == (date(2025, 2, 7), 18)
    assert not t01.flagged
    assert t01.proxy_units == ()
    assert t01.units == ("教務處註冊組", "進修部教務組")


def test_age_buckets_edges_are_calendar_days(school: duckdb.DuckDBPyConnection) -> None:
    # Sent 01-13 23:59 is 7 calendar days before 01-20 08:00 (6.3 × 24 h): still ≤ 7.
    items = teachers.pending_items(school, 113, 1, as_of=TEACHER_AS_OF, teacher="T01")
    assert sorted((i.waiting_days for i in items), key=lambda d: -1 if d is None else d) == [
        None,
        7,
        8,
        14,
        15,
    ]


def test_departed_teachers_are_flagged_with_the_unit_of_each_division(
    school: duckdb.DuckDBPyConnection,
) -> None:
    board = _board(school)
    assert sorted(code for code, t in board.items() if t.flagged) == ["T02", "T03", "T04", "T05"]
    # 離職, items of a 日間部 and a 進修部 student: both units certify.
    t02 = board["T02"]
    assert t02.pending_by_division == {"日間部": 1, "進修部": 2}
    assert t02.proxy_units == ("教務處註冊組", "進修部教務組")
    assert (t02.pending_within_7, t02.pending_8_to_14, t02.pending_over_14, t02.oldest_pending_days) == (
        1,
        1,
        1,
        18,
    )
    assert board["T03"].proxy_units == ("教務處註冊組",)  # 退休, 日間部 student
    assert board["T04"].proxy_units == ("進修部教務組",)  # 留職停薪, 進修部 student
    t05 = board["T05"]  # not in 教職員名冊
    assert (t05.in_staff, t05.name, t05.employment_status, t05.proxy_units) == (
        False,
        None,
        None,
        ("教務處註冊組",),
    )
    assert board["T06"].departed and not board["T06"].flagged  # left, but nothing pending


def test_a_division_filter_keeps_only_that_divisions_unit(school: duckdb.DuckDBPyConnection) -> None:
    continuing = _board(school, "進修部")
    assert sorted(continuing) == ["T01", "T02", "T04"]
    assert continuing["T02"].pending == 2
    assert continuing["T02"].proxy_units == ("進修部教務組",)
    assert (continuing["T04"].deadline_date, continuing["T04"].days_left) == (date(2025, 2, 10), 21)
    day = _board(school, "日間部")
    assert sorted(day) == ["T01", "T02", "T03", "T05", "T06"]
    assert day["T02"].proxy_units == ("教務處註冊組",)
    assert day["T01"].pending_unknown_age == 0


def test_account_closing_before_or_within_14_days_of_as_of(school: duckdb.DuckDBPyConnection) -> None:
    board = _board(school)
    assert (board["T02"].account_days_left, board["T02"].account_state) == (0, "closed")
    assert (board["T03"].account_days_left, board["T03"].account_state) == (14, "closing")
    assert (board["T04"].account_days_left, board["T04"].account_state) == (15, None)
    assert board["T05"].account_state is None  # no staff row, no date
    assert [teachers.account_state(d) for d in (-30, 0, 1, 14, 15, None)] == [
        "closed",
        "closed",
        "closing",
        "closing",
        None,
        None,
    ]


def test_board_equals_the_breakdown_by_hand_fixture(school: duckdb.DuckDBPyConnection) -> None:
    for division in (None, "日間部", "進修部"):
        _assert_equal_to_breakdown(school, 113, 1, division)


def test_pending_items_in_class_order_then_student_number(school: duckdb.DuckDBPyConnection) -> None:
    items = teachers.pending_items(school, 113, 1, as_of=TEACHER_AS_OF)
    assert [(i.class_name, i.student_no, i.teacher_code) for i in items] == [
        ("機一甲", "S01", "T02"),  # 01-02
        ("機一甲", "S01", "T01"),  # 01-05
        ("機一甲", "S01", "T01"),  # 01-06
        ("機一甲", "S01", "T01"),  # 01-12
        ("機一甲", "S01", "T01"),  # 01-13
        ("機一乙", "S02", "T03"),
        ("機一乙", "S02", "T05"),
        ("進機一", "S03", "T02"),  # 01-10
        ("進機一", "S03", "T04"),  # 01-15
        ("進機一", "S03", "T02"),  # 01-18
        ("進機一", "S03", "T01"),  # no 送出認證時間
    ]
    assert items[0].seat_no == 1 and items[5].seat_no is None
    assert items[-1].deadline_date == date(2025, 2, 10)


def test_bad_input_is_refused_in_chinese(school: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="部別"):
        teachers.board(school, 113, 1, "夜校")
    with pytest.raises(ValueError, match="學期"):
        teachers.pending_items(school, 113, 3)


def _assert_equal_to_breakdown(
    con: duckdb.DuckDBPyConnection, year: int, semester: int, division: str | None
) -> None:
    expected = metrics.semester_breakdown(con, year, semester, "teacher", division)
    board = teachers.board(con, year, semester, division, as_of=TEACHER_AS_OF)
    assert [t.code for t in board] == [row["教師代碼"] for row in expected]
    for t, row in zip(board, expected, strict=True):
        shown = (t.name, t.submitted, t.passed, t.failed, t.pending, t.on_time, t.on_time_rate)
        assert shown == (
            row["教師姓名"],
            row["submitted"],
            row["passed"],
            row["failed"],
            row["pending"],
            row["on_time"],
            row["on_time_rate"],
        ), t.code
        assert t.proxy_certified == row["proxy_certified"], t.code
        # The page's own figures, from other queries, must add up to the shared ones.
        ages = t.pending_within_7 + t.pending_8_to_14 + t.pending_over_14 + t.pending_unknown_age
        assert ages == sum(t.pending_by_division.values()) == t.pending, t.code
        assert sum(t.fail_reasons.values()) == t.failed, t.code


@pytest.mark.parametrize(("year", "semester"), [(115, 1), (114, 2), (114, 1), (113, 2), (113, 1)])
def test_board_equals_the_breakdown_on_the_demo_school(
    demo_con: duckdb.DuckDBPyConnection, year: int, semester: int
) -> None:
    for division in (None, *metrics.DIVISIONS):
        _assert_equal_to_breakdown(demo_con, year, semester, division)
    pending = teachers.pending_items(demo_con, year, semester)
    board = teachers.board(demo_con, year, semester)
    assert len(pending) == sum(t.pending for t in board) > 0


def test_demo_ages_are_counted_from_the_data_as_of(demo_con: duckdb.DuckDBPyConnection) -> None:
    # 資料截至 of the demo is 2026-11-16 08:00; an item's age is the days since its sending day.
    items = teachers.pending_items(demo_con, 115, 1)
    assert items
    for item in items:
        assert item.submitted_at is not None
        assert item.waiting_days == (date(2026, 11, 16) - item.submitted_at.date()).days
    board = {t.code: t for t in teachers.board(demo_con, 115, 1)}
    for code, t in board.items():
        mine = [i.waiting_days for i in items if i.teacher_code == code]
        assert t.oldest_pending_days == (max(mine) if mine else None)  # type: ignore[type-var]
