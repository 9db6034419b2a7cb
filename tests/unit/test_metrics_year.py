"""Per-year metrics on a hand-made 學年度 113; every figure was counted by hand.

| 學號 | 113-1 | 113-2 | in A(113)? | 部別 for the year (latest row) |
|---|---|---|---|---|
| Y01 | 日間部 在學 | 日間部 在學 | yes | 日間部 |
| Y02 | 日間部 在學 | 日間部 休學 | yes (active in 113-1 only) | 日間部 |
| Y03 | 進修部 休學 | 進修部 復學 | yes (active in 113-2 only) | 進修部 |
| Y04 | 日間部 在學 | 進修部 在學 | yes | 進修部 (moved) |
| Y05 | 日間部 轉出 | none | no | |
| Y06 | 日間部 畢業 | none | no | |
| Y07 | 112 only | none | no | |
| Y08 | 日間部 在學 | none | yes | 日間部 |
| X99 | not on any roster | | no (orphan) | |

A(113) = Y01 Y02 Y03 Y04 Y08: 5 students, 日間部 3 (Y01 Y02 Y08), 進修部 2 (Y03 Y04).
Rules from 113: diverse_upload_cap_per_year 2, outcome_selection_cap_per_year 1,
diverse_selection_cap_per_year 1 (112 keeps the defaults 20 / 6 / 10).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pytest

from dashboard.measures import metrics
from tests import school_fixture as f


@pytest.fixture
def year(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    for key, value in (
        ("diverse_upload_cap_per_year", 2),
        ("outcome_selection_cap_per_year", 1),
        ("diverse_selection_cap_per_year", 1),
    ):
        f.rule(con, key, value, 113)
    f.student(con, "Y01", 113, 1)
    f.student(con, "Y01", 113, 2)
    f.student(con, "Y02", 113, 1)
    f.student(con, "Y02", 113, 2, status="休學")
    f.student(con, "Y03", 113, 1, division="進修部", status="休學")
    f.student(con, "Y03", 113, 2, division="進修部", status="復學")
    f.student(con, "Y04", 113, 1)
    f.student(con, "Y04", 113, 2, division="進修部")
    f.student(con, "Y05", 113, 1, status="轉出")
    f.student(con, "Y06", 113, 1, status="畢業")
    f.student(con, "Y07", 112, 2)
    f.student(con, "Y08", 113, 1)
    # 多元表現: Y01 3 rows (1 selected), Y02 1 (學期 empty), Y04 2 (both selected);
    # left out: Y05 (inactive), X99 (orphan), Y01's row of 112.
    f.diverse(con, "Y01", selected=True, semester=1)
    f.diverse(con, "Y01", semester=2)
    f.diverse(con, "Y01")
    f.diverse(con, "Y02")
    f.diverse(con, "Y04", selected=True)
    f.diverse(con, "Y04", selected=True)
    f.diverse(con, "Y05", selected=True)
    f.diverse(con, "X99", selected=True)
    f.diverse(con, "Y01", 112, selected=True)
    # Selected outcomes: Y01 two 通過 (one per semester), Y02 認證中 (semester 2, when 休學),
    # Y03 未通過; Y01's unselected row and Y05's selected row do not count.
    f.outcome(con, "Y01", "T01", "通過", datetime(2025, 1, 5), selected=True)
    f.outcome(con, "Y01", "T01", "通過", datetime(2025, 7, 5), semester=2, selected=True)
    f.outcome(con, "Y01", "T01", "通過", datetime(2025, 1, 5))
    f.outcome(con, "Y02", "T01", "認證中", semester=2, selected=True)
    f.outcome(con, "Y03", "T01", "未通過", datetime(2025, 7, 5), semester=2, selected=True)
    f.outcome(con, "Y05", "T01", "通過", datetime(2025, 1, 5), selected=True)
    return con


def test_students_and_diverse(year: duckdb.DuckDBPyConnection) -> None:
    m = metrics.year_metrics(year, 113)
    assert (m["year"], m["division"], m["students_active"]) == (113, "全校", 5)
    assert m["diverse"] == {
        "uploaded": 6,  # Y01 3 + Y02 1 + Y04 2
        "students_with_upload": 3,
        "upload_rate": 0.6,  # 3 / 5
        "students_over_cap": 1,  # Y01: 3 > 2
    }
    day = metrics.year_metrics(year, 113, "日間部")
    assert day["students_active"] == 3
    assert day["diverse"] == {
        "uploaded": 4,
        "students_with_upload": 2,
        "upload_rate": 0.6667,
        "students_over_cap": 1,
    }
    evening = metrics.year_metrics(year, 113, "進修部")
    assert evening["students_active"] == 2  # Y04 counts where their latest row puts them
    assert evening["diverse"] == {
        "uploaded": 2,
        "students_with_upload": 1,
        "upload_rate": 0.5,
        "students_over_cap": 0,
    }


def test_selection(year: duckdb.DuckDBPyConnection) -> None:
    assert metrics.year_metrics(year, 113)["selection"] == {
        "outcomes_selected": 4,  # Y01 2, Y02 1, Y03 1
        "diverse_selected": 3,  # Y01 1, Y04 2
        "students_with_selection": 4,  # Y01 Y02 Y03 Y04
        "selection_rate": 0.8,  # 4 / 5
        "students_over_outcome_cap": 1,  # Y01: 2 > 1
        "students_over_diverse_cap": 1,  # Y04: 2 > 1
        "selected_not_passed": 2,  # Y02 認證中, Y03 未通過
    }
    assert metrics.year_metrics(year, 113, "日間部")["selection"] == {
        "outcomes_selected": 3,
        "diverse_selected": 1,
        "students_with_selection": 2,
        "selection_rate": 0.6667,  # 2 / 3
        "students_over_outcome_cap": 1,
        "students_over_diverse_cap": 0,
        "selected_not_passed": 1,
    }
    assert metrics.year_metrics(year, 113, "進修部")["selection"] == {
        "outcomes_selected": 1,
        "diverse_selected": 2,
        "students_with_selection": 2,
        "selection_rate": 1.0,
        "students_over_outcome_cap": 0,
        "students_over_diverse_cap": 1,
        "selected_not_passed": 1,
    }


def test_caps_follow_the_rule_in_force(year: duckdb.DuckDBPyConnection) -> None:
    """The same rows moved to 112, where the default caps (20, 6, 10) are in force."""
    year.execute("update students set school_year = 112 where student_no <> 'Y07'")
    year.execute("update diverse set school_year = 112 where school_year = 113")
    year.execute("update outcomes set school_year = 112")
    m = metrics.year_metrics(year, 112)
    assert (m["diverse"]["students_over_cap"], m["selection"]["students_over_outcome_cap"]) == (0, 0)
    assert m["selection"]["students_over_diverse_cap"] == 0


def test_receipts(year: duckdb.DuckDBPyConnection) -> None:
    f.receipt(year, "Y01", "修課紀錄", "已確認", semester=1, confirmed_at=datetime(2025, 2, 20))
    # Reported errors, answered exactly 72 h later (within) and one second later (late).
    f.receipt(
        year,
        "Y01",
        "課程學習成果",
        "回報錯誤",
        confirmed_at=datetime(2025, 9, 1, 10),
        answered_at=datetime(2025, 9, 4, 10),
    )
    f.receipt(
        year,
        "Y02",
        "課程學習成果",
        "回報錯誤",
        confirmed_at=datetime(2025, 9, 1, 10),
        answered_at=datetime(2025, 9, 4, 10, 0, 1),
    )
    f.receipt(year, "Y03", "多元表現", "未確認", notice="紙本郵寄")  # per-year roster (學期 0)
    f.receipt(
        year, "Y04", "修課紀錄", "回報錯誤", semester=2, confirmed_at=datetime(2025, 7, 1)
    )  # unanswered
    f.receipt(year, "Y05", "修課紀錄", "已確認", semester=1)  # inactive
    f.receipt(year, "X99", "修課紀錄", "已確認", semester=1)  # orphan
    f.receipt(year, "Y01", "修課紀錄", "已確認", year=112, semester=2)  # another year
    zero = {
        "listed": 0,
        "confirmed": 0,
        "reported": 0,
        "unconfirmed": 0,
        "answered_within_limit": 0,
        "paper_mail": 0,
    }
    assert metrics.year_metrics(year, 113)["receipts"] == {
        "修課紀錄": {**zero, "listed": 2, "confirmed": 1, "reported": 1},
        "課程學習成果": {**zero, "listed": 2, "reported": 2, "answered_within_limit": 1},
        "多元表現": {**zero, "listed": 1, "unconfirmed": 1, "paper_mail": 1},
        "校內幹部經歷": zero,
    }
    assert metrics.year_metrics(year, 113, "進修部")["receipts"] == {
        "修課紀錄": {**zero, "listed": 1, "reported": 1},  # Y04
        "課程學習成果": zero,
        "多元表現": {**zero, "listed": 1, "unconfirmed": 1, "paper_mail": 1},  # Y03
        "校內幹部經歷": zero,
    }
    f.rule(year, "dispute_answer_max_days", 4, 113)
    assert metrics.year_metrics(year, 113)["receipts"]["課程學習成果"]["answered_within_limit"] == 2


def test_trainings(con: duckdb.DuckDBPyConnection) -> None:
    f.training(con, "宣導說明", date(2024, 9, 1))  # both divisions
    f.training(con, "宣導說明", date(2024, 9, 2), division="日間部")
    f.training(con, "系統操作訓練", date(2024, 10, 1), division="進修部")
    f.training(con, "專業研習", date(2024, 6, 1), year=112)
    assert metrics.year_metrics(con, 113)["trainings"] == {"宣導說明": 2, "系統操作訓練": 1, "專業研習": 0}
    assert metrics.year_metrics(con, 113, "日間部")["trainings"] == {
        "宣導說明": 2,
        "系統操作訓練": 0,
        "專業研習": 0,
    }
    assert metrics.year_metrics(con, 113, "進修部")["trainings"] == {
        "宣導說明": 1,
        "系統操作訓練": 1,
        "專業研習": 0,
    }


def test_submissions_against_the_school_submission_phase(con: duckdb.DuckDBPyConnection) -> None:
    f.schedule(con, "學校提交", date(2025, 3, 10))
    f.schedule(con, "學校提交", date(2025, 3, 20), division="進修部")
    f.schedule(con, "學校提交", date(2025, 9, 10), semester=2)
    f.schedule(con, "教師認證", date(2025, 12, 31), semester=2)  # another phase: ignored
    f.submission(
        con, "多元表現", datetime(2025, 9, 11, 8, 0), division="進修部", semester=0, batch=2, result="失敗"
    )
    f.submission(con, "學業成績", datetime(2025, 3, 11, 0, 0, 0))
    f.submission(con, "課程學習成果", datetime(2025, 9, 10, 12, 0), semester=0)
    f.submission(con, "學籍資料", datetime(2025, 3, 10, 23, 59, 59))
    f.submission(con, "學籍資料", datetime(2025, 3, 15, 9, 0), division="進修部")
    f.submission(con, "學籍資料", datetime(2024, 3, 1), year=112)
    rows = metrics.year_metrics(con, 113)["submissions"]
    assert [
        (r["名冊別"], r["部別"], r["學期"], r["梯次"], r["提交時間"], r["結果"], r["on_time"]) for r in rows
    ] == [
        ("學籍資料", "日間部", 1, 1, "2025-03-10T23:59:59", "成功", True),  # last second of 03-10
        ("學業成績", "日間部", 1, 1, "2025-03-11T00:00:00", "成功", False),  # first second after
        ("學籍資料", "進修部", 1, 1, "2025-03-15T09:00:00", "成功", True),  # 進修部's own row, 03-20
        ("課程學習成果", "日間部", 0, 1, "2025-09-10T12:00:00", "成功", True),  # 學期 0: semester 2's phase
        ("多元表現", "進修部", 0, 2, "2025-09-11T08:00:00", "失敗", False),
    ]
    assert [r["名冊別"] for r in metrics.year_metrics(con, 113, "進修部")["submissions"]] == [
        "學籍資料",
        "多元表現",
    ]
    con.execute("delete from schedule where semester = 2")
    after = metrics.year_metrics(con, 113)["submissions"]
    assert [r["on_time"] for r in after] == [True, False, True, None, None]  # no phase: unknown


def test_empty_year(con: duckdb.DuckDBPyConnection) -> None:
    m = metrics.year_metrics(con, 115)
    assert m["students_active"] == 0
    assert m["diverse"]["upload_rate"] is None
    assert m["selection"]["selection_rate"] is None
    assert m["selection"]["students_over_outcome_cap"] == 0
    assert all(v["listed"] == 0 for v in m["receipts"].values())
    assert list(m["receipts"]) == ["修課紀錄", "課程學習成果", "多元表現", "校內幹部經歷"]
    assert m["submissions"] == []


def test_json_has_plain_types(year: duckdb.DuckDBPyConnection) -> None:
    f.submission(year, "學籍資料", datetime(2025, 3, 1))
    m = metrics.year_metrics(year, 113)
    assert json.loads(json.dumps(m, allow_nan=False, ensure_ascii=False)) == m
    assert type(m["students_active"]) is int and type(m["diverse"]["upload_rate"]) is float
