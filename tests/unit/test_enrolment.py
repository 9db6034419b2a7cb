"""學籍異動 on a hand-made 113 school: who is listed, whether each is counted, their rows."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard import exports
from dashboard.measures import enrolment, metrics
from tests import school_fixture as f

Con = duckdb.DuckDBPyConnection


def _changed(con: Con, no: str, on: date, semester: int = 1) -> None:
    con.execute(
        "update students set status_changed_on = $on where student_no = $no and semester = $s",
        {"on": on, "no": no, "s": semester},
    )


@pytest.fixture
def school(con: Con) -> Con:
    """113 school, rows counted by hand.

    | 學號 | 113-1 | 113-2 | 成果 113-1 | 多元 113 | 收訖 113 |
    |---|---|---|---|---|---|
    | S01 | 在學 | 在學 | 1 | 1 | 1 | (not listed)
    | S02 | 轉入 09-10 | 在學 | 2 | 1 | 1 |
    | S03 | 休學 | 復學 | 1 | 2 | 1 | (out in 113-1, in A(Y))
    | S04 | 轉出 | — | 3 | 1 | 1 |
    | S05 | 退學 (進修部) | — | 1 | 0 | 0 |
    | S06 | 畢業 | — | 0 | 0 | 0 |
    | S07 | 重讀 | 重讀 | 1 | 0 | 0 |
    | S08 | 借讀 | 借讀 | 0 | 0 | 0 |
    | S09 | 在學, 異動 2024-10-01 (in 113-1) | 在學 | 0 | 0 | 0 |
    | S10 | 在學, 異動 2024-03-01 (before 113-1) | 在學 | 0 | 0 | 0 | (not listed)
    """
    plan = {
        "S01": ("在學", "在學"),
        "S02": ("轉入", "在學"),
        "S03": ("休學", "復學"),
        "S04": ("轉出", None),
        "S05": ("退學", None),
        "S06": ("畢業", None),
        "S07": ("重讀", "重讀"),
        "S08": ("借讀", "借讀"),
        "S09": ("在學", "在學"),
        "S10": ("在學", "在學"),
    }
    for no, (first, second) in plan.items():
        division = "進修部" if no == "S05" else "日間部"
        f.student(con, no, 113, 1, status=first, division=division)
        if second:
            f.student(con, no, 113, 2, status=second, division=division)
    _changed(con, "S02", date(2024, 9, 10))
    _changed(con, "S09", date(2024, 10, 1))
    _changed(con, "S10", date(2024, 3, 1))
    con.execute("update students set name = '王小明' where student_no = 'S02'")
    outcomes = {"S01": 1, "S02": 2, "S03": 1, "S04": 3, "S05": 1, "S07": 1}
    for no, n in outcomes.items():
        for _ in range(n):
            f.outcome(con, no)
    f.outcome(con, "S04", semester=2)  # another semester: never counted here
    for no, n in {"S01": 1, "S02": 1, "S03": 2, "S04": 1}.items():
        for _ in range(n):
            f.diverse(con, no)
        f.receipt(con, no, "課程學習成果", "已確認")
    f.diverse(con, "S04", year=112)  # another year
    return con


def _by_no(con: Con, division: str | None = None) -> dict[str, enrolment.EnrolmentChange]:
    return {c.student_no: c for c in enrolment.changes(con, 113, 1, division)}


def test_lists_every_status_but_plain_and_long_ago_changes(school: Con) -> None:
    assert sorted(_by_no(school)) == ["S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09"]


def test_counted_follows_the_active_rule(school: Con) -> None:
    items = _by_no(school)
    assert {no for no, c in items.items() if c.counted} == {"S02", "S07", "S08", "S09"}
    assert {no for no, c in items.items() if c.counting == enrolment.NOT_COUNTED} == {
        "S03",
        "S04",
        "S05",
        "S06",
    }
    assert "在籍" in items["S04"].reason and "不計入" in items["S04"].reason
    assert "計入各項比率" in items["S02"].reason
    # 休學 in 113-1 but 復學 in 113-2: the year's rows still count, and the reason says so.
    assert "仍計入" in items["S03"].reason
    assert "也不計入" in items["S04"].reason


def test_row_counts_counted_and_left_out(school: Con) -> None:
    items = _by_no(school)
    got = {
        no: (
            c.outcomes_counted,
            c.outcomes_left_out,
            c.diverse_counted,
            c.diverse_left_out,
            c.receipts_counted,
            c.receipts_left_out,
        )
        for no, c in items.items()
    }
    assert got["S02"] == (2, 0, 1, 0, 1, 0)
    assert got["S03"] == (0, 1, 2, 0, 1, 0)
    assert got["S04"] == (0, 3, 0, 1, 0, 1)
    assert got["S05"] == (0, 1, 0, 0, 0, 0)
    assert got["S07"] == (1, 0, 0, 0, 0, 0)
    assert got["S06"] == (0, 0, 0, 0, 0, 0)


def test_left_out_outcomes_are_exactly_what_the_metric_leaves_out(school: Con) -> None:
    uploaded = metrics.semester_metrics(school, 113, 1, None)["outcomes"]["uploaded"]
    total = school.execute(
        "select count(*) from outcomes where school_year = 113 and semester = 1"
    ).fetchone()
    assert total is not None
    left_out = sum(c.outcomes_left_out for c in enrolment.changes(school, 113, 1))
    assert uploaded == total[0] - left_out == 4  # S01 1 + S02 2 + S07 1


def test_division_and_previous_status(school: Con) -> None:
    assert list(_by_no(school, "進修部")) == ["S05"]
    second = {c.student_no: c for c in enrolment.changes(school, 113, 2)}
    assert second["S03"].status == "復學" and second["S03"].previous_status == "休學"
    assert second["S03"].counted


def test_summary_counts_by_status(school: Con) -> None:
    summary = enrolment.summary_table(enrolment.changes(school, 113, 1))
    rows = {r["學籍狀態"]: r for r in summary.to_dict("records")}
    assert list(rows) == ["轉入", "重讀", "借讀", "在學", "轉出", "休學", "退學", "畢業"]
    assert rows["轉入"]["人數"] == 1 and rows["轉入"]["計入"] == enrolment.COUNTED
    assert rows["轉出"]["計入"] == enrolment.NOT_COUNTED and rows["轉出"]["課程學習成果 不計入"] == 3
    assert summary["人數"].sum() == 8


def test_names_masked_unless_allowed(school: Con) -> None:
    items = enrolment.changes(school, 113, 1)
    masked = enrolment.detail_table(items, show_names=False)
    clear = enrolment.detail_table(items, show_names=True)
    assert "王○明" in set(masked["姓名"]) and "王小明" not in set(masked["姓名"])
    assert "王小明" in set(clear["姓名"])
    assert set(masked.loc[masked["學號"] == "S02", "異動日期"]) == {"113/09/10"}
    assert exports.to_xlsx({"異動學生明細": masked})[:2] == b"PK"


def test_empty_semester(con: Con) -> None:
    assert enrolment.changes(con, 113, 1) == []
    assert enrolment.summary_table([]).empty
