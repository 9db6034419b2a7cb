"""Publishing the 作業期程: the .ics (read back with icalendar), the standalone HTML page and the
.xlsx (read back with python_calamine), checked against the rows stored in the database."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import duckdb
import icalendar
import pytest
from python_calamine import CalamineWorkbook

from dashboard import auth
from dashboard.documents import schedule_publish
from dashboard.records import schedule
from dashboard.records.schedule_model import PhaseEntry

CLERK = auth.User("registrar", "註冊組長", "註冊組")
AT = datetime(2026, 8, 20, 9, 30)
SCOPE = {None: "全校", "日間部": "日間部", "進修部": "進修部"}


def stored_rows(con: duckdb.DuckDBPyConnection, year: int, semester: int) -> list[tuple[object, ...]]:
    """Read straight from the table, not through the module under test."""
    return con.execute(
        "select division, phase, start_date, end_date, self_check_date, unit from schedule"
        " where school_year = ? and semester = ?",
        [year, semester],
    ).fetchall()


def events(data: bytes) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def as_date(value: object) -> date:
    assert isinstance(value, date) and not isinstance(value, datetime)  # an all-day value
    return value


@pytest.mark.parametrize(("year", "semester"), [(114, 1), (114, 2), (115, 1)])
def test_every_stored_row_is_an_all_day_event(
    demo_con: duckdb.DuckDBPyConnection, year: int, semester: int
) -> None:
    rows = stored_rows(demo_con, year, semester)
    assert rows
    found = events(schedule_publish.to_ics(demo_con, year, semester, AT))
    by_summary = {str(e["SUMMARY"]): e for e in found}
    assert len(by_summary) == len(found)  # summaries, and so events, are not repeated
    for division, phase, start, end, self_check, unit in rows:
        event = by_summary[f"學習歷程：{phase}（{SCOPE[division]}）"]
        assert as_date(event.decoded("DTSTART")) == start
        assert as_date(event.decoded("DTEND")) == end + timedelta(days=1)  # DTEND is exclusive
        assert str(unit) in str(event["DESCRIPTION"])
        if self_check is not None:
            check = by_summary[f"自我檢核：{phase}（{SCOPE[division]}）"]
            assert as_date(check.decoded("DTSTART")) == self_check
            assert as_date(check.decoded("DTEND")) == self_check + timedelta(days=1)
    with_check = sum(r[4] is not None for r in rows)
    assert len(found) == len(rows) + with_check
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)
    assert all(e.get("DTSTAMP") is not None for e in found)


def test_the_calendar_is_well_formed(demo_con: duckdb.DuckDBPyConnection) -> None:
    data = schedule_publish.to_ics(demo_con, 114, 1, AT)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert cal.get("PRODID") and "114學年度第1學期" in str(cal["X-WR-CALNAME"])
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # only CRLF line endings
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a multi-byte character
    # Publishing again gives the same UIDs, so a subscribed calendar updates instead of doubling.
    again = schedule_publish.to_ics(demo_con, 114, 1, AT + timedelta(days=3))
    assert [str(e["UID"]) for e in events(again)] == [str(e["UID"]) for e in events(data)]


def test_text_is_escaped_and_long_lines_are_folded(con: duckdb.DuckDBPyConnection) -> None:
    unit = "教務處註冊組, 進修部; 路徑 C:\\資料\n第二行" + "、進修部教務組" * 12
    entries = [PhaseEntry("學校提交", date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 17), unit)]
    schedule.save(con, 114, 1, None, entries, CLERK)
    data = schedule_publish.to_ics(con, 114, 1, AT)
    assert b"\\, " in data and b"\\;" in data and b"C:\\\\" in data and b"\\n" in data
    assert b"\r\n " in data  # at least one folded line
    (phase_event, check_event) = events(data)
    assert unit in str(phase_event["DESCRIPTION"])
    assert unit in str(check_event["DESCRIPTION"])
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def test_fold_counts_octets_not_characters() -> None:
    line = "DESCRIPTION:" + "學" * 40  # 12 + 120 octets
    folded = schedule_publish.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert schedule_publish.fold("SHORT:x") == "SHORT:x"


def test_an_empty_semester_gives_an_empty_calendar(con: duckdb.DuckDBPyConnection) -> None:
    data = schedule_publish.to_ics(con, 114, 1, AT)
    assert events(data) == []
    assert icalendar.Calendar.from_ical(data).get("VERSION") is not None


# --- HTML -------------------------------------------------------------------------------

EXTERNAL = re.compile(r"https?:|src=|<link|//|@import|url\(", re.IGNORECASE)


def test_the_page_lists_every_row_and_is_standalone(demo_con: duckdb.DuckDBPyConnection) -> None:
    page = schedule_publish.to_html(demo_con, 115, 1, AT)
    rows = stored_rows(demo_con, 115, 1)
    assert page.lower().startswith("<!doctype html>")
    assert '<html lang="zh-Hant-TW">' in page and '<meta charset="utf-8">' in page
    heading = "國立新竹高級工業職業學校 115學年度第1學期 學生學習歷程檔案作業期程"
    assert f"<title>{heading}</title>" in page and f"<h1>{heading}</h1>" in page
    assert page.count("<table>") == 1 and "<caption>" in page
    for header in ("項目", "適用部別", "開始日期", "結束日期", "自我檢核日期", "負責單位"):
        assert f'<th scope="col">{header}</th>' in page
    assert page.count('<th scope="row">') == len(rows)
    for _division, phase, *_ in rows:
        assert f'<th scope="row">{phase}</th>' in page
    assert EXTERNAL.search(page) is None, EXTERNAL.search(page)
    assert "<script" not in page.lower() and "@font-face" not in page
    assert '"Noto Sans CJK TC"' in page and '"Microsoft JhengHei"' in page and "sans-serif" in page
    assert "@media print" in page
    assert "資料產生時間：115/08/20 09:30" in page


def test_the_page_shows_roc_dates_with_weekdays_in_phase_order(con: duckdb.DuckDBPyConnection) -> None:
    general = [
        PhaseEntry("教師認證", date(2025, 9, 1), date(2026, 2, 10), None, "教務處註冊組"),
        PhaseEntry("休業式", date(2026, 1, 20), date(2026, 1, 20), date(2026, 1, 20), "學務處"),
    ]
    night = [PhaseEntry("教師認證", date(2025, 9, 1), date(2026, 2, 13), date(2026, 2, 10), "進修部教務組")]
    schedule.save(con, 114, 1, "進修部", night, CLERK)
    schedule.save(con, 114, 1, None, general, CLERK)
    page = schedule_publish.to_html(con, 114, 1, AT)
    assert "114/09/01（一）" in page  # 2025-09-01 was a Monday
    assert "115/01/20（二）" in page and "115/02/13（五）" in page
    assert "未訂定" in page  # the general 教師認證 has no self-check date
    order = [page.index(s) for s in ("教務處註冊組", "進修部教務組", "學務處")]
    assert order == sorted(order)  # 教師認證 全校, 教師認證 進修部, then 休業式


def test_every_value_is_escaped(con: duckdb.DuckDBPyConnection) -> None:
    unit = '<script>alert("x")</script> & 註冊組'
    schedule.save(
        con, 114, 1, None, [PhaseEntry("休業式", date(2026, 1, 20), date(2026, 1, 20), None, unit)], CLERK
    )
    page = schedule_publish.to_html(con, 114, 1, AT)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 註冊組" in page


def test_an_empty_semester_says_so(con: duckdb.DuckDBPyConnection) -> None:
    page = schedule_publish.to_html(con, 114, 2, AT)
    assert "尚未訂定作業期程" in page and '<th scope="row">' not in page


# --- Excel and file names ---------------------------------------------------------------


def test_the_workbook_has_one_row_per_stored_row(demo_con: duckdb.DuckDBPyConnection) -> None:
    data = schedule_publish.to_xlsx(demo_con, 114, 1)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["作業期程"]
    table = book.get_sheet_by_name("作業期程").to_python()
    assert table[0] == ["項目", "適用部別", "開始日期", "結束日期", "自我檢核日期", "負責單位"]
    rows = stored_rows(demo_con, 114, 1)
    assert len(table) - 1 == len(rows)
    assert sorted((r[0], r[1]) for r in table[1:]) == sorted((r[1], SCOPE[r[0]]) for r in rows)


def test_file_names_say_the_semester() -> None:
    assert schedule_publish.file_name(115, 1, "html") == "115-1_學習歷程作業期程.html"
    assert schedule_publish.file_name(114, 2, ".ics") == "114-2_學習歷程作業期程.ics"
