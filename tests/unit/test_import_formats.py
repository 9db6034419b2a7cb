"""Every file format through the importer: CSV in each encoding, .xlsx and .xls, title rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dashboard.ingest.importer import import_files, import_paths
from tests.import_fixture import (
    SCHOOL,
    dump,
    rows,
    school,
    uploads,
    write_files,
    xls_bytes,
    xlsx_bytes,
)

Con = duckdb.DuckDBPyConnection


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "big5hkscs", "utf-16"])
def test_student_names_survive_every_encoding(con: Con, tmp_path: Path, encoding: str) -> None:
    folder = write_files(tmp_path / "匯出", school("學生名冊.csv"), encoding)
    report = import_paths(con, [folder], imported_by="a")
    assert report.ok, report.problems
    assert rows(con, "select name from students where semester = 1 order by student_no") == [
        ("王小明",),
        ("林堃喆",),
        ("陳峯",),
    ]


def test_cp950_staff_file(con: Con) -> None:
    report = import_files(con, uploads(school("教職員名冊.csv"), "cp950"), imported_by="a")
    assert report.ok
    assert rows(con, "select staff_code, name, unit from staff order by 1") == [
        ("R01", "張組長", "教務處註冊組"),
        ("T01", "王老師", "機械科"),
        ("T02", "李老師", "資訊科"),
    ]


def excel_sheet(name: str) -> list[list[object]]:
    """The school's CSV rows as an Excel user has them: numbers as numbers, times as dates."""
    out: list[list[object]] = []
    for row in SCHOOL[name]:
        cells: list[object] = []
        for cell in row:
            if cell.isdigit() and not cell.startswith("0") and len(cell) < 7:
                cells.append(int(cell))
            elif len(cell) == 16 and cell[4] == "-" and cell[13] == ":":
                cells.append(datetime.fromisoformat(cell))
            else:
                cells.append(cell)
        out.append(cells)
    return out


def test_an_xlsx_imports_every_sheet_that_matches_a_kind(con: Con) -> None:
    book = xlsx_bytes(
        {
            "說明": [["本檔由系統匯出"]],
            "學生": [["113學年度 學生名冊"], [], *excel_sheet("學生名冊.csv")],
            "成果": excel_sheet("課程學習成果.csv"),
        }
    )
    report = import_files(con, [("匯出.xlsx", book)], imported_by="a")
    assert report.ok, report.problems
    assert [(f.sheet, f.kind, f.rows) for f in report.files] == [
        ("學生", "students", 6),
        ("成果", "outcomes", 4),
    ]
    assert rows(con, "select sheet_name, kind from imports order by import_id") == [
        ("學生", "students"),
        ("成果", "outcomes"),
    ]
    # The header is on Excel row 3 under a title and a blank row: the first student is row 4.
    assert rows(con, "select student_no, source_row, grade from students where semester = 1 order by 1") == [
        ("1130001", 4, 1),
        ("1130002", 5, 1),
        ("1130003", 6, 2),
    ]
    assert rows(
        con, "select outcome_id, uploaded_at, certified_at from outcomes where outcome_id = 'O1'"
    ) == [("O1", datetime(2024, 11, 20, 10, 0), datetime(2024, 12, 1, 9, 0))]


def test_an_xls_file(con: Con) -> None:
    report = import_files(
        con, [("成果.xls", xls_bytes({"工作表1": excel_sheet("課程學習成果.csv")}))], imported_by="a"
    )
    assert report.ok, report.problems
    assert rows(con, "select outcome_id, semester, uploaded_at, cert_status from outcomes order by 1") == [
        ("O1", 1, datetime(2024, 11, 20, 10, 0), "通過"),
        ("O2", 1, datetime(2024, 11, 22, 10, 0), "未通過"),
        ("O3", 1, datetime(2024, 11, 25, 10, 0), "未送出"),
        ("O4", 2, datetime(2025, 4, 1, 10, 0), "認證中"),
    ]


def test_excel_problems_carry_the_sheet_and_the_excel_row(con: Con) -> None:
    sheet = [["報表"], *excel_sheet("課程學習成果.csv")]
    sheet[3][7] = "2024/11/31 10:00"  # Excel row 4
    sheet[4][2] = 7  # Excel row 5
    before = dump(con)
    report = import_files(con, [("成果.xlsx", xlsx_bytes({"明細": sheet}))], imported_by="a")
    assert not report.ok
    assert [(p.sheet, p.row, p.column, p.value) for p in report.problems] == [
        ("明細", 4, "上傳時間", "2024/11/31 10:00"),
        ("明細", 5, "學期", "7"),
    ]
    assert dump(con) == before


def test_a_workbook_without_any_kind_reports_its_first_sheet(con: Con) -> None:
    book = xlsx_bytes({"空白": [], "名單": [["學號", "姓名"], ["1130001", "王小明"]]})
    report = import_files(con, [("名單.xlsx", book)], imported_by="a")
    assert [(p.sheet, p.message) for p in report.problems] == [
        (
            "名單",
            "無法辨識「名單.xlsx」是哪一種資料：標題列與任何種類都不相符"
            "（最接近「學生名冊」，缺少欄位：學年度、學期、部別、科別、年級、班級、學籍狀態）",
        )
    ]
