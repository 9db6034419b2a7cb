"""The check step says what an import will replace, and warns when a division would vanish."""

from __future__ import annotations

import duckdb

from dashboard import importer, preview
from tests.import_fixture import csv_bytes

HEAD = ["學年度", "學期", "部別", "學號", "姓名", "科別", "年級", "班級", "學籍狀態"]


def roster(*rows: tuple[str, str]) -> bytes:
    return csv_bytes(
        [HEAD, *([*["113", "1"], div, no, "王小明", "機械科", "1", "機一甲", "在學"] for div, no in rows)]
    )


def test_one_division_file_warns_about_the_other(con: duckdb.DuckDBPyConnection) -> None:
    both = roster(("日間部", "1130001"), ("日間部", "1130002"), ("進修部", "1138001"))
    assert importer.import_files(con, [("both.csv", both)], imported_by="t").ok
    night_only = roster(("進修部", "1138001"), ("進修部", "1138002"))
    tables, report = importer.validate_files(con, [("night.csv", night_only)])
    assert report.ok
    [summary] = preview.replacements(con, tables)
    assert (summary.current_rows, summary.new_rows) == (3, 2)
    assert len(summary.cautions) == 1
    assert "此檔只含 進修部" in summary.cautions[0]
    assert "113-1 的學生名冊中 日間部 2 筆會被刪除" in summary.cautions[0]


def test_a_complete_file_has_no_caution(con: duckdb.DuckDBPyConnection) -> None:
    both = roster(("日間部", "1130001"), ("進修部", "1138001"))
    assert importer.import_files(con, [("both.csv", both)], imported_by="t").ok
    tables, _ = importer.validate_files(
        con, [("again.csv", roster(("日間部", "1130001"), ("進修部", "1138009")))]
    )
    [summary] = preview.replacements(con, tables)
    assert (summary.current_rows, summary.new_rows, summary.cautions) == (2, 2, [])


def test_kinds_without_division_count_rows_in_scope(con: duckdb.DuckDBPyConnection) -> None:
    staff = csv_bytes([["教職員代碼", "姓名", "單位", "在職狀態"], ["T01", "甲", "機械科", "在職"]])
    tables, _ = importer.validate_files(con, [("staff.csv", staff)])
    [summary] = preview.replacements(con, tables)
    assert (summary.kind_label, summary.current_rows, summary.new_rows, summary.cautions) == (
        "教職員名冊",
        0,
        1,
        [],
    )
