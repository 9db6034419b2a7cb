"""教師認證 through AppTest on the demo school: every semester and division, the figures of
metrics.semester_breakdown, a teacher chosen through ?teacher=, flagged teachers, masking."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.documents import reminders
from dashboard.measures import metrics, teachers
from tests.app.conftest import every_semester_and_division, page_test, scope_line, table_with, texts

PAGE = "pages.teachers"


def _run(query: dict[str, str], role: str = "管理者") -> AppTest:
    at = page_test(PAGE, role=role, query=query).run()
    assert not at.exception, at.exception
    return at


@every_semester_and_division
def test_every_semester_and_division_shows_the_metrics(
    demo_con: duckdb.DuckDBPyConnection, semester: str, division: str
) -> None:
    year, term = metrics.parse_semester(semester)
    expected = metrics.semester_breakdown(demo_con, year, term, "teacher", division)
    demo_con.close()  # the page opens the file next
    at = _run({"semester": semester, "division": division})
    assert at.selectbox(key="teachers_semester").value == (year, term)
    assert at.selectbox(key="teachers_division").value == division
    assert scope_line(metrics.semester_label(year, term), division) in texts(at)
    table = table_with(at, "準時認證率（%）")
    assert list(table["教師代碼"]) == [row["教師代碼"] for row in expected]
    for column, key in (("送出認證", "submitted"), ("通過", "passed"), ("未通過", "failed")):
        assert list(table[column]) == [row[key] for row in expected], column
    assert list(table["待認證"]) == [row["pending"] for row in expected]
    assert list(table["代理認證"]) == [row["proxy_certified"] for row in expected]
    shown_rates = [None if pd.isna(v) else v for v in table["準時認證率（%）"]]
    assert shown_rates == [
        None if row["on_time_rate"] is None else round(row["on_time_rate"] * 100, 1) for row in expected
    ]
    pending = sum(row["pending"] for row in expected)
    assert f"待認證 {pending:,} 件（認證中）" in texts(at)


def _busiest(con: duckdb.DuckDBPyConnection, year: int = 115, semester: int = 1) -> teachers.TeacherStatus:
    board = teachers.board(con, year, semester)
    return max(board, key=lambda t: (t.pending, t.code))


def test_teacher_from_the_url_opens_the_detail(demo_con: duckdb.DuckDBPyConnection) -> None:
    chosen = _busiest(demo_con)
    text = reminders.message(chosen, 115, 1)
    items = teachers.pending_items(demo_con, 115, 1, teacher=chosen.code)
    demo_con.close()
    at = _run({"semester": "115-1", "teacher": chosen.code})
    assert at.selectbox(key="teachers_teacher").value == chosen.code
    shown = {m.label: m.value for m in at.metric}
    assert shown["送出認證（件）"] == f"{chosen.submitted:,}"
    assert shown["待認證（件）"] == f"{chosen.pending:,}"
    assert shown["準時認證率"] == f"{chosen.on_time_rate * 100:.1f}%"  # type: ignore[operator]
    assert (shown["≤ 7 天"], shown["8–14 天"], shown["> 14 天"]) == (
        str(chosen.pending_within_7),
        str(chosen.pending_8_to_14),
        str(chosen.pending_over_14),
    )
    assert [c.value for c in at.code] == [text]
    detail = table_with(at, "送出認證時間")
    assert len(detail) == len(items) == chosen.pending
    assert list(detail["等待天數"]) == sorted((i.waiting_days for i in items), reverse=True)  # type: ignore[type-var]
    # Choosing another teacher follows into the address.
    other = next(o for o in at.selectbox(key="teachers_teacher").options if chosen.code not in o)
    at.selectbox(key="teachers_teacher").set_value(other.split(" ")[0]).run()
    assert not at.exception
    assert at.query_params["teacher"] == other.split(" ")[0]


def test_unknown_teacher_in_the_url_falls_back_to_the_longest_backlog(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    board = teachers.board(demo_con, 115, 1)
    most = max(t.pending for t in board)
    first = min(t.code for t in board if t.pending == most)  # no one is flagged in the demo
    demo_con.close()
    at = _run({"teacher": "T9999"})
    assert at.selectbox(key="teachers_teacher").value == first


def test_department_filter_and_pending_toggle() -> None:
    at = _run({"semester": "115-1", "department": "機械科"})
    table = table_with(at, "準時認證率（%）")
    assert len(table) > 0 and set(table["單位"]) == {"機械科"}
    at.toggle(key="teachers_pending_only").set_value(True).run()
    assert not at.exception
    pending_only = table_with(at, "準時認證率（%）")
    assert (pending_only["待認證"] > 0).all()
    assert set(pending_only["單位"]) == {"機械科"}
    assert at.query_params["department"] == "機械科"


def _names(con: duckdb.DuckDBPyConnection, semester: tuple[int, int]) -> dict[str, str]:
    rows = con.execute(
        "select student_no, name from students where school_year = $y and semester = $s",
        {"y": semester[0], "s": semester[1]},
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize(("role", "masked"), [("校長", True), ("工作小組委員", True), ("註冊組", False)])
def test_student_names_masked_unless_allowed(
    demo_con: duckdb.DuckDBPyConnection, role: str, masked: bool
) -> None:
    chosen = _busiest(demo_con)
    clear = _names(demo_con, (115, 1))
    demo_con.close()
    at = _run({"semester": "115-1", "teacher": chosen.code}, role=role)
    detail = table_with(at, "學生姓名")
    pairs = list(zip(detail["學號"], detail["學生姓名"], strict=True))
    assert pairs
    if masked:
        assert all(name != clear[no] and "○" in name for no, name in pairs)
    else:
        assert all(name == clear[no] for no, name in pairs)
    # Both downloads are offered to every role that can see the page.
    downloads: list[Any] = at.get("download_button")
    assert len(downloads) == 2


def test_departed_teacher_with_pending_items_is_flagged(demo_con: duckdb.DuckDBPyConnection) -> None:
    chosen = _busiest(demo_con)
    demo_con.execute(
        "update staff set employment_status = '離職', account_disabled_on = $d where staff_code = $c",
        {"d": date(2026, 11, 25), "c": chosen.code},
    )
    demo_con.close()
    at = _run({"semester": "115-1", "teacher": chosen.code})
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert chosen.code in warnings[0] and "離職" in warnings[0]
    for division, unit in teachers.UNIT_FOR_DIVISION.items():
        count = chosen.pending_by_division[division]
        assert (f"{division} {count} 件由**{unit}**" in warnings[0]) == (count > 0)
    assert "平臺帳號將於 115/11/25 停用（資料截至後 9 天）" in warnings[0]
    table = table_with(at, "代理認證單位")
    row = table[table["教師代碼"] == chosen.code].iloc[0]
    assert row["代理認證單位"] == "、".join(
        u for d, u in teachers.UNIT_FOR_DIVISION.items() if chosen.pending_by_division[d]
    )
    assert at.code[0].value.startswith(row["代理認證單位"] + "您好：")
    # 進修部 only: the flag names only 進修部教務組, or disappears with no 進修部 items.
    at = _run({"semester": "115-1", "division": "進修部", "teacher": chosen.code})
    assert all("教務處註冊組" not in w.value for w in at.warning)
    assert len(at.warning) == (1 if chosen.pending_by_division["進修部"] else 0)


def test_principal_can_open_the_page() -> None:
    at = _run({}, role="校長")
    assert "教師認證" in [t.value for t in at.title]
    assert not at.error
