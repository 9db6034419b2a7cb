"""收訖確認: per-class counts and the dispute list, counted by hand on a tiny school, and summing to
metrics.year_metrics on the demo school."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from dashboard.measures import metrics
from dashboard.registry import receipts
from tests import school_fixture as f

AS_OF = datetime(2025, 4, 1, 8, 0)
REPORTED = datetime(2025, 3, 25, 10, 0)


def _school(con: duckdb.DuckDBPyConnection) -> None:
    """113; S01 日間部 機一甲, S02 日間部 機一乙 (機一甲 in 113-1, 機一乙 in 113-2), S03 進修部 進機一,
    S04 休學 (inactive: left out).

    | 學號 | 名冊別 (學期) | 狀態 | 確認時間 → 答覆時間 | expected |
    |---|---|---|---|---|
    | S01 | 修課紀錄 (1) | 回報錯誤 | 03-25 10:00 → 03-28 10:00 (72 h) | 已於期限內答覆 |
    | S02 | 修課紀錄 (1) | 回報錯誤 | 03-25 10:00 → 03-28 10:00:01 | 逾期答覆 |
    | S03 | 校內幹部經歷 (1) | 回報錯誤 | 03-25 10:00, unanswered (166 h at 04-01 08:00) | 未答覆（逾期） |
    | S01 | 課程學習成果 (0) | 回報錯誤 | 03-30 10:00, unanswered (46 h) | 未答覆（期限內） |
    | S02 | 課程學習成果 (0) | 已確認 | | |
    | S03 | 多元表現 (0) | 未確認 | | |
    | S04 | 修課紀錄 (1) | 回報錯誤 | inactive | left out |
    """
    for sem in (1, 2):
        f.student(con, "S01", 113, sem, class_name="機一甲")
        f.student(con, "S02", 113, sem, class_name="機一甲" if sem == 1 else "機一乙")
        f.student(con, "S03", 113, sem, division="進修部", class_name="進機一")
    f.student(con, "S04", 113, 1, status="休學")
    con.execute("update students set name = '王小明' where student_no = 'S01'")
    f.receipt(con, "S01", "修課紀錄", "回報錯誤", semester=1, confirmed_at=REPORTED,
              answered_at=datetime(2025, 3, 28, 10, 0))  # fmt: skip
    f.receipt(con, "S02", "修課紀錄", "回報錯誤", semester=1, confirmed_at=REPORTED,
              answered_at=datetime(2025, 3, 28, 10, 0, 1))  # fmt: skip
    f.receipt(con, "S03", "校內幹部經歷", "回報錯誤", semester=1, confirmed_at=REPORTED)
    f.receipt(con, "S01", "課程學習成果", "回報錯誤", confirmed_at=datetime(2025, 3, 30, 10, 0))
    f.receipt(con, "S02", "課程學習成果", "已確認", confirmed_at=REPORTED)
    f.receipt(con, "S03", "多元表現", "未確認", notice="紙本郵寄")
    f.receipt(con, "S04", "修課紀錄", "回報錯誤", semester=1, confirmed_at=REPORTED)
    con.execute(
        "update receipts set error_type = '成績錯誤', question = '數學成績不符' where student_no = 'S01'"
    )


def test_disputes_counted_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    got = receipts.disputes(con, 113, as_of=AS_OF)
    by = {(d.student_no, d.roster): d for d in got}
    assert set(by) == {
        ("S01", "修課紀錄"),
        ("S02", "修課紀錄"),
        ("S03", "校內幹部經歷"),
        ("S01", "課程學習成果"),
    }
    exact = by[("S01", "修課紀錄")]
    assert (exact.status, exact.elapsed_hours, exact.elapsed_days) == ("已於期限內答覆", 72.0, 3.0)
    assert (exact.student_name, exact.class_name, exact.error_type, exact.question) == (
        "王小明", "機一甲", "成績錯誤", "數學成績不符",
    )  # fmt: skip
    assert exact.helping_unit == "教務處註冊組"
    assert exact.due_at == datetime(2025, 3, 28, 10, 0)
    assert by[("S02", "修課紀錄")].status == "逾期答覆"
    assert by[("S02", "修課紀錄")].class_name == "機一乙"  # the latest semester's class
    open_late = by[("S03", "校內幹部經歷")]
    assert (open_late.status, open_late.elapsed_hours) == ("未答覆（逾期）", 166.0)
    assert open_late.helping_unit == "進修部學務組"
    open_in_time = by[("S01", "課程學習成果")]
    assert (open_in_time.status, open_in_time.elapsed_hours) == ("未答覆（期限內）", 46.0)
    # The open and overdue first.
    assert [d.status for d in got] == ["未答覆（逾期）", "未答覆（期限內）", "逾期答覆", "已於期限內答覆"]
    assert [d.student_no for d in receipts.disputes(con, 113, "進修部", as_of=AS_OF)] == ["S03"]


def test_the_limit_is_the_rule_in_force(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    f.rule(con, "dispute_answer_max_days", 2, 113)
    by = {(d.student_no, d.roster): d.status for d in receipts.disputes(con, 113, as_of=AS_OF)}
    assert by[("S01", "修課紀錄")] == "逾期答覆"
    assert by[("S01", "課程學習成果")] == "未答覆（期限內）"  # 46 h < 48 h


def test_class_figures_counted_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    rows = receipts.by_class(con, 113)
    got = {
        (r["roster"], r["class_name"]): (r["listed"], r["confirmed"], r["reported"], r["unconfirmed"])
        for r in rows
    }
    assert got == {
        ("修課紀錄", "機一甲"): (1, 0, 1, 0),
        ("修課紀錄", "機一乙"): (1, 0, 1, 0),
        ("課程學習成果", "機一甲"): (1, 0, 1, 0),
        ("課程學習成果", "機一乙"): (1, 1, 0, 0),
        ("多元表現", "進機一"): (1, 0, 0, 1),
        ("校內幹部經歷", "進機一"): (1, 0, 1, 0),
    }
    outcome = next(r for r in receipts.by_roster(rows) if r["roster"] == "課程學習成果")
    assert (outcome["confirmed_rate"], outcome["responded_rate"], outcome["reported_rate"]) == (0.5, 1.0, 0.5)
    assert [r["roster"] for r in receipts.by_roster([])] == list(metrics.RECEIPT_ROSTERS)


def _check_sums(con: duckdb.DuckDBPyConnection, year: int, division: str | None) -> None:
    expected = metrics.year_metrics(con, year, division)["receipts"]
    totals = {r["roster"]: r for r in receipts.by_roster(receipts.by_class(con, year, division))}
    items = receipts.disputes(con, year, division)
    for roster, figures in expected.items():
        for key in ("listed", "confirmed", "reported", "unconfirmed", "paper_mail"):
            assert totals[roster][key] == figures[key], (roster, key)
        mine = [d for d in items if d.roster == roster]
        assert len(mine) == figures["reported"]
        assert sum(d.status == "已於期限內答覆" for d in mine) == figures["answered_within_limit"]


def test_sums_equal_year_metrics_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    for division in (None, "日間部", "進修部"):
        _check_sums(con, 113, division)


@pytest.mark.parametrize("year", [113, 114])
@pytest.mark.parametrize("division", [None, "日間部", "進修部"])
def test_demo_sums_equal_year_metrics(
    demo_con: duckdb.DuckDBPyConnection, year: int, division: str | None
) -> None:
    _check_sums(demo_con, year, division)
    items = receipts.disputes(demo_con, year, division)
    assert items and all(d.helping_unit for d in items)
    assert all(d.status != "未答覆（期限內）" for d in items)  # 資料截至 is long after every report
