"""Issue 4 end to end in Chromium: open the dispute list, filter to overdue, export it and open
the workbook; screenshots for a person to look at."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from dashboard import db
from dashboard.registry import receipts
from tests.e2e.ui import idle, open_signed_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"


def _overdue_disputes(demo_db_template: Path, year: int) -> int:
    con = db.connect(demo_db_template)
    try:
        as_of = db.as_of(con)
        assert as_of is not None
        return sum(1 for d in receipts.disputes(con, year, None, as_of) if d.overdue)
    finally:
        con.close()


def test_overdue_disputes_filtered_and_exported(server: str, browser: Any, demo_db_template: Path) -> None:
    expected = _overdue_disputes(demo_db_template, 114)
    assert expected > 0
    # The filter comes from the link, as when a clerk shares the overdue view.
    path = "/receipts?semester=114-2&dispute=overdue"
    context, page = open_signed_in(browser, server, path, "registry", "收訖確認")
    assert page.locator(".st-key-receipts_dispute [role=combobox]").input_value() == "只看逾期"
    # Until the rerun replaces them, the unfiltered figures and download button stay on screen.
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-testid=stMetric]')].some(m =>"
        " m.innerText.includes('回報錯誤（件）') &&"
        " m.querySelector('[data-testid=stMetricValue]').innerText.trim() === String(n))",
        arg=expected,
        timeout=30_000,
    )
    idle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "receipts_overdue.png"), full_page=True)
    with page.expect_download() as info:
        page.locator(".st-key-receipts_disputes_export button").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = Path(download.path()).read_bytes()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    stamp, _header, *rows = book.get_sheet_by_index(0).to_python()
    assert str(stamp[0]).startswith("機密｜") and "匯出" in str(stamp[0])  # who exported it, when
    assert len(rows) == expected
    context.close()


def test_letters_generated_through_the_page(
    server: str, browser: Any, demo_db_template: Path, tmp_path: Path
) -> None:
    import subprocess

    from dashboard.registry import notices

    con = db.connect(demo_db_template)
    try:
        expected = notices.recipients(con, year=114, semester=2, division="進修部", may_see_addresses=True)
    finally:
        con.close()
    assert expected
    path = "/notices?receipts=114-2&division=進修部"
    context, page = open_signed_in(browser, server, path, "registry", "紙本通知")
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "notices_page.png"), full_page=True)
    with page.expect_download(timeout=120_000) as info:
        page.locator(".st-key-notices_letters_export").get_by_role(
            "button", name="下載通知信函（PDF）"
        ).first.click()
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(Path(info.value.path()).read_bytes())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == len(expected)
    assert "國立新竹高級工業職業學校" in text
    assert all(f"{r.student_no}" in text for r in expected[:5])
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "letter")], check=True
    )
    context.close()
