"""Every export carries 「機密」 and who exported it when (issue [8/11] build 4), and is logged.

A download is built on the click for the signed-in user: row 1 of every sheet and the printed
header and footer say 機密, the exporter (name and role), the 民國 time and 資料截至; the
workbook's document properties say the same; the audit log gets one 匯出 entry per click and
none for a page merely drawn. No page draws a download button of its own."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from dashboard import audit, db, exports
from dashboard.formatting import roc_datetime
from dashboard.school_calendar import school_now
from tests.app.conftest import AS_OF, page_test

Downloads = dict[str, tuple[str, Callable[[], Any]]]
ROOT = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"^機密｜測試者（校長）於 (\d{3}/\d\d/\d\d \d\d:\d\d) 匯出｜(資料截至 .+)$")


def _exports_logged(demo_db: Path) -> list[tuple[str, str, str]]:
    con = db.connect(demo_db)
    try:
        rows = con.execute(
            "select username, action, detail from audit_log where action = $a order by entry_id",
            {"a": audit.EXPORTED},
        ).fetchall()
    finally:
        con.close()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def _open(module: str, demo_db: Path, downloads: Downloads) -> Downloads:
    at = page_test(module, "校長").run()
    assert not at.exception, [e.value for e in at.exception]
    assert downloads, f"{module} drew no download"
    return downloads


def test_a_workbook_says_confidential_who_when_and_as_of_and_the_click_is_logged(
    demo_db: Path, downloads: Downloads
) -> None:
    _open("pages.trainings", demo_db, downloads)
    assert _exports_logged(demo_db) == []  # drawing the page exported nothing
    names = []
    for file_name, build in downloads.values():
        data = build()
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for sheet in book.sheet_names:
            first = book.get_sheet_by_name(sheet).to_python()[0][0]
            match = STAMP.match(str(first))
            assert match, first
            assert match.group(2) == AS_OF
        props = zipfile.ZipFile(io.BytesIO(data))
        core = props.read("docProps/core.xml").decode("utf-8")
        app = props.read("docProps/app.xml").decode("utf-8")
        assert "<cp:keywords>機密</cp:keywords>" in core and "<dc:creator>測試者（校長）</dc:creator>" in core
        assert f"<Company>{exports.SCHOOL}</Company>" in app
        sheet1 = props.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert "機密" in sheet1.split("<oddHeader>")[1] and "測試者（校長）" in sheet1.split("<oddFooter>")[1]
        names.append(file_name)
    logged = _exports_logged(demo_db)
    assert [(u, a) for u, a, _ in logged] == [("tester", audit.EXPORTED)] * len(names)
    assert [d.split("（")[0] for _, _, d in logged] == names


def test_the_stamp_time_is_the_clicks_in_school_time(demo_db: Path, downloads: Downloads) -> None:
    _open("pages.trainings", demo_db, downloads)
    (file_name, build), *_ = downloads.values()
    before = school_now().replace(second=0, microsecond=0)
    data = build()
    after = school_now()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    first = book.get_sheet_by_name(book.sheet_names[0]).to_python()[0][0]
    match = STAMP.match(str(first))
    assert match, first
    stamped = match.group(1)
    assert stamped in {roc_datetime(before), roc_datetime(after.replace(second=0, microsecond=0))}
    assert file_name.endswith(".xlsx")


def test_a_core_built_workbook_is_stamped_too(demo_db: Path, downloads: Downloads) -> None:
    """The reminder workbook is built in the core (documents.reminders): the stamp reaches it."""
    con = db.connect(demo_db)
    try:
        year, semester = max(
            tuple(r) for r in con.execute("select school_year, semester from students").fetchall()
        )
    finally:
        con.close()
    at = page_test("pages.teachers", "校長", {"semester": f"{year}-{semester}", "division": "日間部"}).run()
    assert not at.exception, [e.value for e in at.exception]
    file_name, build = downloads["teachers_reminders_export"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(build()))
    for sheet in book.sheet_names:
        assert STAMP.match(str(book.get_sheet_by_name(sheet).to_python()[0][0]))
    assert _exports_logged(demo_db)[-1][2].startswith(file_name)


def test_no_page_draws_a_download_button_of_its_own() -> None:
    """ui.common.file_download is the one door: it stamps, builds on the click and logs."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py"]
        if "download_button(" in p.read_text("utf-8") and p.name != "common.py"
    ]
    assert offenders == []
