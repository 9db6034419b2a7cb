from __future__ import annotations

import io

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
