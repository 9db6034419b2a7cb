"""All or nothing: every way a bundle can fail is reported in full and changes nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard.ingest import validate
from dashboard.ingest.importer import ImportReport, import_files, import_paths
from dashboard.ingest.kinds import Column, Kind
from tests.import_fixture import SCHOOL, csv_bytes, dump, school, uploads, write_files, zip_bytes

Con = duckdb.DuckDBPyConnection


@pytest.fixture
def loaded(con: Con, tmp_path: Path) -> Iterator[Con]:
    """The small school already imported, so 'unchanged' means something."""
    report = import_paths(con, [write_files(tmp_path / "before", school())], imported_by="setup")
    assert report.ok
    yield con


def reject(con: Con, files: list[tuple[str, bytes]]) -> ImportReport:
    before = dump(con)
    report = import_files(con, files, imported_by="t")
    assert not report.ok and not report.changed and report.problems
    assert dump(con) == before
    return report


def found(report: ImportReport) -> list[tuple[str, int | None, str | None, str | None, str]]:
    return [(p.file, p.row, p.column, p.value, p.message) for p in report.problems]


OUT_HEADER = SCHOOL["課程學習成果.csv"][0]


def good_outcome(n: int) -> list[str]:
    return [f"N{n:03d}", "113", "2", "1130001", "C001", "機械製造", "T01", "2025-03-01 10:00"] + [""] * 8


def test_every_bad_cell_deep_in_a_file_is_reported_with_its_excel_row(loaded: Con) -> None:
    lines = [OUT_HEADER] + [good_outcome(n) for n in range(60)]  # data rows are Excel rows 2..61

    def row(n: int) -> list[str]:
        return lines[n - 1]

    row(57)[10] = "2024/13/01"  # 認證時間
    row(31)[2] = "3"  # 學期
    row(45)[7] = "明天"  # 上傳時間
    row(12)[3] = ""  # 學號
    row(20)[9] = "審核中"  # 認證狀態
    row(60)[10] = "2024/13/01"  # the same bad value again
    report = reject(loaded, [("成果.csv", csv_bytes(lines))])
    assert found(report) == [
        ("成果.csv", 12, "學號", None, "第 12 列「學號」不可空白"),
        (
            "成果.csv",
            20,
            "認證狀態",
            "審核中",
            "第 20 列「認證狀態」的值「審核中」不是可接受的值（可用：未送出、認證中、通過、未通過）",
        ),
        ("成果.csv", 31, "學期", "3", "第 31 列「學期」的值「3」不是有效的學期（可用：1、2、上、下）"),
        ("成果.csv", 45, "上傳時間", "明天", "第 45 列「上傳時間」的值「明天」不是有效的日期時間"),
        (
            "成果.csv",
            57,
            "認證時間",
            "2024/13/01",
            "第 57 列「認證時間」的值「2024/13/01」不是有效的日期時間",
        ),
        (
            "成果.csv",
            60,
            "認證時間",
            "2024/13/01",
            "第 60 列「認證時間」的值「2024/13/01」不是有效的日期時間",
        ),
    ]


def test_a_good_file_with_a_bad_one_lands_nothing(loaded: Con) -> None:
    students = school("學生名冊.csv")["學生名冊.csv"]
    students[1][5] = "王大明"  # a real change that must not land
    bad = [OUT_HEADER, good_outcome(1)]
    bad[1][8] = "113/02/30 10:00"
    report = reject(loaded, [("學生名冊.csv", csv_bytes(students)), ("成果.csv", csv_bytes(bad))])
    assert found(report) == [
        (
            "成果.csv",
            2,
            "送出認證時間",
            "113/02/30 10:00",
            "第 2 列「送出認證時間」的值「113/02/30 10:00」不是有效的日期時間",
        )
    ]
    assert [f.kind for f in report.files] == ["students", "outcomes"]


def test_a_file_matching_no_kind_names_the_closest_kind(loaded: Con) -> None:
    report = reject(loaded, [("雜項.csv", csv_bytes([["欄一", "欄二"], ["1", "2"]]))])
    assert found(report) == [
        (
            "雜項.csv",
            None,
            None,
            None,
            "無法辨識「雜項.csv」是哪一種資料：標題列與任何種類都不相符（最接近「研習場次」，缺少欄位：學年度、日期、類型）",
        )
    ]
    assert report.files[0].kind is None


def test_a_missing_required_column_is_named(loaded: Con) -> None:
    header = [h for h in OUT_HEADER if h != "上傳時間"]
    report = reject(loaded, [("成果.csv", csv_bytes([header, ["O9", "113", "1"]]))])
    assert found(report) == [
        (
            "成果.csv",
            None,
            None,
            None,
            "無法辨識「成果.csv」是哪一種資料：標題列與任何種類都不相符（最接近「課程學習成果」，缺少欄位：上傳時間）",
        )
    ]


def test_the_kind_explaining_more_columns_wins(loaded: Con) -> None:
    header = [*OUT_HEADER, "部別", "班級"]  # now also every required column of 開課資料
    line = [*good_outcome(1), "日間部", "機一甲"]
    files = [("兩者.csv", csv_bytes([["匯出報表"], header, line]))]
    report = import_files(loaded, files, imported_by="t", confirm=True)  # it replaces 113-2's one row
    assert report.ok, report.problems
    assert [f.kind for f in report.files] == ["outcomes"]
    assert loaded.execute("select count(*) from outcomes where outcome_id = 'N001'").fetchone() == (1,)


def test_a_header_two_kinds_explain_equally_is_an_error(loaded: Con, monkeypatch: pytest.MonkeyPatch) -> None:
    twin_a = Kind(
        "a", "甲", "a", (Column("學號", "student_no", "text", required=True),), ("student_no",), "all"
    )
    twin_b = Kind(
        "b", "乙", "b", (Column("學號", "student_no", "text", required=True),), ("student_no",), "all"
    )
    monkeypatch.setattr(validate, "KINDS", (twin_a, twin_b))
    assert validate.match_kinds(["學號", "備註"]) == [twin_a, twin_b]
    report = reject(loaded, [("兩者.csv", csv_bytes([["學號"], ["1130001"]]))])
    assert found(report) == [
        ("兩者.csv", 1, None, None, "「兩者.csv」第 1 列的標題同時符合「甲」與「乙」，無法判斷是哪一種資料")
    ]


def test_the_larger_required_set_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    small = Kind(
        "a", "甲", "a", (Column("學號", "student_no", "text", required=True),), ("student_no",), "all"
    )
    large = Kind(
        "b",
        "乙",
        "b",
        (Column("學號", "student_no", "text", required=True), Column("姓名", "name", "text", required=True)),
        ("student_no",),
        "all",
    )
    monkeypatch.setattr(validate, "KINDS", (small, large))
    assert validate.match_kinds(["學號", "姓名"]) == [large]
    assert validate.match_kinds(["學號"]) == [small]


def test_a_file_mixing_two_encodings(loaded: Con) -> None:
    staff = SCHOOL["教職員名冊.csv"]
    data = csv_bytes(staff[:2], "utf-8") + csv_bytes(staff[2:], "cp950")
    report = reject(loaded, [("教職員名冊.csv", data)])
    assert found(report) == [
        (
            "教職員名冊.csv",
            None,
            None,
            None,
            "檔案混用了兩種編碼：第 1、2 列是 UTF-8，第 3、4 列不是；請從系統重新匯出，或以同一種編碼另存",
        )
    ]


def test_duplicate_keys_within_a_file_and_across_files(loaded: Con) -> None:
    students = school("學生名冊.csv")["學生名冊.csv"]
    students.append(list(students[1]))  # row 8 repeats row 2
    first = [OUT_HEADER, good_outcome(1), good_outcome(2)]
    second = [OUT_HEADER, good_outcome(3), good_outcome(2)]
    report = reject(
        loaded,
        [
            ("學生名冊.csv", csv_bytes(students)),
            ("成果1.csv", csv_bytes(first)),
            ("成果2.csv", csv_bytes(second)),
        ],
    )
    assert found(report) == [
        (
            "學生名冊.csv",
            8,
            "學年度、學期、學號",
            "113、1、1130001",
            "第 8 列的學年度、學期、學號「113、1、1130001」與第 2 列重複",
        ),
        ("成果2.csv", 3, "成果編號", "N002", "第 3 列的成果編號「N002」與「成果1.csv」第 3 列重複"),
    ]


def test_an_empty_file_and_a_header_without_rows(loaded: Con) -> None:
    report = reject(loaded, [("空.csv", b""), ("只有標題.csv", csv_bytes([OUT_HEADER, [], [""] * 3]))])
    assert found(report) == [
        ("空.csv", None, None, None, "檔案是空的，沒有任何資料"),
        ("只有標題.csv", None, None, None, "第 1 列是標題列，但下面沒有任何資料列"),
    ]


def test_a_zip_member_escaping_its_folder_rejects_the_bundle(loaded: Con) -> None:
    students = school("學生名冊.csv")["學生名冊.csv"]
    students[1][5] = "王大明"
    bundle = zip_bytes({"學生名冊.csv": csv_bytes(students), "../evil.csv": csv_bytes(students)})
    report = reject(loaded, [("匯出.zip", bundle)])
    assert found(report) == [
        (
            "匯出.zip/../evil.csv",
            None,
            None,
            None,
            "壓縮檔中的「../evil.csv」路徑指向資料夾之外（絕對路徑、「..」或磁碟代號）",
        )
    ]


def test_an_id_already_stored_under_another_semester(loaded: Con) -> None:
    moved = [OUT_HEADER, good_outcome(1)]
    moved[1][0] = "O1"  # O1 is stored under 113-1; this file only holds 113-2
    report = reject(loaded, [("成果.csv", csv_bytes(moved))])
    assert found(report) == [
        (
            "成果.csv",
            2,
            "成果編號",
            "O1",
            "第 2 列的成果編號「O1」已存在於資料庫中 113-1 日間部 的課程學習成果，"
            "而這批檔案不會取代那個範圍；同一筆資料不能同時屬於兩個範圍"
            "（例如學生轉部別或換學期後，請一併匯入原範圍的最新匯出檔）",
        )
    ]


def test_a_shifted_csv_row_a_repeated_header_and_an_end_before_its_start(loaded: Con) -> None:
    staff = [
        ["教職員代碼", "姓名", "單位", "在職狀態", "姓名"],
        ["T05", "甲", "機械科", "在職", "乙", "多出來"],
    ]
    schedule = [
        ["學年度", "學期", "項目", "開始日期", "結束日期"],
        ["113", "2", "教師認證", "2025-07-20", "2025-07-10"],
    ]
    report = reject(loaded, [("staff.csv", csv_bytes(staff)), ("期程.csv", csv_bytes(schedule))])
    assert found(report) == [
        ("staff.csv", 1, "姓名", None, "標題「姓名」出現不只一次，無法判斷要用哪一欄"),
        ("staff.csv", 2, None, None, "第 2 列有 6 欄，比標題列多；可能有未加引號的逗號"),
        ("期程.csv", 2, "結束日期", None, "第 2 列的結束日期早於開始日期"),
    ]


def test_an_undecodable_file_and_an_unknown_file_type(loaded: Con) -> None:
    report = reject(loaded, [("亂碼.csv", b"a,b\r\n\xff\xff\xff,1\r\n"), ("說明.docx", b"PK")])
    assert found(report) == [
        ("亂碼.csv", None, None, None, "無法判讀檔案編碼（不是 UTF-8、Big5 或 Big5-HKSCS）：第 2 列無法解碼"),
        ("說明.docx", None, None, None, "不支援的檔案類型：只能匯入 .csv、.xlsx、.xls 或包含它們的 .zip"),
    ]


def test_a_bad_first_import_leaves_an_empty_database_empty(con: Con) -> None:
    bad = uploads(school("課程學習成果.csv"))
    bad.append(("x.csv", b"\xff\xfe\x00"))
    reject(con, bad)
    assert dump(con)["imports"] == []
