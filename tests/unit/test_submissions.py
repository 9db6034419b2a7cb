"""提交: the rosters owed in a 學年度 and their status, counted by hand on a tiny school, and equal
to metrics.year_metrics on the demo school."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from dashboard.measures import metrics
from dashboard.registry import submissions
from tests import school_fixture as f

AS_OF = datetime(2025, 9, 20, 8, 0)


def _school(con: duckdb.DuckDBPyConnection) -> None:
    """113 日間部; 學校提交 ends 2025-03-14 (113-1) and 2025-09-12 (113-2), empty 部別.

    學籍資料-1 on time · 學業成績-1 failed then succeeded · 校內幹部經歷-1 failed only ·
    學籍資料-2 a second after the end day · 學業成績-2 nothing · 校內幹部經歷-2 last second ·
    課程學習成果 梯次1 on 09-12 (on time only against semester 2's phase), 梯次2 on 09-13 ·
    多元表現 nothing. A 學期 1 phase ending 2025-03-14 must not judge the per-year rosters.
    """
    f.student(con, "S01", 113, 1)
    f.student(con, "S01", 113, 2)
    f.schedule(con, "學校提交", date(2025, 3, 14), semester=1)
    f.schedule(con, "學校提交", date(2025, 9, 12), semester=2)
    f.schedule(con, "教師認證", date(2025, 12, 31), semester=2)  # another phase: not used
    f.submission(con, "學籍資料", datetime(2024, 10, 7, 10, 0), semester=1)
    f.submission(con, "學業成績", datetime(2025, 3, 10, 9, 0), semester=1, result="失敗")
    f.submission(con, "學業成績", datetime(2025, 3, 11, 9, 0), semester=1)
    f.submission(con, "校內幹部經歷", datetime(2025, 3, 12, 9, 0), semester=1, result="失敗")
    f.submission(con, "學籍資料", datetime(2025, 9, 13, 0, 0, 0), semester=2)
    f.submission(con, "校內幹部經歷", datetime(2025, 9, 12, 23, 59, 59), semester=2)
    f.submission(con, "課程學習成果", datetime(2025, 9, 12, 10, 0), semester=0, batch=1)
    f.submission(con, "課程學習成果", datetime(2025, 9, 13, 10, 0), semester=0, batch=2)
    con.execute("update submissions set row_count = 40")


def _by_key(board: submissions.Board) -> dict[tuple[str, int, int | None], submissions.RosterDue]:
    return {(r.roster, r.semester, r.batch): r for r in board.rosters}


def test_statuses_counted_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    board = submissions.build(con, 113, "日間部", as_of=AS_OF)
    got = _by_key(board)
    assert len(board.rosters) == 10  # 3 × 2 semesters + 2 per-year rosters × 2 梯次
    assert {k: r.status for k, r in got.items()} == {
        ("學籍資料", 1, None): "已提交",
        ("學業成績", 1, None): "已提交",
        ("校內幹部經歷", 1, None): "失敗待重送",
        ("學籍資料", 2, None): "逾期提交",
        ("學業成績", 2, None): "未提交",
        ("校內幹部經歷", 2, None): "已提交",
        ("課程學習成果", 0, 1): "已提交",
        ("課程學習成果", 0, 2): "逾期提交",
        ("多元表現", 0, 1): "未提交",
        ("多元表現", 0, 2): "未提交",
    }
    retried = got[("學業成績", 1, None)]
    assert (retried.failures, retried.successes) == (1, 1)
    assert retried.submitted_at == datetime(2025, 3, 11, 9, 0)
    assert retried.row_count == 40
    failed = got[("校內幹部經歷", 1, None)]
    assert failed.deadline == date(2025, 3, 14)
    assert failed.days_overdue == (date(2025, 9, 20) - date(2025, 3, 14)).days == 190
    assert failed.unit == "學務處訓育組"
    missing = got[("學業成績", 2, None)]
    assert (missing.days_overdue, missing.days_left, missing.submitted_at) == (8, None, None)
    assert missing.unit == "教務處註冊組"
    # 學期 0 is judged against semester 2's phase.
    assert got[("課程學習成果", 0, 1)].deadline == date(2025, 9, 12)
    assert got[("課程學習成果", 0, 1)].on_time is True
    assert got[("多元表現", 0, 2)].days_overdue == 8
    # Done rosters carry no countdown.
    assert got[("學籍資料", 2, None)].days_overdue is None


def test_missing_rosters_are_listed_first(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    rosters = submissions.build(con, 113, "日間部", as_of=AS_OF).rosters
    statuses = [r.status for r in rosters]
    outstanding = [s for s in statuses if s in ("未提交", "失敗待重送")]
    assert statuses[: len(outstanding)] == outstanding
    assert rosters[0].roster == "校內幹部經歷"  # most overdue first (190 days)
    late = statuses.index("逾期提交")
    assert all(s == "已提交" for s in statuses[late + 2 :])


def test_days_left_counts_the_end_day(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    on_end_day = submissions.build(con, 113, "日間部", as_of=datetime(2025, 9, 12, 23, 0))
    missing = _by_key(on_end_day)[("學業成績", 2, None)]
    assert (missing.days_left, missing.days_overdue) == (1, None)


def test_a_failure_after_a_success_waits_for_a_resend(con: duckdb.DuckDBPyConnection) -> None:
    _school(con)
    f.submission(con, "學籍資料", datetime(2024, 10, 8, 10, 0), semester=1, result="失敗")
    got = _by_key(submissions.build(con, 113, "日間部", as_of=AS_OF))
    assert got[("學籍資料", 1, None)].status == "失敗待重送"


def test_no_phase_means_no_deadline(con: duckdb.DuckDBPyConnection) -> None:
    f.student(con, "S01", 113, 1)
    board = submissions.build(con, 113, "進修部", as_of=AS_OF)
    assert {r.status for r in board.rosters} == {"未提交"}
    assert all(r.deadline is None and r.days_overdue is None for r in board.rosters)
    assert {r.unit for r in board.rosters} == {"進修部教務組", "進修部學務組"}


def test_units_follow_article_7() -> None:
    assert submissions.responsible_unit("學籍資料", "日間部") == "教務處註冊組"
    assert submissions.responsible_unit("多元表現", "進修部") == "進修部教務組"
    assert submissions.responsible_unit("校內幹部經歷", "日間部") == "學務處訓育組"
    assert submissions.responsible_unit("校內幹部經歷", "進修部") == "進修部學務組"


@pytest.mark.parametrize("year", [113, 114])
@pytest.mark.parametrize("division", [None, "日間部", "進修部"])
def test_demo_equals_year_metrics(
    demo_con: duckdb.DuckDBPyConnection, year: int, division: str | None
) -> None:
    expected = metrics.year_metrics(demo_con, year, division)["submissions"]
    board = submissions.build(demo_con, year, division)
    got = [
        {
            "名冊別": a.roster,
            "部別": a.division,
            "學期": a.semester,
            "梯次": a.batch,
            "提交時間": a.submitted_at.isoformat(),
            "結果": a.result,
            "on_time": a.on_time,
        }
        for a in board.attempts
    ]
    assert got == expected
    assert all(a.row_count is not None and a.unit for a in board.attempts)
    # Each owed roster's first success and its on-time flag, recomputed from the metrics list.
    for r in board.rosters:
        mine = [
            s
            for s in expected
            if (s["部別"], s["名冊別"], s["學期"]) == (r.division, r.roster, r.semester)
            and (r.batch is None or s["梯次"] == r.batch)
        ]
        ok = sorted((s for s in mine if s["結果"] == "成功"), key=lambda s: s["提交時間"])
        assert (r.submitted_at.isoformat() if r.submitted_at else None) == (ok[0]["提交時間"] if ok else None)
        assert r.on_time == (ok[0]["on_time"] if ok else None)
    divisions = [division] if division else list(metrics.DIVISIONS)
    assert len(board.rosters) == 10 * len(divisions)
    late = [s for s in expected if s["on_time"] is False and s["結果"] == "成功"]
    assert sum(r.status == "逾期提交" for r in board.rosters) == len(
        {(s["部別"], s["名冊別"], s["學期"]) for s in late}
    )
