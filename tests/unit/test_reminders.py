"""The reminder workbook (read back with python_calamine) and the per-teacher messages, on the
hand-made school (school_fixture.teacher_school) and on the demo school."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from typing import Any

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from dashboard.documents import reminders
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import teachers
from dashboard.measures.teachers import TeacherStatus
from tests import school_fixture as f
from tests.school_fixture import TEACHER_AS_OF


@pytest.fixture
def school(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    f.teacher_school(con)
    return con


def _sheets(data: bytes) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _independent_counts(
    con: duckdb.DuckDBPyConnection, year: int, semester: int, division: str | None
) -> Any:
    """Teachers with pending items and pending items, straight from the tables (not queries/)."""
    return con.execute(
        """
        select count(distinct o.teacher_code), count(*)
        from outcomes o
        join students s
          on s.school_year = o.school_year and s.semester = o.semester and s.student_no = o.student_no
        where o.school_year = $y and o.semester = $s and o.cert_status = '認證中'
          and (list_contains($active, s.status) or (s.status = '畢業' and s.graduation_year = s.school_year))
          and ($div is null or s.division = $div)
        """,
        {"y": year, "s": semester, "div": division, "active": list(ACTIVE_STATUSES)},
    ).fetchone()


def _by_code(con: duckdb.DuckDBPyConnection, division: str | None = None) -> dict[str, TeacherStatus]:
    return {t.code: t for t in teachers.board(con, 113, 1, division, as_of=TEACHER_AS_OF)}


def test_workbook_sheets_headers_and_rows(school: duckdb.DuckDBPyConnection) -> None:
    data = reminders.workbook(school, 113, 1, show_names=True, as_of=TEACHER_AS_OF)
    sheets = _sheets(data)
    assert list(sheets) == ["待認證教師", "待認證明細"]
    people, items = sheets["待認證教師"], sheets["待認證明細"]
    assert people[0] == list(reminders.TEACHER_COLUMNS)
    assert items[0] == list(reminders.ITEM_COLUMNS)
    assert (len(people) - 1, len(items) - 1) == _independent_counts(school, 113, 1, None) == (5, 11)
    assert people[1] == ["T01", "王大明", "機械科", "在職", 5, 15, date(2025, 2, 7), 18, ""]
    assert people[2][0] == "T02" and people[2][-1] == "教務處註冊組、進修部教務組"
    assert people[4][3:] == ["留職停薪", 1, 5, date(2025, 2, 10), 21, "進修部教務組"]
    assert people[5][:4] == ["T05", "", "", "不在教職員名冊"]
    # Sheet 2 in class order, then 學號; 座號 when known; 王小明 in clear for this caller.
    assert [row[0] for row in items[1:]] == ["機一甲"] * 5 + ["機一乙"] * 2 + ["進機一"] * 4
    assert items[1][:4] == ["機一甲", 1, "S01", "王小明"]
    assert items[6][1] == ""  # S02's 座號 is unknown
    assert items[1][7:] == [18, "李小華", "T02"]


def test_formula_like_text_is_neutralised(school: duckdb.DuckDBPyConnection) -> None:
    items = _sheets(reminders.workbook(school, 113, 1, show_names=True, as_of=TEACHER_AS_OF))["待認證明細"]
    assert "'=1+1" in [row[4] for row in items]  # a subject name
    assert [row[3] for row in items if row[2] == "S03"] == ['\'=HYPERLINK("x")'] * 4
    assert not any(isinstance(cell, str) and cell.startswith("=") for row in items for cell in row)


def test_names_are_masked_when_not_allowed(school: duckdb.DuckDBPyConnection) -> None:
    items = _sheets(reminders.workbook(school, 113, 1, show_names=False, as_of=TEACHER_AS_OF))["待認證明細"]
    names = {row[2]: row[3] for row in items[1:]}
    assert names["S01"] == "王○明"
    assert names["S02"] == "李○"
    assert "HYPERLINK" not in names["S03"]
    assert names["S03"].startswith("'=")  # masked, and still neutralised
    body = "".join(str(cell) for row in items for cell in row)
    assert "王小明" not in body and "李華" not in body


def test_a_division_workbook_holds_only_that_division(school: duckdb.DuckDBPyConnection) -> None:
    sheets = _sheets(reminders.workbook(school, 113, 1, "進修部", show_names=True, as_of=TEACHER_AS_OF))
    people, items = sheets["待認證教師"], sheets["待認證明細"]
    assert (len(people) - 1, len(items) - 1) == _independent_counts(school, 113, 1, "進修部") == (3, 4)
    assert {row[0] for row in items[1:]} == {"進機一"}
    assert [row[-1] for row in people[1:]] == ["", "進修部教務組", "進修部教務組"]


@pytest.mark.parametrize("division", [None, "日間部", "進修部"])
def test_demo_workbook_counts_equal_the_tables(
    demo_con: duckdb.DuckDBPyConnection, division: str | None
) -> None:
    sheets = _sheets(reminders.workbook(demo_con, 115, 1, division, show_names=False))
    people, items = sheets["待認證教師"], sheets["待認證明細"]
    assert people[0] == list(reminders.TEACHER_COLUMNS) and items[0] == list(reminders.ITEM_COLUMNS)
    expected = _independent_counts(demo_con, 115, 1, division)
    assert (len(people) - 1, len(items) - 1) == expected
    assert expected[1] > 0
    assert sum(row[4] for row in people[1:]) == expected[1]
    assert all("○" in row[3] for row in items[1:])


def test_file_name() -> None:
    assert reminders.file_name(115, 1, "日間部") == "115-1_待認證提醒_日間部.xlsx"
    assert reminders.file_name(113, 2) == "113-2_待認證提醒_全校.xlsx"


def test_message_for_a_teacher_in_post(school: duckdb.DuckDBPyConnection) -> None:
    assert reminders.message(_by_code(school)["T01"], 113, 1) == (
        "王老師您好：113學年度第1學期課程學習成果尚有 5 件待認證（最久已等待 15 天），"
        "認證截止日為 114/02/07（尚餘 18 天）。請登入學習歷程平臺完成認證。"
        "如有問題請洽教務處註冊組（日間部學生）或進修部教務組（進修部學生）。"
    )
    # Only 進修部 items: only 進修部教務組; the 進修部 deadline.
    text = reminders.message(_by_code(school, "進修部")["T01"], 113, 1)
    assert text is not None
    assert "尚有 1 件待認證，" in text  # its one item has no 送出認證時間: no age is claimed
    assert "114/02/10（尚餘 21 天）" in text
    assert text.endswith("如有問題請洽進修部教務組。")


def test_message_on_the_last_day_and_after_it(school: duckdb.DuckDBPyConnection) -> None:
    t01 = _by_code(school, "日間部")["T01"]
    today = reminders.message(dataclasses.replace(t01, days_left=0), 113, 1)
    late = reminders.message(dataclasses.replace(t01, days_left=-3), 113, 1)
    none = reminders.message(dataclasses.replace(t01, deadline_date=None, days_left=None), 113, 1)
    assert today is not None and "（今天截止）。請登入" in today
    assert late is not None and "（已逾期 3 天）。請儘速登入學習歷程平臺完成認證。" in late
    assert none is not None and "認證截止日請依學校公告之作業期程" in none
    assert today.endswith("如有問題請洽教務處註冊組。")


def test_messages_for_departed_teachers_go_to_the_proxy_unit(school: duckdb.DuckDBPyConnection) -> None:
    board = _by_code(school)
    t02 = reminders.message(board["T02"], 113, 1)
    assert t02 is not None
    assert t02.startswith(
        "教務處註冊組、進修部教務組您好：李小華老師（T02，離職）於113學年度第1學期尚有 3 件"
    )
    assert "第十一點(三)2(1)" in t02
    assert "日間部 1 件由教務處註冊組、進修部 2 件由進修部教務組" in t02
    assert "平臺帳號已於 114/01/20 停用" in t02
    t03 = reminders.message(board["T03"], 113, 1)
    assert t03 is not None
    assert t03.startswith("教務處註冊組您好：歐陽明老師（T03，退休）")
    assert "將於 114/02/03 停用" in t03 and "(三)2(2)" in t03
    t04 = reminders.message(board["T04"], 113, 1)
    assert t04 is not None and t04.startswith("進修部教務組您好：") and "停用" not in t04
    t05 = reminders.message(board["T05"], 113, 1)
    assert t05 is not None and "教師代碼 T05（不在教職員名冊）" in t05
    assert reminders.message(board["T06"], 113, 1) is None  # nothing pending


def test_messages_carry_no_student_data(school: duckdb.DuckDBPyConnection) -> None:
    texts = [reminders.message(t, 113, 1) or "" for t in teachers.board(school, 113, 1, as_of=TEACHER_AS_OF)]
    students = school.execute("select student_no, name from students").fetchall()
    for text in texts:
        for no, name in students:
            assert no not in text and name not in text


def test_salutation_and_roc_date() -> None:
    assert reminders.salutation("王大明", "T01") == "王老師"
    assert reminders.salutation("歐陽明", "T03") == "歐陽老師"
    assert reminders.salutation(None, "T05") == "T05 老師"
    assert reminders.roc_date(date(2027, 2, 5)) == "116/02/05"
