"""The check step says, per kind and scope, what an import will replace, and asks for a
confirmation when a scope would lose most of its rows or the file is not what its user imports."""

from __future__ import annotations

import duckdb

from dashboard.ingest import importer
from tests.import_fixture import csv_bytes

HEAD = ["學年度", "學期", "部別", "學號", "姓名", "科別", "年級", "班級", "學籍狀態"]


def roster(*rows: tuple[str, str]) -> bytes:
    return csv_bytes(
        [HEAD, *([*["113", "1"], div, no, "王小明", "機械科", "1", "機一甲", "在學"] for div, no in rows)]
    )


def changes(report: importer.ImportReport) -> list[tuple[str, int, int, int]]:
    return [(c.scope_label, c.stored_rows, c.rows_after, c.disappearing_rows) for c in report.changes]


def test_a_one_division_file_replaces_only_its_division(con: duckdb.DuckDBPyConnection) -> None:
    both = roster(("日間部", "1130001"), ("日間部", "1130002"), ("進修部", "1138001"))
    assert importer.import_files(con, [("both.csv", both)], imported_by="t").ok
    night_only = roster(("進修部", "1138001"), ("進修部", "1138002"))
    _, report = importer.validate_files(con, [("night.csv", night_only)], imported_by="t")
    assert report.ok and changes(report) == [("113-1 進修部", 1, 2, 0)]
    assert report.cautions == []
    assert importer.import_files(con, [("night.csv", night_only)], imported_by="t").ok
    kept = con.execute("select division, count(*) from students group by 1 order by 1").fetchall()
    assert kept == [("日間部", 2), ("進修部", 2)]


def test_losing_more_than_half_of_a_scope_needs_a_confirmation(con: duckdb.DuckDBPyConnection) -> None:
    day = roster(*(("日間部", f"113000{i}") for i in range(1, 6)))
    assert importer.import_files(con, [("day.csv", day)], imported_by="t").ok
    few = roster(("日間部", "1130001"), ("日間部", "1130009"))
    _, report = importer.validate_files(con, [("few.csv", few)], imported_by="t")
    assert changes(report) == [("113-1 日間部", 5, 2, 4)]
    assert report.cautions == [
        "學生名冊（113-1 日間部）：現有 5 筆，匯入後 4 筆會消失（超過一半），只剩這批檔案的 2 筆"
    ]
    refused = importer.import_files(con, [("few.csv", few)], imported_by="t")
    assert not refused.ok and refused.needs_confirmation
    assert con.execute("select count(*) from students").fetchone() == (5,)
    # A confirmation belongs to the plan it was given for: another plan's fingerprint is no use.
    assert not importer.import_files(con, [("few.csv", few)], imported_by="t", confirm="0" * 16).ok
    done = importer.import_files(con, [("few.csv", few)], imported_by="t", confirm=report.fingerprint)
    assert done.ok and done.changed
    assert con.execute("select count(*) from students").fetchone() == (2,)


def test_a_division_the_user_never_imported_needs_a_confirmation(con: duckdb.DuckDBPyConnection) -> None:
    assert importer.import_files(
        con, [("n.csv", roster(("進修部", "1138001")))], imported_by="進修部教務組"
    ).ok
    day = roster(("日間部", "1130001"))
    _, report = importer.validate_files(con, [("d.csv", day)], imported_by="進修部教務組")
    assert report.cautions == [
        "您（進修部教務組）過去匯入的都是進修部的資料，這批檔案卻含日間部；請確認沒有選錯檔案"
    ]
    _, other = importer.validate_files(con, [("d.csv", day)], imported_by="註冊組")
    assert other.cautions == []  # someone with no history of their own is not second-guessed


def test_staff_are_counted_over_the_whole_table(con: duckdb.DuckDBPyConnection) -> None:
    staff = csv_bytes([["教職員代碼", "姓名", "單位", "在職狀態"], ["T01", "甲", "機械科", "在職"]])
    _, report = importer.validate_files(con, [("staff.csv", staff)])
    assert changes(report) == [("全部", 0, 1, 0)] and report.cautions == []
