"""教師認證 in Chromium as the principal: a deep link to one teacher, the 未通過原因 chart drawn by
the plotly bundled with Streamlit (nothing fetched from another server), and the reminder
workbook downloaded through the button (built on click) with students' names masked."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from dashboard.documents import reminders
from tests.e2e.ui import sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"


def _teacher_with_failures(demo_db_template: Path) -> str:
    con = duckdb.connect(str(demo_db_template), read_only=True)
    try:
        row = con.execute(
            "select teacher_code from outcomes where school_year = 115 and semester = 1"
            " group by teacher_code"
            " having count(*) filter (where cert_status = '未通過') > 0"
            "    and count(*) filter (where cert_status = '認證中') > 0"
            " order by teacher_code limit 1"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0])


def test_principal_opens_a_teacher_and_downloads_the_reminders(
    server: str, browser: Any, demo_db_template: Path, tmp_path: Path
) -> None:
    code = _teacher_with_failures(demo_db_template)
    context = browser.new_context(
        viewport={"width": 1400, "height": 2400}, locale="zh-TW", accept_downloads=True
    )
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(f"{server}/teachers?semester=115-1&division=日間部&teacher={code}")
    sign_in(page, "principal", "教師明細")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert code in page.url and "teacher=" in page.url
    body = page.locator("body").inner_text()
    assert "資料截至 115/11/16 08:00" in body
    assert "您好：115學年度第1學期課程學習成果尚有" in body
    page.screenshot(path=str(SHOTS / "teachers_detail_principal.png"), full_page=True)

    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="下載待認證提醒（Excel）").click()
    assert download.value.suggested_filename == "115-1_待認證提醒_日間部.xlsx"
    saved = tmp_path / "reminders.xlsx"
    download.value.save_as(saved)
    book = CalamineWorkbook.from_filelike(io.BytesIO(saved.read_bytes()))
    assert book.sheet_names == [reminders.TEACHER_SHEET, reminders.ITEM_SHEET]
    stamp, *items = book.get_sheet_by_name(reminders.ITEM_SHEET).to_python()
    assert str(stamp[0]).startswith("機密｜") and "（校長）於 " in str(stamp[0])
    assert items[0] == list(reminders.ITEM_COLUMNS)
    assert len(items) > 1 and all("○" in row[3] for row in items[1:])
    assert outside == [], f"requests outside the server: {outside[:5]}"
    context.close()
