"""紙本通知 on a hand-made school: who has left, which receipts count, the deadline, addresses.

資料截至 is AS_OF (2026-11-16 08:00, 學年度 115); receipt_window_min_days is 3, so the earliest
deadline is 2026-11-19.

| 學號 | 部別 | roster rows (latest last) | has left? | 未確認 receipts listed |
|---|---|---|---|---|
| A01 | 日間部 | 113-1 g3, 113-2 g3 在學 | 畢業 (grade 3, 113 < 115) | 113/0 課程學習成果 (113/2 is 已確認) |
| A02 | 日間部 | 114-1 g2, 114-2 g2 轉出 | 轉出 | 114/1 修課紀錄 |
| A03 | 日間部 | 114-2 g3 在學 | 畢業 | none: its only receipt is 已確認 |
| A04 | 日間部 | 114-2 g2, 115-1 g3 在學 | no | (114/2 修課紀錄 未確認: not listed) |
| A05 | 進修部 | 114-2 g3 在學 | no: 進修部 has grade 4 in 114-2 | (未確認: not listed) |
| A06 | 進修部 | 114-2 g4 在學 | 畢業 | 114/0 多元表現 |
| A07 | 日間部 | 114-2 g1, 115-1 g2 休學 | 休學 | 114/2 校內幹部經歷 |
| A08 | 日間部 | 114-1 g1 退學 | 退學 | none: 回報錯誤 is not 未確認 |
| A09 | 進修部 | 113-2 g3 在學 (113 has no grade 4) | 畢業 | 113/2 修課紀錄 |

收訖確認 phases: 114-1 both 部別 to 2026-12-31 (A02: from the phase); 114-2 both to 2027-01-15
(A06, 進修部: from the phase) but 日間部 to 2026-11-18 (A07: overridden, too soon: 資料截至 + 3);
none for 113 (A01, A09: 資料截至 + 3).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from dashboard.registry import notices
from tests import school_fixture as f

AS_OF = datetime(2026, 11, 16, 8, 0)
FALLBACK = date(2026, 11, 19)
ADDRESS_A02 = "300新竹市東區測試路1號"
ADDRESS_A01 = "302新竹縣竹北市舊址路9號"


def _school(con: duckdb.DuckDBPyConnection) -> None:
    day, night = "日間部", "進修部"
    rows = [
        ("A01", 113, 1, day, 3, "在學"),
        ("A01", 113, 2, day, 3, "在學"),
        ("A02", 114, 1, day, 2, "在學"),
        ("A02", 114, 2, day, 2, "轉出"),
        ("A03", 114, 2, day, 3, "在學"),
        ("A04", 114, 2, day, 2, "在學"),
        ("A04", 115, 1, day, 3, "在學"),
        ("A05", 114, 2, night, 3, "在學"),
        ("A06", 114, 2, night, 4, "在學"),
        ("A07", 114, 2, day, 1, "在學"),
        ("A07", 115, 1, day, 2, "休學"),
        ("A08", 114, 1, day, 1, "退學"),
        ("A09", 113, 2, night, 3, "在學"),
    ]
    for no, year, sem, division, grade, status in rows:
        f.student(con, no, year, sem, division=division, grade=grade, status=status, class_name=f"班{no}")
    # A01's address is on an older row only; A02 moved (the latest row's address wins).
    con.execute(
        "update students set address = $a where student_no = 'A01' and semester = 1", {"a": ADDRESS_A01}
    )
    con.execute("update students set address = '舊地址' where student_no = 'A02' and semester = 1")
    con.execute(
        "update students set address = $a, status_changed_on = $d where student_no = 'A02' and semester = 2",
        {"a": ADDRESS_A02, "d": date(2026, 3, 2)},
    )
    f.receipt(con, "A01", "課程學習成果", "未確認", year=113, semester=0)
    f.receipt(con, "A01", "修課紀錄", "已確認", year=113, semester=2)
    f.receipt(con, "A02", "修課紀錄", "未確認", year=114, semester=1)
    f.receipt(con, "A03", "修課紀錄", "已確認", year=114, semester=2)
    f.receipt(con, "A04", "修課紀錄", "未確認", year=114, semester=2)
    f.receipt(con, "A05", "修課紀錄", "未確認", year=114, semester=2)
    f.receipt(con, "A06", "多元表現", "未確認", year=114, semester=0)
    f.receipt(con, "A07", "校內幹部經歷", "未確認", year=114, semester=2)
    f.receipt(con, "A08", "修課紀錄", "回報錯誤", year=114, semester=1)
    f.receipt(con, "A09", "修課紀錄", "未確認", year=113, semester=2)
    f.schedule(con, "收訖確認", date(2026, 12, 31), 114, 1)
    f.schedule(con, "收訖確認", date(2027, 1, 15), 114, 2)
    f.schedule(con, "收訖確認", date(2026, 11, 18), 114, 2, division=day)
    f.schedule(con, "教師認證", date(2027, 6, 1), 113, 2)  # another phase: never a deadline


@pytest.fixture
def school(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    _school(con)
    return con


def _by_no(con: duckdb.DuckDBPyConnection, **kw: object) -> dict[str, notices.Recipient]:
    rows = notices.recipients(con, as_of=AS_OF, may_see_addresses=True, **kw)  # type: ignore[arg-type]
    return {r.student_no: r for r in rows}


def test_who_has_left_and_why(school: duckdb.DuckDBPyConnection) -> None:
    got = _by_no(school)
    assert {no: r.reason for no, r in got.items()} == {
        "A01": "畢業",
        "A02": "轉出",
        "A06": "畢業",
        "A07": "休學",
        "A09": "畢業",
    }
    assert got["A02"].left_on == date(2026, 3, 2) and got["A01"].left_on is None
    assert got["A07"].class_name == "班A07" and got["A06"].division == "進修部"
    assert got["A06"].contact_unit == "進修部教務組" and got["A02"].contact_unit == "教務處註冊組"


def test_a_post_graduation_roster_names_every_graduate(school: duckdb.DuckDBPyConnection) -> None:
    """The 114-2 roster exported after graduation: seniors are 畢業 with 畢業學年度 114. A05 (進修部
    grade 3 in a year with a grade 4) is found only that way; A03's row says when they left."""
    school.execute(
        "update students set status = '畢業', graduation_year = 114, status_changed_on = $on"
        " where student_no in ('A03', 'A05') and school_year = 114 and semester = 2",
        {"on": date(2026, 6, 5)},
    )
    f.receipt(school, "A03", "多元表現", "未確認", year=114, semester=0)
    got = _by_no(school)
    assert (got["A05"].reason, got["A05"].left_on) == ("畢業", date(2026, 6, 5))
    assert (got["A03"].reason, got["A03"].left_on) == ("畢業", date(2026, 6, 5))
    assert [(p.school_year, p.semester, p.roster) for p in got["A05"].receipts] == [(114, 2, "修課紀錄")]
    # Exported in July, inside 學年度 114: the 畢業 rows are leavers already, a 在學 senior is not.
    july = notices.recipients(school, as_of=datetime(2026, 7, 20, 9, 0), may_see_addresses=False)
    assert {"A03", "A05"} <= {r.student_no for r in july}
    assert "A06" not in {r.student_no for r in july}  # grade 4, still 在學: not yet known to have left


def test_only_unconfirmed_receipts_are_listed(school: duckdb.DuckDBPyConnection) -> None:
    got = _by_no(school)
    assert [(p.school_year, p.semester, p.roster) for p in got["A01"].receipts] == [(113, 0, "課程學習成果")]
    assert "A03" not in got and "A08" not in got  # 已確認 / 回報錯誤 only
    assert got["A01"].roster_text == "113學年度 課程學習成果"
    assert got["A09"].roster_text == "113學年度第2學期 修課紀錄"


def test_deadline_from_the_phase_or_the_fallback(school: duckdb.DuckDBPyConnection) -> None:
    got = _by_no(school)
    a02 = got["A02"].receipts[0]
    assert (a02.phase_end_date, a02.deadline_date, a02.deadline_note) == (
        date(2026, 12, 31),
        date(2026, 12, 31),
        None,
    )
    a06 = got["A06"].receipts[0]  # per-year roster: 學期 2's phase; 進修部 uses the row for both
    assert (a06.deadline_date, a06.deadline_note) == (date(2027, 1, 15), None)
    a07 = got["A07"].receipts[0]  # 日間部's own row overrides and ends too soon
    assert a07.phase_end_date == date(2026, 11, 18)
    assert a07.deadline_date == FALLBACK and a07.deadline_note and "115/11/18" in a07.deadline_note
    for no in ("A01", "A09"):  # no 收訖確認 phase for 113
        p = got[no].receipts[0]
        assert p.phase_end_date is None and p.deadline_date == FALLBACK
        assert p.deadline_note == "未訂收訖確認期程，以資料截至後 3 天計"


def test_the_window_comes_from_the_rules_table(school: duckdb.DuckDBPyConnection) -> None:
    f.rule(school, "receipt_window_min_days", 7, 115)
    assert _by_no(school)["A01"].deadline_date == date(2026, 11, 23)


def test_filters(school: duckdb.DuckDBPyConnection) -> None:
    assert set(_by_no(school, division="進修部")) == {"A06", "A09"}
    assert set(_by_no(school, year=114)) == {"A02", "A06", "A07"}
    assert set(_by_no(school, year=114, semester=2)) == {"A06", "A07"}  # 學期 2 includes 學期 0
    assert set(_by_no(school, year=114, semester=1)) == {"A02"}


def test_without_as_of_it_asks_for_an_import(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="資料截至"):
        notices.recipients(con, may_see_addresses=True)


def _workbook_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_addresses_only_for_callers_that_may_see_them(school: duckdb.DuckDBPyConnection) -> None:
    allowed = notices.recipients(school, as_of=AS_OF, may_see_addresses=True)
    by_no = {r.student_no: r for r in allowed}
    assert by_no["A02"].address == ADDRESS_A02 and by_no["A01"].address == ADDRESS_A01
    sheet = notices.mailing_sheet(allowed, show_names=True, may_see_addresses=True)
    assert sheet.set_index("學號").loc["A02", "郵遞地址"] == ADDRESS_A02
    data = notices.mailing_workbook(allowed, show_names=True, may_see_addresses=True)
    assert ADDRESS_A02 in _workbook_text(data)  # the check below can find an address

    hidden = notices.recipients(school, as_of=AS_OF, may_see_addresses=False)
    assert all(r.address is None for r in hidden)
    sheet = notices.mailing_sheet(hidden, show_names=False, may_see_addresses=False)
    assert "郵遞地址" not in sheet.columns
    data = notices.mailing_workbook(hidden, show_names=False, may_see_addresses=False)
    frame = pd.read_excel(io.BytesIO(data), sheet_name=notices.SHEET, engine="calamine")
    assert "郵遞地址" not in frame.columns
    assert set(frame["姓名"]) == {f"學○○○{n}" for n in "12679"}  # 學生A01 -> 學○○○1
    for text in (ADDRESS_A01, ADDRESS_A02, "郵遞地址"):
        assert text.encode("utf-8") not in data
        assert text not in _workbook_text(data)


def test_mailing_sheet_columns_and_rows(school: duckdb.DuckDBPyConnection) -> None:
    rows = notices.recipients(school, as_of=AS_OF, may_see_addresses=True)
    sheet = notices.mailing_sheet(rows, show_names=True, may_see_addresses=True)
    assert list(sheet.columns) == list(notices.MAILING_COLUMNS)
    assert list(sheet["學號"]) == [r.student_no for r in rows] and len(sheet) == 5
    a02 = sheet.set_index("學號").loc["A02"]
    assert (a02["姓名"], a02["離校原因"], a02["截止日"]) == ("學生A02", "轉出", "115/12/31")
    assert notices.file_name(114, 2, "日間部") == "114-2_紙本通知名單_日間部.xlsx"
    assert notices.file_name(None, None, None, ".pdf") == "全部學年度_紙本通知信函_全校.pdf"
