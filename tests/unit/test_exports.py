from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pandas as pd
from python_calamine import CalamineWorkbook

from dashboard import exports


def test_formula_like_cells_are_neutralised_and_other_values_kept() -> None:
    frame = pd.DataFrame(
        {"姓名": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "王小明"], "件數": [1, 2, 3, 4, 5]}
    )
    data = exports.to_xlsx({"名單": frame})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("名單").to_python()
    assert sheet[0] == ["姓名", "件數"]
    assert [row[0] for row in sheet[1:]] == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "王小明"]
    assert [row[1] for row in sheet[1:]] == [1, 2, 3, 4, 5]


def test_file_and_sheet_names() -> None:
    assert exports.export_file_name("113-1", "教師認證", "日間部") == "113-1_教師認證_日間部.xlsx"
    assert exports.export_file_name("113-1", "總覽") == "113-1_總覽_全校.xlsx"
    assert exports.safe_sheet_name("a/b:c" * 10) == ("a_b_c" * 10)[:31]


def test_a_stamped_workbook_says_confidential_who_when_and_as_of_above_the_table() -> None:
    frame = pd.DataFrame({"學號": ["1130001", "1130002"], "件數": [1, 2]})
    stamp = exports.Stamp("王小明（註冊組）", datetime(2026, 12, 4, 10, 32), datetime(2026, 11, 16, 8, 0))
    line = "機密｜王小明（註冊組）於 115/12/04 10:32 匯出｜資料截至 115/11/16 08:00"
    for data in (exports.to_xlsx({"名單": frame}, stamp), _in_block(stamp, frame)):
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("名單").to_python()
        assert rows[0][0] == line
        assert rows[1] == ["學號", "件數"] and [r[0] for r in rows[2:]] == ["1130001", "1130002"]
        book = zipfile.ZipFile(io.BytesIO(data))
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        assert 'ySplit="2"' in sheet  # the stamp and the header stay on screen
        assert "<oddHeader>" in sheet and line in sheet.split("<oddFooter>")[1]
        core = book.read("docProps/core.xml").decode("utf-8")
        # document properties keep UTC: 10:32 in Taipei is 02:32Z
        assert "2026-12-04T02:32:00Z" in core and "<cp:keywords>機密</cp:keywords>" in core
    unstamped = CalamineWorkbook.from_filelike(io.BytesIO(exports.to_xlsx({"名單": frame})))
    assert unstamped.get_sheet_by_name("名單").to_python()[0] == ["學號", "件數"]


def _in_block(stamp: exports.Stamp, frame: pd.DataFrame) -> bytes:
    with exports.stamped(stamp):
        return exports.to_xlsx({"名單": frame})


def test_an_ampersand_in_a_name_does_not_become_a_footer_code() -> None:
    stamp = exports.Stamp("A&B（管理者）", datetime(2026, 12, 4, 10, 32))
    data = exports.to_xlsx({"表": pd.DataFrame({"a": [1]})}, stamp)
    footer = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "A&amp;&amp;B" in footer.split("<oddFooter>")[1]
